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
  std::string out;
  if (!regions.empty()) out = "regions " + JoinNames(regions);
  if (!clusters.empty())
    out += (out.empty() ? "" : "; ") + std::string("clusters ") + JoinNames(clusters);
  return out;
}

FleetTarget FleetTarget::Whole(std::shared_ptr<const Fleet> fleet) {
  FleetTarget t;
  t.view_ = std::move(fleet);
  t.name_ = TargetSpec{}.Describe();
  return t;
}

Result<FleetTarget> FleetTarget::Build(std::shared_ptr<const Fleet> fleet, const TargetSpec& spec) {
  if (spec.whole()) return Whole(std::move(fleet));
  for (const std::string& name : spec.regions) {
    const auto& regions = fleet->regions();
    if (std::none_of(regions.begin(), regions.end(),
                     [&](const Region& r) { return r.name == name; }))
      return Status::Error("target: unknown region '" + name + "'");
  }
  for (const std::string& name : spec.clusters) {
    const auto& clusters = fleet->clusters();
    if (std::none_of(clusters.begin(), clusters.end(),
                     [&](const Cluster& c) { return c.name == name; }))
      return Status::Error("target: unknown cluster '" + name + "'");
  }
  FleetTarget t;
  t.whole_ = false;
  t.name_ = spec.Describe();
  FleetSpec view;
  view.buckets = fleet->buckets();
  for (size_t r = 0; r < fleet->regions().size(); ++r) {
    const Region& region = fleet->regions()[r];
    if (!Listed(spec.regions, region.name)) continue;
    RegionSpec rs;
    rs.name = region.name;
    rs.utc_offset_hours = region.utc_offset_hours;
    rs.failure_history = region.failure_history;
    std::vector<int> kept;
    for (int k = region.first_cluster; k < region.first_cluster + region.cluster_count; ++k) {
      const Cluster& cluster = fleet->clusters()[static_cast<size_t>(k)];
      if (!Listed(spec.clusters, cluster.name)) continue;
      rs.clusters.push_back(ClusterSpec{cluster.name, cluster.hosts});
      kept.push_back(k);
    }
    if (kept.empty()) continue;
    int64_t kept_hosts = 0;
    for (const ClusterSpec& c : rs.clusters) kept_hosts += c.hosts;
    // The region's traffic share scaled by the share of its hosts kept: per-host loads keep
    // their ratios between regions (the view's own normalisation is a common factor).
    rs.traffic_share =
        region.traffic_share * static_cast<double>(kept_hosts) / static_cast<double>(region.hosts);
    t.whole_regions_ &= static_cast<int>(kept.size()) == region.cluster_count;
    t.region_map_.push_back(static_cast<int>(r));
    t.cluster_map_.insert(t.cluster_map_.end(), kept.begin(), kept.end());
    view.regions.push_back(std::move(rs));
  }
  if (view.regions.empty())
    return Status::Error("target: " + t.name_ + " holds no cluster; expected at least one");
  double share_sum = 0;
  for (const RegionSpec& rs : view.regions) share_sum += rs.traffic_share;
  if (share_sum <= 0) {
    for (RegionSpec& rs : view.regions) rs.traffic_share = -1;  // proportional to hosts
  }
  Result<Fleet> built = Fleet::Build(view);
  if (!built.ok()) return built.status();
  t.view_ = std::make_shared<const Fleet>(std::move(built).value());
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
