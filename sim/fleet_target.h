// FleetTarget: the part of the fleet one change targets (DESIGN §2): some regions or clusters
// of it (a region-scoped config, a cluster's deploy), or the whole fleet.
//
// With services on the fleet (fleet.h) a change targets a service (its slices), optionally
// only in some regions or clusters; `service` empty there means every service's slices there.
//
// A target is a Fleet of its own ("the view", Fleet::Subset): its clusters in fleet order,
// grouped under their regions, each with the same cells as in the fleet, so every rollout
// computation (step targets, exposure, placement, move times, plans) runs on the view exactly
// as it would on a fleet of that shape. The maps turn view indices into the fleet's: view
// cluster k is fleet cluster FleetCluster(k), and a view cell is the fleet cell at the same
// bucket of that cluster. The whole fleet's target is the fleet itself with identity maps (no
// copy, and every computation is the one the engine did before targets existed).
//
// TargetSpec is the scenario's description (loader: `changes.config.scope`,
// `changes.injected[].target`); Scenario::targets holds the specs, [0] the whole fleet, and
// Scenario::fleet_targets the built targets, in the same order. Immutable once built; shared by
// every replica and thread.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/fleet.h"
#include "sim/status.h"

namespace fleetsim {

struct TargetSpec {
  std::string service;                // empty: every service
  std::vector<std::string> regions;   // empty: every region
  std::vector<std::string> clusters;  // empty: every cluster of those regions
  bool whole() const { return service.empty() && regions.empty() && clusters.empty(); }
  bool operator==(const TargetSpec&) const = default;
  // "regions a, b; clusters c" (or "whole fleet"), for messages and reports.
  std::string Describe() const;
};

class FleetTarget {
 public:
  // The whole fleet (identity maps; `fleet` is shared, not copied).
  static FleetTarget Whole(std::shared_ptr<const Fleet> fleet);
  // The clusters `spec` names: the service's (all services' when none), of the regions listed
  // (all when none), those listed (all when none). Fails when a name is unknown or nothing is
  // left.
  static Result<FleetTarget> Build(std::shared_ptr<const Fleet> fleet, const TargetSpec& spec);

  const Fleet& view() const { return *view_; }
  bool whole() const { return whole_; }
  const std::string& name() const { return name_; }  // TargetSpec::Describe()

  // View cluster k -> fleet cluster (ascending in k).
  int FleetCluster(size_t k) const { return whole_ ? static_cast<int>(k) : cluster_map_[k]; }
  // View cell -> fleet cell (the same bucket of the mapped cluster).
  int FleetCell(int view_cell) const {
    if (whole_) return view_cell;
    const int k = view_->cells()[static_cast<size_t>(view_cell)].cluster;
    return view_cell + cell_shift_[static_cast<size_t>(k)];
  }
  // View region -> fleet region.
  int FleetRegion(size_t r) const { return whole_ ? static_cast<int>(r) : region_map_[r]; }
  // The service it targets (index into the fleet's services()), or -1: every service there.
  int service() const { return service_; }
  // Hosts of that service (of the fleet without one): what its exposure is a share of.
  int64_t service_hosts() const { return service_hosts_; }
  // Fleet cluster -> view cluster, or -1 when the target does not hold it. O(log clusters).
  int ViewCluster(int fleet_cluster) const;
  // Every region of the target holds all of that region's clusters (of every service).
  bool whole_regions() const { return whole_regions_; }

 private:
  std::shared_ptr<const Fleet> view_;
  bool whole_ = true;
  bool whole_regions_ = true;
  int service_ = -1;
  int64_t service_hosts_ = 0;
  std::string name_;
  std::vector<int> cluster_map_;  // per view cluster
  std::vector<int> cell_shift_;   // per view cluster: fleet first_cell - view first_cell
  std::vector<int> region_map_;   // per view region
};

}  // namespace fleetsim
