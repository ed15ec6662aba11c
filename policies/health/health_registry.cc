#include "policies/health/health_registry.h"

namespace fleetsim {

// One registration function per FLEETSIM_REGISTER_HEALTH_CHECK_KIND (generated list).
#define FLEETSIM_KIND(name) void FleetsimRegisterHealthCheckKind_##name(HealthCheckRegistry&);
#include "policies/generated/health_check_kinds.inc"
#undef FLEETSIM_KIND

const HealthCheckRegistry& HealthCheckKinds() {
  static const HealthCheckRegistry registry = [] {
    HealthCheckRegistry r;
#define FLEETSIM_KIND(name) FleetsimRegisterHealthCheckKind_##name(r);
#include "policies/generated/health_check_kinds.inc"
#undef FLEETSIM_KIND
    return r;
  }();
  return registry;
}

std::unique_ptr<HealthCheck> ParseHealthCheck(const ConfigNode& node, const std::string& context) {
  return ParseKind(HealthCheckKinds(), node, context);
}

HealthMetric ReadMetric(YamlMap& m, bool allow_status_2xx) {
  ConfigNode node = m.Required("metric");
  const std::string name = node.AsString("metric");
  if (name == "error_rate") return HealthMetric::kErrorRate;
  if (name == "latency_p99") return HealthMetric::kLatencyP99;
  if (name == "status_2xx" && allow_status_2xx) return HealthMetric::kStatus2xx;
  node.Fail(std::string("metric: expected error_rate") +
            (allow_status_2xx ? ", latency_p99 or status_2xx" : " or latency_p99") + ", got '" +
            name + "'");
}

}  // namespace fleetsim
