#include "policies/rollout/scoped_steps.h"

#include <algorithm>

namespace fleetsim {
namespace {

// "*" or a list of names.
bool ReadNames(YamlMap& m, const std::string& key, std::vector<std::string>& names) {
  auto node = m.Optional(key);
  if (!node) return false;
  if (node->IsScalar()) {
    const std::string value = node->AsString(key);
    if (value == "*") return true;
    names.push_back(value);
    return false;
  }
  for (const ConfigNode& n : node->AsSequence(key)) names.push_back(n.AsString(key + "[]"));
  if (names.empty()) node->Fail(key + ": expected \"*\" or at least one name");
  return false;
}

}  // namespace

Scope Scope::Parse(YamlMap& m) {
  Scope s;
  if (auto node = m.Optional("regions"); node && node->IsMap()) {
    YamlMap sel(*node, "regions");
    s.smallest_regions = static_cast<int>(sel.IntIn("smallest", 1, 1, 1'000'000));
    sel.Finish();
    ReadNames(m, "clusters", s.clusters);
    return s;
  }
  const bool all_regions = ReadNames(m, "regions", s.regions);
  const bool all_clusters = ReadNames(m, "clusters", s.clusters);
  s.everything = all_regions || all_clusters || (s.regions.empty() && s.clusters.empty());
  return s;
}

Status Scope::Validate(const Fleet& fleet) const {
  if (smallest_regions > static_cast<int>(fleet.regions().size())) {
    return Status::Error("regions: {smallest: " + std::to_string(smallest_regions) +
                         "} but the fleet has " + std::to_string(fleet.regions().size()) +
                         " regions");
  }
  if (lenient) {
    for (const std::string& name : regions) {
      const bool region = std::any_of(fleet.regions().begin(), fleet.regions().end(),
                                      [&](const Region& x) { return x.name == name; });
      const bool cluster = std::any_of(fleet.clusters().begin(), fleet.clusters().end(),
                                       [&](const Cluster& x) { return x.name == name; });
      if (!region && !cluster)
        return Status::Error("'" + name + "' is neither a region nor a cluster of the fleet");
    }
    return Status::Ok();
  }
  for (const std::string& r : regions) {
    const auto& rs = fleet.regions();
    if (std::none_of(rs.begin(), rs.end(), [&](const Region& x) { return x.name == r; })) {
      std::string known;
      for (const Region& x : rs) known += (known.empty() ? "" : ", ") + x.name;
      return Status::Error("unknown region '" + r + "' (the fleet has: " + known + ")");
    }
  }
  for (const std::string& c : clusters) {
    const auto& cs = fleet.clusters();
    if (std::none_of(cs.begin(), cs.end(), [&](const Cluster& x) { return x.name == c; })) {
      return Status::Error("unknown cluster '" + c + "'");
    }
  }
  return Status::Ok();
}

std::vector<double> Scope::Mask(const Fleet& fleet) const {
  std::vector<double> mask(fleet.clusters().size(), everything ? 1.0 : 0.0);
  if (everything) return mask;
  std::vector<bool> chosen_region(fleet.regions().size(), false);
  if (smallest_regions > 0) {
    std::vector<size_t> order(fleet.regions().size());
    for (size_t r = 0; r < order.size(); ++r) order[r] = r;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return fleet.regions()[a].hosts < fleet.regions()[b].hosts;
    });
    for (int i = 0; i < smallest_regions && i < static_cast<int>(order.size()); ++i)
      chosen_region[order[i]] = true;
  }
  for (size_t k = 0; k < mask.size(); ++k) {
    const Cluster& c = fleet.clusters()[k];
    const std::string& region = fleet.regions()[c.region].name;
    if (chosen_region[c.region] ||
        std::find(regions.begin(), regions.end(), region) != regions.end() ||
        std::find(clusters.begin(), clusters.end(), c.name) != clusters.end()) {
      mask[k] = 1.0;
    }
  }
  return mask;
}

std::string Scope::Describe() const {
  if (everything) return "*";
  std::string out =
      smallest_regions > 0 ? "smallest " + std::to_string(smallest_regions) + " regions" : "";
  for (const std::string& r : regions) out += (out.empty() ? "" : ",") + r;
  if (!lenient) {
    for (const std::string& c : clusters) out += (out.empty() ? "" : ",") + c;
  }
  return out;
}

}  // namespace fleetsim
