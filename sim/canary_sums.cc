#include "sim/canary_sums.h"

#include <algorithm>

namespace fleetsim {
namespace {

// Sum of buckets [start, start + length) (wrapping) of a prefix row of b buckets.
CellTotals RingSum(const CellTotals* row, int b, int start, int length) {
  CellTotals sum;
  if (start + length <= b) {
    sum = row[start + length];
    sum.Subtract(row[start]);
  } else {
    sum = row[b];
    sum.Subtract(row[start]);
    sum.Add(row[start + length - b]);
  }
  return sum;
}

}  // namespace

CanaryPrefixSums::CanaryPrefixSums(const Fleet& fleet, const HealthEvaluator& groups)
    : fleet_(fleet), groups_(groups) {}

void CanaryPrefixSums::Build(std::span<const CellTotals> cells, std::span<const CellTotals> columns,
                             bool per_cluster, int common_buckets, const CellRanges& ranges) {
  Prepare(per_cluster, common_buckets);
  if (per_cluster_ || (common_b_ > 0 && groups_.region_groups()))
    ranges.ForEachRange([&](size_t i) { BuildRange(cells, ranges.first(i), ranges.last(i)); });
  Finish(cells, columns);
}

void CanaryPrefixSums::Prepare(bool per_cluster, int common_buckets) {
  per_cluster_ = per_cluster;
  common_b_ = common_buckets;
  // (a replica that never reads them never pays for them)
  if (per_cluster_) cluster_prefix_.resize(fleet_.cells().size() + fleet_.clusters().size());
  if (common_b_ > 0) {
    const size_t stride = static_cast<size_t>(common_b_) + 1;
    // (bucket-major group rows exist for region groups only: by-cluster groups read the
    // per-cluster sums)
    group_prefix_.assign(groups_.region_groups() ? groups_.groups().size() * stride : 0,
                         CellTotals{});
    fleet_prefix_.assign(stride, CellTotals{});
  }
}

void CanaryPrefixSums::Finish(std::span<const CellTotals> cells,
                              std::span<const CellTotals> columns) {
  if (common_b_ <= 0) return;
  const size_t n_clusters = fleet_.clusters().size();
  const size_t b = static_cast<size_t>(common_b_);
  const size_t stride = b + 1;
  const size_t n_groups = groups_.groups().size();
  if (groups_.region_groups()) {
    for (size_t column = 0; column < columns.size(); ++column)
      group_prefix_[column / b * stride + 1 + column % b].Add(columns[column]);
    for (size_t g = 0; g < n_groups; ++g) {
      CellTotals* row = &group_prefix_[g * stride];
      for (size_t j = 0; j < b; ++j) fleet_prefix_[j + 1].Add(row[j + 1]);
      for (size_t j = 0; j < b; ++j) row[j + 1].Add(row[j]);
    }
  } else {
    for (size_t k = 0; k < n_clusters; ++k) {
      const Cluster& cluster = fleet_.clusters()[k];
      for (size_t j = 0; j < b; ++j) fleet_prefix_[j + 1].Add(cells[cluster.first_cell + j]);
    }
  }
  for (size_t j = 0; j < b; ++j) fleet_prefix_[j + 1].Add(fleet_prefix_[j]);
}

void CanaryPrefixSums::BuildRange(std::span<const CellTotals> cells, size_t first, size_t last) {
  if (first >= last) return;
  const auto k_first = static_cast<size_t>(fleet_.cells()[first].cluster);
  const auto k_last = static_cast<size_t>(fleet_.cells()[last - 1].cluster) + 1;
  for (size_t k = k_first; k < k_last; ++k) {
    const Cluster& cluster = fleet_.clusters()[k];
    if (per_cluster_) {
      // (a running sum in registers: prefix[j + 1] = prefix[j] + cell j, as written out)
      CellTotals* prefix = cluster_prefix_.data() + static_cast<size_t>(cluster.first_cell) + k;
      const CellTotals* cell = cells.data() + cluster.first_cell;
      CellTotals running;
      prefix[0] = running;
      for (int j = 0; j < cluster.cell_count; ++j) {
        running.Add(cell[j]);
        prefix[j + 1] = running;
      }
    }
    if (common_b_ > 0 && groups_.region_groups()) {
      const size_t stride = static_cast<size_t>(common_b_) + 1;
      CellTotals* row = &group_prefix_[static_cast<size_t>(groups_.GroupOf(k)) * stride + 1];
      for (size_t j = 0; j < static_cast<size_t>(common_b_); ++j)
        row[j].Add(cells[cluster.first_cell + j]);
    }
  }
}

void CanaryPrefixSums::AddCanary(CanarySource source, const FleetTarget& target,
                                 std::span<const int> groups, const Placement& p,
                                 CellTotals& canary, SignalWindow* canary_by_group) const {
  switch (source) {
    case CanarySource::kNone:
      return;
    case CanarySource::kFleet:
      canary.Add(RingSum(fleet_prefix_.data(), common_b_, p.start, p.full));
      return;
    case CanarySource::kGroups: {
      const size_t stride = static_cast<size_t>(common_b_) + 1;
      const size_t n = groups.empty() ? groups_.groups().size() : groups.size();
      for (size_t i = 0; i < n; ++i) {
        const size_t g = groups.empty() ? i : static_cast<size_t>(groups[i]);
        const CellTotals in_group = RingSum(&group_prefix_[g * stride], common_b_, p.start, p.full);
        canary.Add(in_group);
        if (canary_by_group) canary_by_group[g].Add(in_group.window);
      }
      return;
    }
    case CanarySource::kClusters:
      for (size_t v = 0; v < target.view().clusters().size(); ++v) {
        const ClusterExposure e = p.In(v);
        if (e.full == 0) continue;
        const auto k = static_cast<size_t>(target.FleetCluster(v));
        const Cluster& cluster = fleet_.clusters()[k];
        const CellTotals in_cluster =
            RingSum(&cluster_prefix_[static_cast<size_t>(cluster.first_cell) + k],
                    cluster.cell_count, e.start, e.full);
        canary.Add(in_cluster);
        if (canary_by_group) canary_by_group[groups_.GroupOf(k)].Add(in_cluster.window);
      }
      return;
  }
}

}  // namespace fleetsim
