#include "sim/fleet_target.h"

#include <algorithm>

namespace fleetsim {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool Listed(const std::vector<std::string>& names, const std::string& name) {
  return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string TargetSpec::Describe() const {
  if (whole()) return "whole fleet";
  std::string out = service.empty() ? "" : "service " + service;
  if (!regions.empty())
    out += (out.empty() ? "" : "; ") + std::string("regions ") + JoinNames(regions);
  if (!clusters.empty())
    out += (out.empty() ? "" : "; ") + std::string("clusters ") + JoinNames(clusters);
  return out;
}

FleetTarget FleetTarget::Whole(std::shared_ptr<const Fleet> fleet) {
  FleetTarget t;
  t.service_hosts_ = fleet->total_hosts();
  t.view_ = std::move(fleet);
  t.name_ = TargetSpec{}.Describe();
  return t;
}

Result<FleetTarget> FleetTarget::Build(std::shared_ptr<const Fleet> fleet, const TargetSpec& spec) {
  if (spec.whole()) return Whole(std::move(fleet));
  FleetTarget t;
  t.whole_ = false;
  t.name_ = spec.Describe();
  if (!spec.service.empty()) {
    t.service_ = fleet->FindService(spec.service);
    if (t.service_ < 0) return Status::Error("target: unknown service '" + spec.service + "'");
    t.service_hosts_ = fleet->services()[static_cast<size_t>(t.service_)].hosts;
  } else {
    t.service_hosts_ = fleet->total_hosts();
  }
  for (const std::string& name : spec.regions) {
    const auto& regions = fleet->regions();
    if (std::none_of(regions.begin(), regions.end(),
                     [&](const Region& r) { return r.name == name; }))
      return Status::Error("target: unknown region '" + name + "'");
  }
  for (const std::string& name : spec.clusters) {
    const auto& sites = fleet->sites();
    if (std::none_of(sites.begin(), sites.end(), [&](const Site& c) { return c.name == name; }))
      return Status::Error("target: unknown cluster '" + name + "'");
  }
  std::vector<int> kept_in_region;
  for (size_t r = 0; r < fleet->regions().size(); ++r) {
    const Region& region = fleet->regions()[r];
    if (!Listed(spec.regions, region.name)) continue;
    const size_t before = t.cluster_map_.size();
    for (int k = region.first_cluster; k < region.first_cluster + region.cluster_count; ++k) {
      const Cluster& cluster = fleet->clusters()[static_cast<size_t>(k)];
      if (!Listed(spec.clusters, cluster.name)) continue;
      if (t.service_ >= 0 && cluster.service != t.service_) continue;
      t.cluster_map_.push_back(k);
    }
    const auto kept = static_cast<int>(t.cluster_map_.size() - before);
    if (kept == 0) continue;
    t.whole_regions_ &= kept == region.cluster_count;
    t.region_map_.push_back(static_cast<int>(r));
  }
  if (t.cluster_map_.empty())
    return Status::Error("target: " + t.name_ + " holds no cluster; expected at least one");
  t.view_ = std::make_shared<const Fleet>(Fleet::Subset(*fleet, t.cluster_map_));
  for (size_t k = 0; k < t.cluster_map_.size(); ++k) {
    t.cell_shift_.push_back(fleet->clusters()[static_cast<size_t>(t.cluster_map_[k])].first_cell -
                            t.view_->clusters()[k].first_cell);
  }
  return t;
}

int FleetTarget::ViewCluster(int fleet_cluster) const {
  if (whole_) return fleet_cluster;
  const auto it = std::lower_bound(cluster_map_.begin(), cluster_map_.end(), fleet_cluster);
  return it != cluster_map_.end() && *it == fleet_cluster
             ? static_cast<int>(it - cluster_map_.begin())
             : -1;
}

}  // namespace fleetsim
