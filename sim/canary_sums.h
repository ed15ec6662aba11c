// CanaryPrefixSums: a change's whole cells summed in O(1) per cluster, group or fleet.
//
// The tick sampler draws every cell once; a change's canary is its partial cells (drawn with
// the cell) plus its whole cells, a ring range of buckets in each cluster. Prefix sums of the
// cells' totals answer those ranges: per cluster (O(clusters) per change), or bucket-major
// over all clusters of a region group (O(groups)) or of the fleet (O(1)) when the change has
// the same buckets in every cluster (Placement::uniform). Build() makes the sums the tick needs
// and AddCanary() sums a placement's whole cells from the source chosen for it.
//
// Owns its prefix buffers (reused every tick). Not thread-safe itself; Build sums the cells of
// each range of whole groups (cell_ranges.h) in parallel, each into its own clusters' and
// groups' rows, so its sums are the same, in the same order, for any thread count.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/cell_ranges.h"
#include "sim/fleet.h"
#include "sim/fleet_target.h"
#include "sim/health_evaluator.h"
#include "sim/rollout_state.h"
#include "sim/tick_totals.h"

namespace fleetsim {

// Which prefix sums a change's whole cells are summed from this tick.
enum class CanarySource : uint8_t { kNone, kFleet, kGroups, kClusters };

class CanaryPrefixSums {
 public:
  CanaryPrefixSums(const Fleet& fleet, const HealthEvaluator& groups);

  // From the cells' totals and (when the plain cells were summed by column, one column per
  // region and bucket) the columns' totals: per-cluster sums when `per_cluster`, and
  // bucket-major sums when every cluster has `common_buckets` > 0 buckets.
  void Build(std::span<const CellTotals> cells, std::span<const CellTotals> columns,
             bool per_cluster, int common_buckets, const CellRanges& ranges);
  // Build in three parts, for a sweep that sums each range while its cells are hot: Prepare,
  // then BuildRange for every range of `ranges` (concurrently for different ranges, each once
  // its cells' totals are final), then Finish with the columns.
  void Prepare(bool per_cluster, int common_buckets);
  void BuildRange(std::span<const CellTotals> cells, size_t first, size_t last);
  void Finish(std::span<const CellTotals> cells, std::span<const CellTotals> columns);
  // Adds the whole cells of placement p (on `target`, in its cluster order) to `canary` and, per
  // group, to canary_by_group (null when nobody reads per-group windows). kFleet is for the whole
  // fleet only; kGroups sums the groups listed (all when `groups` is empty).
  void AddCanary(CanarySource source, const FleetTarget& target, std::span<const int> groups,
                 const Placement& p, CellTotals& canary, SignalWindow* canary_by_group) const;
  // Every cell of fleet cluster k (needs the per-cluster sums of this tick).
  CellTotals ClusterTotal(size_t k) const {
    const Cluster& cluster = fleet_.clusters()[k];
    return cluster_prefix_[static_cast<size_t>(cluster.first_cell + cluster.cell_count) + k];
  }

 private:
  const Fleet& fleet_;
  const HealthEvaluator& groups_;
  int common_b_ = 0;
  bool per_cluster_ = false;
  std::vector<CellTotals> cluster_prefix_;  // per cluster k at first_cell + k: buckets [0, j)
  // Bucket-major, [group * (B + 1) + j]: group g's cells in buckets [0, j) of all its clusters
  // (groups are regions here; by-cluster groups use the per-cluster sums).
  std::vector<CellTotals> group_prefix_;
  std::vector<CellTotals> fleet_prefix_;  // the same over the whole fleet
};

}  // namespace fleetsim
