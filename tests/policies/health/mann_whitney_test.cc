// Golden tests of MannWhitneyTest (policies/health/mann_whitney.h) against references that do
// not come from the code under test:
//   * U by brute-force pair counting, and the tie-corrected, continuity-corrected normal
//     approximation written out in the test with boost::math::normal;
//   * the Hodges–Lehmann estimate as the median of the brute-force pairwise differences;
//   * the interval bounds checked against a naive re-implementation of R's estimating function
//     wdiff (midranks by O(N^2) counting): each bound must be the point where it jumps across
//     the normal quantile, or the end point R's root() returns;
//   * literal values printed by R 4.2.2 (Debian r-base-core 4.2.2.20221110-2),
//     wilcox.test(x, y, exact = FALSE, correct = TRUE, conf.int = TRUE), p-values to 1e-12 and
//     interval/estimate to 1e-4, the absolute tolerance of R's uniroot. The first data set is
//     the two-sample example of R's ?wilcox.test (depression scores, Hollander & Wolfe).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <catch2/catch.hpp>

#include "policies/health/mann_whitney.h"
#include "sim/random_stream.h"

namespace fleetsim {
namespace {

const std::vector<double> kDepressionX = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
const std::vector<double> kDepressionY = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};

double BruteForceU(const std::vector<double>& x, const std::vector<double>& y) {
  double u = 0;
  for (double a : x) {
    for (double b : y) u += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
  }
  return u;
}

double BruteForceMedianDifference(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> d;
  for (double a : x) {
    for (double b : y) d.push_back(a - b);
  }
  std::sort(d.begin(), d.end());
  const size_t k = d.size();
  return k % 2 ? d[k / 2] : (d[k / 2 - 1] + d[k / 2]) / 2;
}

// R's wdiff(d, zq) for a two-sided test with correct = TRUE, by naive midranks.
double NaiveWdiff(const std::vector<double>& x, const std::vector<double>& y, double d, double zq) {
  std::vector<double> all;
  for (double a : x) all.push_back(a - d);
  all.insert(all.end(), y.begin(), y.end());
  const double m = static_cast<double>(x.size()), n = static_cast<double>(y.size());
  const double big_n = m + n;
  double rank_sum_x = 0, ties = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    double less = 0, equal = 0;
    for (double v : all) {
      less += v < all[i];
      equal += v == all[i];
    }
    if (i < x.size()) rank_sum_x += less + (equal + 1) / 2;
    ties += (equal * equal * equal - equal) / equal;  // each member adds (t^3 - t)/t
  }
  const double dz = rank_sum_x - m * (m + 1) / 2 - m * n / 2;
  const double correction = dz > 0 ? 0.5 : (dz < 0 ? -0.5 : 0.0);
  const double sigma = std::sqrt(m * n / 12 * ((big_n + 1) - ties / (big_n * (big_n - 1))));
  return (dz - correction) / sigma - zq;
}

// Checks that `bound` is where R's root(zq) lands: an end point by R's rule, else a jump of
// the estimating function across zq.
void CheckBound(const std::vector<double>& x, const std::vector<double>& y, double bound,
                double zq) {
  const double lo = *std::min_element(x.begin(), x.end()) - *std::max_element(y.begin(), y.end());
  const double hi = *std::max_element(x.begin(), x.end()) - *std::min_element(y.begin(), y.end());
  if (NaiveWdiff(x, y, lo, zq) <= 0) {
    CHECK(bound == lo);
  } else if (NaiveWdiff(x, y, hi, zq) >= 0) {
    CHECK(bound == hi);
  } else {
    const double eps = 1e-9 * std::max(1.0, std::abs(bound));
    CHECK(NaiveWdiff(x, y, bound - eps, zq) > 0);
    CHECK(NaiveWdiff(x, y, bound + eps, zq) < 0);
  }
}

TEST_CASE("mann_whitney: depression data statistic and p-value match the hand formula and R") {
  const MannWhitneyResult r = MannWhitneyTest(kDepressionX, kDepressionY, 0.95);
  CHECK(r.m == 9);
  CHECK(r.n == 9);
  CHECK(r.u == BruteForceU(kDepressionX, kDepressionY));
  CHECK(r.u == 58);  // R: W = 58
  // Ties in x ∪ y: 1.06 twice and 1.29 twice, so Σ(t^3 - t) = 6 + 6 = 12; N = 18.
  const double sigma = std::sqrt(9.0 * 9.0 / 12.0 * (19.0 - 12.0 / (18.0 * 17.0)));
  const double z = (58 - 9.0 * 9.0 / 2 - 0.5) / sigma;
  const boost::math::normal normal;
  const double p = 2 * boost::math::cdf(boost::math::complement(normal, z));
  CHECK(r.sigma == Approx(sigma).epsilon(1e-14));
  CHECK(r.z == Approx(z).epsilon(1e-14));
  CHECK(r.p_value == Approx(p).epsilon(1e-12));
  CHECK(r.p_value == Approx(0.13291945818531886).epsilon(1e-12));       // R, two-sided
  CHECK(r.p_value / 2 == Approx(0.066459729092659431).epsilon(1e-12));  // R, "greater"
}

TEST_CASE("mann_whitney: depression data estimate and intervals match R within uniroot tolerance") {
  const boost::math::normal normal;
  for (const double confidence : {0.95, 0.98}) {
    const MannWhitneyResult r = MannWhitneyTest(kDepressionX, kDepressionY, confidence);
    REQUIRE(r.ci_valid);
    CHECK(r.hodges_lehmann == BruteForceMedianDifference(kDepressionX, kDepressionY));
    CHECK(r.hodges_lehmann == Approx(0.56).margin(1e-12));
    CHECK(r.hodges_lehmann == Approx(0.5600561608358734).margin(1e-4));  // R
    CHECK(NaiveWdiff(kDepressionX, kDepressionY, r.hodges_lehmann - 1e-9, 0) >= 0);
    CHECK(NaiveWdiff(kDepressionX, kDepressionY, r.hodges_lehmann + 1e-9, 0) <= 0);
    const double q = boost::math::quantile(normal, 1 - (1 - confidence) / 2);
    CheckBound(kDepressionX, kDepressionY, r.ci_lo, q);
    CheckBound(kDepressionX, kDepressionY, r.ci_hi, -q);
    if (confidence == 0.95) {
      CHECK(r.ci_lo == Approx(-0.36997737472725434).margin(1e-4));  // R
      CHECK(r.ci_hi == Approx(1.18297077368792247).margin(1e-4));
      // The jumps sit at pairwise differences: 1.68 - 2.05 and 1.83 - 0.647.
      CHECK(r.ci_lo == Approx(1.68 - 2.05).margin(1e-12));
      CHECK(r.ci_hi == Approx(1.83 - 0.647).margin(1e-12));
    } else {
      CHECK(r.ci_lo == Approx(-0.55995169526318367).margin(1e-4));  // R
      CHECK(r.ci_hi == Approx(1.23296040830331100).margin(1e-4));
      CHECK(r.ci_lo == Approx(0.50 - 1.06).margin(1e-12));
      CHECK(r.ci_hi == Approx(1.88 - 0.647).margin(1e-12));
    }
  }
}

TEST_CASE("mann_whitney: small cases match R, including end-point intervals and ties") {
  struct Case {
    std::vector<double> x, y;
    double confidence, u, p, estimate, lo, hi;
  };
  // Values printed by R 4.2.2 (see the file comment); estimates where R's Brent point differs
  // from the median of the pairwise differences are given as the median (hand-computed).
  const std::vector<Case> cases = {
      {{1, 2, 3}, {4, 5}, 0.95, 0, 0.14891467317876567, -2.5, -4, -1},
      {{1, 2, 3, 4, 5, 6, 7, 8},
       {1.5, 3.5, 9, 10, 11, 12},
       0.95,
       12,
       0.13763825510818281,
       -4,
       -7.9999827005711222,
       1.5000139039985485},
      {{1, 1, 2, 3, 3, 3},
       {0, 1, 1, 2},
       0.9,
       19.5,
       0.11752486809663919,
       1,
       -1.0801544495973639e-05,
       2.0000063540786108},
      {{10, 11, 12, 13, 14, 15, 16, 17, 18, 19},
       {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
       0.98,
       99.5,
       0.00021101981687501458,
       9,
       5.0000065617337812,
       12.9999934382662197},
  };
  for (const Case& c : cases) {
    const MannWhitneyResult r = MannWhitneyTest(c.x, c.y, c.confidence);
    CHECK(r.u == c.u);
    CHECK(r.u == BruteForceU(c.x, c.y));
    CHECK(r.p_value == Approx(c.p).epsilon(1e-12));
    CHECK(r.hodges_lehmann == BruteForceMedianDifference(c.x, c.y));
    CHECK(r.hodges_lehmann == Approx(c.estimate).margin(1e-4));
    REQUIRE(r.ci_valid);
    CHECK(r.ci_lo == Approx(c.lo).margin(1e-4));
    CHECK(r.ci_hi == Approx(c.hi).margin(1e-4));
  }
}

TEST_CASE("mann_whitney: hand-worked Hodges-Lehmann estimates") {
  // x - y differences {1, 2, 3}: median 2.
  CHECK(MannWhitneyTest({1, 2, 3}, {0}).hodges_lehmann == 2);
  // {1-0, 1-2, 4-0, 4-2} = {1, -1, 4, 2}: sorted -1, 1, 2, 4, median (1 + 2)/2.
  CHECK(MannWhitneyTest({1, 4}, {0, 2}).hodges_lehmann == 1.5);
  // {0, 0, 1}: median 0; U = 0.5 + 0.5 + 1.
  const MannWhitneyResult tied = MannWhitneyTest({1, 1, 2}, {1});
  CHECK(tied.hodges_lehmann == 0);
  CHECK(tied.u == 2);
  // A pure shift by 10 of the same sample: every difference set is centred on 10.
  CHECK(MannWhitneyTest({11, 12, 13, 14}, {1, 2, 3, 4}).hodges_lehmann == 10);
}

TEST_CASE("mann_whitney: all observations tied gives p 1 and no interval") {
  const MannWhitneyResult r = MannWhitneyTest({2, 2}, {2, 2, 2});
  CHECK(r.u == 3);
  CHECK(r.p_value == 1);
  CHECK_FALSE(r.ci_valid);
  // Two different constants: the test runs, R's interval fails (all tied at d = 2 - 1).
  const MannWhitneyResult two = MannWhitneyTest({2, 2, 2}, {1, 1, 1});
  CHECK(two.u == 9);
  CHECK(two.p_value < 0.1);
  CHECK_FALSE(two.ci_valid);
}

TEST_CASE("mann_whitney: random tied samples agree with the naive estimating function") {
  RandomStream rng(StreamKey{20240611, 0, StreamPurpose::kTest, 1});
  const boost::math::normal normal;
  const double q = boost::math::quantile(normal, 0.99);  // 98% interval
  for (int trial = 0; trial < 200; ++trial) {
    const int m = boost::random::uniform_int_distribution<int>(1, 12)(rng);
    const int n = boost::random::uniform_int_distribution<int>(1, 12)(rng);
    std::vector<double> x(m), y(n);
    for (double& v : x) v = boost::random::uniform_int_distribution<int>(0, 6)(rng) * 0.5;
    for (double& v : y) v = boost::random::uniform_int_distribution<int>(0, 5)(rng) * 0.5;
    const MannWhitneyResult r = MannWhitneyTest(x, y, 0.98);
    INFO("trial " << trial);
    CHECK(r.u == BruteForceU(x, y));
    CHECK(r.hodges_lehmann == BruteForceMedianDifference(x, y));
    if (!r.ci_valid) {
      // Only when the end point ties every observation: both samples constant.
      CHECK(std::count(x.begin(), x.end(), x[0]) == m);
      CHECK(std::count(y.begin(), y.end(), y[0]) == n);
      continue;
    }
    CHECK(r.ci_lo <= r.hodges_lehmann);
    CHECK(r.hodges_lehmann <= r.ci_hi);
    // The estimate is where R's estimating function (q = 0) changes sign or is flat at 0.
    CHECK(NaiveWdiff(x, y, r.hodges_lehmann - 1e-9, 0) >= 0);
    CHECK(NaiveWdiff(x, y, r.hodges_lehmann + 1e-9, 0) <= 0);
    CheckBound(x, y, r.ci_lo, q);
    CheckBound(x, y, r.ci_hi, -q);
  }
}

}  // namespace
}  // namespace fleetsim
