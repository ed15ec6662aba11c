// Bisection (sim/culprit_search.h): with one bad commit among n, binary search isolates it in at
// most ceil(log2 n) canaries, exactly log2 n when n is a power of two, and some position needs
// the full ceil(log2 n); a single commit needs none.
#include <catch2/catch.hpp>

#include "sim/culprit_search.h"

namespace fleetsim {
namespace {

TEST_CASE("bisection isolates the bad commit in ceil(log2 n) steps", "[commits][bisect]") {
  for (int64_t n = 1; n <= 70; ++n) {
    int worst = 0;
    for (int64_t culprit = 0; culprit < n; ++culprit) {
      std::vector<bool> bad(static_cast<size_t>(n), false);
      bad[static_cast<size_t>(culprit)] = true;
      const BisectResult r = Bisect(bad);
      INFO("n " << n << ", culprit " << culprit);
      CHECK(r.suspect == culprit);
      CHECK(r.steps <= CeilLog2(n));
      if ((n & (n - 1)) == 0) CHECK(r.steps == CeilLog2(n));
      worst = std::max(worst, r.steps);
    }
    CHECK(worst == CeilLog2(n));
  }
  CHECK(CeilLog2(1) == 0);
  CHECK(CeilLog2(8) == 3);
  CHECK(CeilLog2(9) == 4);
}

TEST_CASE("bisection with several bad commits still ends on a bad one", "[commits][bisect]") {
  const BisectResult r = Bisect({false, false, true, false, false, true, false});
  CHECK(r.suspect == 2);
  CHECK(r.steps == 3);
}

}  // namespace
}  // namespace fleetsim
