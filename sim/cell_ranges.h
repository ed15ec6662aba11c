// CellRanges: the fixed partition of a fleet's cells into ranges that the per-cell sweep can
// take in parallel (tick_sampler.h), and ForEachRange, which sweeps them.
//
// A range is a run of whole evaluation groups (regions or clusters, health_evaluator.h) of at
// least kMinCells cells (the last may be smaller), so no two ranges touch the same group or
// column. The partition depends on the fleet and the grouping only — never on the thread count
// — which is what keeps a replica's output byte-identical for any number of threads: random
// streams are keyed by (tick, cell) and the ranges' sums are merged in range order. A fleet
// whose groups are not contiguous runs of cells gets one range.
//
// ForEachRange runs fn(i) for every range i, in parallel on the current TBB arena (the one the
// replica runs in, so replica-level and range-level work share one pool), isolated so that a
// thread waiting for the ranges never picks up another replica meanwhile. Immutable after
// Build; ForEachRange is thread-safe if fn is.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace fleetsim {

// fn(i) for every i < n, in parallel on the current TBB arena, isolated (as ForEachRange).
void ParallelForEach(size_t n, const std::function<void(size_t)>& fn);

class CellRanges {
 public:
  static constexpr size_t kMinCells = 512;

  // `group_of_cell[c]`: cell c's evaluation group.
  void Build(const std::vector<int>& group_of_cell);

  size_t size() const { return bounds_.empty() ? 0 : bounds_.size() - 1; }
  size_t first(size_t i) const { return bounds_[i]; }
  size_t last(size_t i) const { return bounds_[i + 1]; }

  void ForEachRange(const std::function<void(size_t)>& fn) const;

 private:
  std::vector<size_t> bounds_;  // range i is cells [bounds_[i], bounds_[i + 1])
};

}  // namespace fleetsim
