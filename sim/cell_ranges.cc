// The fixed partition of cells into ranges of whole groups: see cell_ranges.h.
#include "sim/cell_ranges.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <unordered_set>

namespace fleetsim {

void CellRanges::Build(const std::vector<int>& group_of_cell) {
  const size_t n = group_of_cell.size();
  bounds_.assign(1, 0);
  if (n == 0) return;
  // Each group must be one run of cells; otherwise one range (groups would be shared).
  std::unordered_set<int> seen{group_of_cell[0]};
  for (size_t c = 1; c < n; ++c) {
    if (group_of_cell[c] != group_of_cell[c - 1] && !seen.insert(group_of_cell[c]).second) {
      bounds_.push_back(n);
      return;
    }
  }
  size_t start = 0;
  for (size_t c = 1; c < n; ++c) {
    if (group_of_cell[c] != group_of_cell[c - 1] && c - start >= kMinCells) {
      bounds_.push_back(c);
      start = c;
    }
  }
  bounds_.push_back(n);
}

void ParallelForEach(size_t n, const std::function<void(size_t)>& fn) {
  if (n <= 1) {
    if (n == 1) fn(0);
    return;
  }
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(
        tbb::blocked_range<size_t>(0, n, 1),
        [&](const tbb::blocked_range<size_t>& r) {
          for (size_t i = r.begin(); i != r.end(); ++i) fn(i);
        },
        tbb::simple_partitioner());
  });
}

void CellRanges::ForEachRange(const std::function<void(size_t)>& fn) const {
  ParallelForEach(size(), fn);
}

}  // namespace fleetsim
