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
  const size_t n_clusters = fleet_.clusters().size();
  common_b_ = common_buckets;
  // (a replica that never reads them never pays for them)
  if (per_cluster) cluster_prefix_.resize(fleet_.cells().size() + n_clusters);
  const size_t b = static_cast<size_t>(std::max(common_b_, 0));
  const size_t stride = b + 1;
  const size_t n_groups = groups_.groups().size();
  if (common_b_ > 0) {
    group_prefix_.assign(n_groups * stride, CellTotals{});
    fleet_prefix_.assign(stride, CellTotals{});
  }
  if (per_cluster || (common_b_ > 0 && groups_.region_groups())) {
    ranges.ForEachRange(
        [&](size_t i) { BuildRange(cells, ranges.first(i), ranges.last(i), per_cluster); });
  }
  if (common_b_ <= 0) return;
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

void CanaryPrefixSums::BuildRange(std::span<const CellTotals> cells, size_t first, size_t last,
                                  bool per_cluster) {
  if (first >= last) return;
  const auto k_first = static_cast<size_t>(fleet_.cells()[first].cluster);
  const auto k_last = static_cast<size_t>(fleet_.cells()[last - 1].cluster) + 1;
  for (size_t k = k_first; k < k_last; ++k) {
    const Cluster& cluster = fleet_.clusters()[k];
    if (per_cluster) {
      const size_t base = static_cast<size_t>(cluster.first_cell) + k;
      cluster_prefix_[base] = CellTotals{};
      for (int j = 0; j < cluster.cell_count; ++j) {
        cluster_prefix_[base + j + 1] = cluster_prefix_[base + j];
        cluster_prefix_[base + j + 1].Add(cells[cluster.first_cell + j]);
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
