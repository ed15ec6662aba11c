// Parsing of a change's target (see loader/target_yaml.h).
#include "loader/target_yaml.h"

#include <algorithm>

namespace fleetsim {
namespace {

std::string Names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Reads a list of names, each one of `known` (else an error naming the list).
std::vector<std::string> ReadNames(const ConfigNode& node, const std::vector<std::string>& known,
                                   const std::string& what, const std::string& kind) {
  std::vector<std::string> out;
  for (const ConfigNode& n : node.AsSequence(what)) {
    std::string name = n.AsString(what + "[]");
    if (std::find(known.begin(), known.end(), name) == known.end())
      n.Fail(what + ": unknown " + kind + " '" + name + "'; expected one of " + Names(known));
    if (std::find(out.begin(), out.end(), name) != out.end())
      n.Fail(what + ": " + kind + " '" + name + "' is listed twice");
    out.push_back(std::move(name));
  }
  if (out.empty()) node.Fail(what + ": expected at least one " + kind + " (or omit the key)");
  return out;
}

}  // namespace

TargetSpec ParseTarget(const ConfigNode& node, const FleetSpec& fleet, const std::string& what) {
  YamlMap m(node, what);
  std::vector<std::string> region_names;
  std::vector<std::string> cluster_names;
  for (const RegionSpec& r : fleet.regions) {
    region_names.push_back(r.name);
    for (const ClusterSpec& c : r.clusters) cluster_names.push_back(c.name);
  }
  TargetSpec spec;
  const FleetServiceSpec* service = nullptr;
  if (auto sn = m.Optional("service")) {
    spec.service = sn->AsString(what + ".service");
    for (const FleetServiceSpec& f : fleet.services) {
      if (f.name == spec.service) service = &f;
    }
    if (!service) {
      std::vector<std::string> names;
      for (const FleetServiceSpec& f : fleet.services) names.push_back(f.name);
      sn->Fail(what + ".service: unknown service '" + spec.service + "'; expected " +
               (names.empty() ? std::string("a service that runs on the fleet (services: with "
                                            "share:, regions: or clusters:)")
                              : "one of " + Names(names)));
    }
  }
  if (auto regions = m.Optional("regions"))
    spec.regions = ReadNames(*regions, region_names, what + ".regions", "region");
  if (auto clusters = m.Optional("clusters"))
    spec.clusters = ReadNames(*clusters, cluster_names, what + ".clusters", "cluster");
  m.Finish();
  if (spec.whole())
    node.Fail(what + ": expected service:, regions: and/or clusters: (or omit " + what + ")");
  if (!TargetHoldsSomething(spec, fleet, service))
    node.Fail(what + ": no listed cluster lies in a listed region" +
              std::string(service ? " and runs the service" : "") +
              "; expected a non-empty target");
  return spec;
}

bool TargetHoldsSomething(const TargetSpec& spec, const FleetSpec& fleet,
                          const FleetServiceSpec* service) {
  const auto listed = [](const std::vector<std::string>& names, const std::string& name) {
    return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
  };
  for (const RegionSpec& r : fleet.regions) {
    for (const ClusterSpec& c : r.clusters) {
      if (listed(spec.regions, r.name) && listed(spec.clusters, c.name) &&
          (!service || (listed(service->regions, r.name) && listed(service->clusters, c.name))))
        return true;
    }
  }
  return false;
}

}  // namespace fleetsim
