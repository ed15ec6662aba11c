#include "sim/culprit_search.h"

#include <cassert>
#include <cstddef>

namespace fleetsim {

BisectResult Bisect(const std::vector<bool>& bad) {
  assert(!bad.empty());
  BisectResult r;
  int64_t lo = 0, hi = static_cast<int64_t>(bad.size());
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo + 1) / 2;
    bool canary_fails = false;
    for (int64_t i = lo; i < mid; ++i)
      canary_fails = canary_fails || bad[static_cast<std::size_t>(i)];
    ++r.steps;
    if (canary_fails)
      hi = mid;
    else
      lo = mid;
  }
  r.suspect = lo;
  return r;
}

int CeilLog2(int64_t n) {
  int k = 0;
  while ((int64_t{1} << k) < n) ++k;
  return k;
}

}  // namespace fleetsim
