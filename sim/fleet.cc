#include "sim/fleet.h"

#include <algorithm>
#include <set>

namespace fleetsim {

Result<Fleet> Fleet::Build(const FleetSpec& spec) {
  if (spec.buckets < 1) return Status::Error("fleet: buckets must be at least 1");
  if (spec.regions.empty()) return Status::Error("fleet: at least one region is required");
  Fleet fleet;
  fleet.buckets_ = spec.buckets;
  std::set<std::string> names;
  double explicit_share = 0;
  bool any_explicit = false, all_explicit = true;
  for (const RegionSpec& r : spec.regions) {
    if (!names.insert(r.name).second)
      return Status::Error("fleet: duplicate region '" + r.name + "'");
    if (r.traffic_share >= 0) {
      any_explicit = true;
      explicit_share += r.traffic_share;
    } else {
      all_explicit = false;
    }
  }
  if (any_explicit && !all_explicit) {
    return Status::Error("fleet: give traffic_share for every region or for none");
  }
  std::set<std::string> cluster_names;
  for (const RegionSpec& rs : spec.regions) {
    Region region;
    region.name = rs.name;
    region.utc_offset_hours = rs.utc_offset_hours;
    region.failure_history = rs.failure_history;
    region.first_cluster = static_cast<int>(fleet.clusters_.size());
    if (rs.clusters.empty())
      return Status::Error("fleet: region '" + rs.name + "' has no clusters");
    for (const ClusterSpec& cs : rs.clusters) {
      if (cs.hosts < 1)
        return Status::Error("fleet: cluster '" + cs.name + "' needs at least one host");
      if (!cluster_names.insert(cs.name).second) {
        return Status::Error("fleet: duplicate cluster '" + cs.name + "'");
      }
      Cluster cluster;
      cluster.name = cs.name;
      cluster.region = static_cast<int>(fleet.regions_.size());
      cluster.hosts = cs.hosts;
      cluster.first_cell = static_cast<int>(fleet.cells_.size());
      cluster.cell_count = static_cast<int>(std::min<int64_t>(spec.buckets, cs.hosts));
      const int64_t base = cs.hosts / cluster.cell_count;
      const int64_t extra = cs.hosts % cluster.cell_count;
      for (int b = 0; b < cluster.cell_count; ++b) {
        Cell cell;
        cell.cluster = static_cast<int>(fleet.clusters_.size());
        cell.region = cluster.region;
        cell.bucket = b;
        cell.hosts = base + (b < extra ? 1 : 0);
        cell.first_host = fleet.total_hosts_;
        fleet.total_hosts_ += cell.hosts;
        fleet.cells_.push_back(cell);
      }
      region.hosts += cs.hosts;
      fleet.clusters_.push_back(cluster);
    }
    region.cluster_count = static_cast<int>(fleet.clusters_.size()) - region.first_cluster;
    fleet.regions_.push_back(region);
  }
  for (size_t i = 0; i < fleet.regions_.size(); ++i) {
    Region& region = fleet.regions_[i];
    const double host_share =
        static_cast<double>(region.hosts) / static_cast<double>(fleet.total_hosts_);
    if (any_explicit) {
      if (explicit_share <= 0) return Status::Error("fleet: traffic shares must not all be zero");
      region.traffic_share = spec.regions[i].traffic_share / explicit_share;
    } else {
      region.traffic_share = host_share;
    }
    region.load_weight = region.traffic_share / host_share;
  }
  fleet.hosts_before_bucket_.assign(fleet.cells_.size() + fleet.clusters_.size(), 0);
  fleet.common_cell_count_ = fleet.clusters_.front().cell_count;
  for (size_t k = 0; k < fleet.clusters_.size(); ++k) {
    const Cluster& cluster = fleet.clusters_[k];
    const size_t base = static_cast<size_t>(cluster.first_cell) + k;
    for (int j = 0; j < cluster.cell_count; ++j) {
      fleet.hosts_before_bucket_[base + j + 1] =
          fleet.hosts_before_bucket_[base + j] + fleet.cells_[cluster.first_cell + j].hosts;
    }
    if (cluster.cell_count != fleet.common_cell_count_) fleet.common_cell_count_ = 0;
  }
  if (const int b = fleet.common_cell_count_; b > 0) {
    fleet.bucket_hosts_prefix_.assign(static_cast<size_t>(b) + 1, 0);
    for (const Cluster& cluster : fleet.clusters_) {
      for (int j = 0; j < b; ++j)
        fleet.bucket_hosts_prefix_[j + 1] += fleet.cells_[cluster.first_cell + j].hosts;
    }
    for (int j = 0; j < b; ++j) fleet.bucket_hosts_prefix_[j + 1] += fleet.bucket_hosts_prefix_[j];
  }
  return fleet;
}

HostLocation Fleet::Locate(int64_t host) const {
  auto it = std::upper_bound(cells_.begin(), cells_.end(), host,
                             [](int64_t h, const Cell& c) { return h < c.first_host; });
  const int cell = static_cast<int>(it - cells_.begin()) - 1;
  return HostLocation{cell, cells_[cell].cluster, cells_[cell].region};
}

}  // namespace fleetsim
