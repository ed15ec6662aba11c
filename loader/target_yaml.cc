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
  if (auto regions = m.Optional("regions"))
    spec.regions = ReadNames(*regions, region_names, what + ".regions", "region");
  if (auto clusters = m.Optional("clusters"))
    spec.clusters = ReadNames(*clusters, cluster_names, what + ".clusters", "cluster");
  m.Finish();
  if (spec.whole()) node.Fail(what + ": expected regions: and/or clusters: (or omit " + what + ")");
  // Some listed cluster must lie in a listed region.
  bool any = false;
  for (const RegionSpec& r : fleet.regions) {
    const bool region_in =
        spec.regions.empty() ||
        std::find(spec.regions.begin(), spec.regions.end(), r.name) != spec.regions.end();
    for (const ClusterSpec& c : r.clusters) {
      any |= region_in &&
             (spec.clusters.empty() ||
              std::find(spec.clusters.begin(), spec.clusters.end(), c.name) != spec.clusters.end());
    }
  }
  if (!any)
    node.Fail(what + ": no listed cluster lies in a listed region; expected a non-empty target");
  return spec;
}

}  // namespace fleetsim
