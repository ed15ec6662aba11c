#include "analysis/work_queue.h"

#include <algorithm>

namespace fleetsim {

WorkQueue::WorkQueue(std::vector<int64_t> pending, int total_threads)
    : pending_(std::move(pending)), total_threads_(std::max(1, total_threads)) {}

std::vector<int64_t> WorkQueue::Next(int threads) {
  const int64_t left = remaining();
  if (left == 0) return {};
  const int64_t t = std::clamp(threads, 1, total_threads_);
  const int64_t share = (left * t + 2 * total_threads_ - 1) / (2 * int64_t{total_threads_});
  const int64_t n = std::clamp<int64_t>(share, 1, left);
  std::vector<int64_t> chunk(pending_.begin() + static_cast<std::ptrdiff_t>(next_),
                             pending_.begin() + static_cast<std::ptrdiff_t>(next_ + n));
  next_ += static_cast<size_t>(n);
  return chunk;
}

}  // namespace fleetsim
