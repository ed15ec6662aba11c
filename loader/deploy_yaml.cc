// Parsing of `deploy:` blocks (see sim/deploy_spec.h for the keys and their meaning).
#include "loader/deploy_yaml.h"

namespace fleetsim {

namespace {

MinimumHealthyHosts ParseMinimumHealthy(const ConfigNode& node, const std::string& context) {
  YamlMap m(node, context);
  MinimumHealthyHosts h;
  const bool count = m.Has("host_count");
  const bool percent = m.Has("fleet_percent");
  if (count == percent)
    node.Fail(context + ": expected exactly one of host_count or fleet_percent");
  if (count) {
    h.type = MinimumHealthyHosts::Type::kHostCount;
    const int64_t n = m.IntIn("host_count", 0, 0, 10'000'000'000);
    h.value = static_cast<double>(n);
  } else {
    h.type = MinimumHealthyHosts::Type::kFleetPercent;
    h.value = m.DoubleIn("fleet_percent", 0, 0, 100);
  }
  m.Finish();
  return h;
}

}  // namespace

DeployOverrides ParseDeployBlock(const ConfigNode& node, const std::string& context) {
  YamlMap m(node, context);
  DeployOverrides o;
  int speed_keys = 0;
  if (m.Has("hosts_per_minute")) {
    ++speed_keys;
    o.hosts_per_minute = m.IntIn("hosts_per_minute", 0, 1, 10'000'000'000);
  }
  if (auto n = m.Optional("max_unavailable")) {
    ++speed_keys;
    const std::string text = n->IsScalar() ? n->node.Scalar() : "";
    if (!text.empty() && text.back() == '%') {
      o.max_unavailable_fraction = n->AsFraction(context + ".max_unavailable");
      if (*o.max_unavailable_fraction <= 0)
        n->Fail(context + ".max_unavailable: expected more than 0%");
    } else {
      o.max_unavailable_hosts =
          n->AsInt(context + ".max_unavailable (a host count, or a percent like 25%)");
      if (*o.max_unavailable_hosts < 1 || *o.max_unavailable_hosts > 10'000'000'000)
        n->Fail(context + ".max_unavailable: expected from 1 to 1e10 hosts");
    }
  }
  if (auto n = m.Optional("minimum_healthy_hosts")) {
    ++speed_keys;
    o.minimum_healthy = ParseMinimumHealthy(*n, context + ".minimum_healthy_hosts");
  }
  if (speed_keys > 1) {
    node.Fail(context +
              ": expected at most one of hosts_per_minute, max_unavailable, minimum_healthy_hosts "
              "(they all set the update speed)");
  }
  if (m.Has("host_update_time")) {
    o.host_update_time = m.RequiredDuration("host_update_time");
    if (*o.host_update_time <= SimTime::Zero())
      m.Required("host_update_time")
          .Fail(context + ".host_update_time: expected a positive duration");
  }
  const bool rollback_speed = m.Has("rollback_hosts_per_minute");
  if (rollback_speed) {
    o.rollback_hosts_per_minute = m.IntIn("rollback_hosts_per_minute", 0, 1, 10'000'000'000);
  }
  if (auto n = m.Optional("rollback")) {
    const std::string how = n->AsString(context + ".rollback");
    if (how != "instant" && how != "gradual")
      n->Fail(context + ".rollback: expected instant or gradual, got '" + how + "'");
    if (how == "instant" && rollback_speed)
      n->Fail(context + ".rollback: instant contradicts rollback_hosts_per_minute");
    o.instant_rollback = how == "instant";
  }
  if (m.Has("host_failure_probability"))
    o.host_failure_probability = m.DoubleIn("host_failure_probability", 0, 0, 1);
  if (m.Has("fault_tolerance")) o.fault_tolerance = m.Fraction("fault_tolerance", 1.0);
  if (m.Has("first_stage_extra_bake"))
    o.first_stage_extra_bake = m.RequiredDuration("first_stage_extra_bake");
  m.Finish();
  return o;
}

}  // namespace fleetsim
