// WorkQueue: hands out the pending items of a plan in chunks of decreasing size (guided
// self-scheduling), so ranks that draw cheap replicas come back for more while one stuck with a
// day-long replica holds little else.
//
// A request from a rank running t threads, when r items remain and the ranks run T threads in
// all, gets ceil(r * t / (2 T)) items (at least 1): early chunks are large (few messages), late
// chunks shrink to single items (a balanced finish). Items are handed out in ascending order,
// each exactly once. Deterministic given the order of requests (which ranks' requests arrive
// first is up to timing, the results are not: every item is computed the same anywhere).
// Not thread-safe: owned by the coordinating thread of rank 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleetsim {

class WorkQueue {
 public:
  // `pending`: ascending item indices; `total_threads`: threads of all ranks together (>= 1).
  WorkQueue(std::vector<int64_t> pending, int total_threads);

  // The next chunk for a requester with `threads` threads; empty when nothing is left.
  std::vector<int64_t> Next(int threads);

  int64_t remaining() const { return static_cast<int64_t>(pending_.size() - next_); }

 private:
  std::vector<int64_t> pending_;
  size_t next_ = 0;
  int total_threads_;
};

}  // namespace fleetsim
