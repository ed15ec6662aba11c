// Tests for sim/random_draws.h: DrawPoisson follows the Poisson law on both sides of
// kPoissonInversionLimit (inversion below it, Ahrens and Dieter's algorithm PD above, whose
// rarely taken steps Q, E and H carry the low tail: means just above the limit send the most
// draws through them). For each mean, 400,000 draws at a fixed seed are binned into the pmf's cells
// (tails merged until every cell expects at least 20 draws) and the Pearson statistic is compared
// with the 0.999 quantile of chi-square(cells - 1); the sample mean must lie within 5 standard
// errors (sd = sqrt(mean / n)). A negative control: draws of mean 12 are rejected as mean 12.5.
#include "sim/random_draws.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <catch2/catch.hpp>

namespace fleetsim {
namespace {

constexpr int kDraws = 400'000;

struct GoodnessOfFit {
  double statistic = 0;
  double critical = 0;
  double sample_mean = 0;
};

// Pearson chi-square of `draws` against Poisson(`law_mean`), cells merged so each expects >= 20.
GoodnessOfFit TestAgainstPoisson(const std::vector<int64_t>& draws, double law_mean) {
  const boost::math::poisson_distribution<double> law(law_mean);
  std::map<int64_t, int64_t> counts;
  double sum = 0;
  for (int64_t x : draws) {
    ++counts[x];
    sum += static_cast<double>(x);
  }
  const double n = static_cast<double>(draws.size());
  // Cells: (-inf, lo], lo+1, ..., hi-1, [hi, inf) with lo and hi chosen by the expected counts.
  int64_t lo = 0;
  while (n * boost::math::cdf(law, static_cast<double>(lo)) < 20) ++lo;
  int64_t hi = lo + 1;
  while (n * boost::math::cdf(boost::math::complement(law, static_cast<double>(hi - 1))) >= 20)
    ++hi;
  --hi;
  std::vector<double> expected, observed;
  expected.push_back(n * boost::math::cdf(law, static_cast<double>(lo)));
  observed.push_back(0);
  for (int64_t k = lo + 1; k < hi; ++k) {
    expected.push_back(n * boost::math::pdf(law, static_cast<double>(k)));
    observed.push_back(0);
  }
  expected.push_back(n *
                     boost::math::cdf(boost::math::complement(law, static_cast<double>(hi - 1))));
  observed.push_back(0);
  for (const auto& [k, c] : counts) {
    const size_t cell = k <= lo ? 0 : k >= hi ? observed.size() - 1 : static_cast<size_t>(k - lo);
    observed[cell] += static_cast<double>(c);
  }
  GoodnessOfFit fit;
  for (size_t i = 0; i < expected.size(); ++i) {
    fit.statistic += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
  }
  fit.critical = boost::math::quantile(
      boost::math::chi_squared(static_cast<double>(expected.size() - 1)), 0.999);
  fit.sample_mean = sum / n;
  return fit;
}

std::vector<int64_t> Draws(double mean, uint64_t entity) {
  RandomStream rng(StreamKey{77, 0, StreamPurpose::kTest, entity});
  std::vector<int64_t> out(kDraws);
  for (int64_t& x : out) x = DrawPoisson(rng, mean);
  return out;
}

TEST_CASE(
    "DrawPoisson follows the Poisson law below and above the inversion limit (chi-square, alpha = "
    "0.001)",
    "[random]") {
  uint64_t entity = 0;
  for (double mean : {0.3, 4.0, 9.5, 10.0, 10.5, 12.0, 15.0, 30.5, 200.0, 12000.0}) {
    const GoodnessOfFit fit = TestAgainstPoisson(Draws(mean, ++entity), mean);
    INFO("mean " << mean << ": chi2 = " << fit.statistic << ", critical " << fit.critical
                 << ", sample mean " << fit.sample_mean);
    CHECK(fit.statistic < fit.critical);
    CHECK(std::abs(fit.sample_mean - mean) < 5 * std::sqrt(mean / kDraws));
  }
}

TEST_CASE("negative control: Poisson(12) draws are rejected as Poisson(12.5)", "[random]") {
  const GoodnessOfFit fit = TestAgainstPoisson(Draws(12.0, 100), 12.5);
  INFO("chi2 = " << fit.statistic << ", critical " << fit.critical);
  CHECK(fit.statistic > fit.critical);
}

TEST_CASE("DrawPoisson of a non-positive mean is 0", "[random]") {
  RandomStream rng(StreamKey{77, 0, StreamPurpose::kTest, 200});
  CHECK(DrawPoisson(rng, 0.0) == 0);
  CHECK(DrawPoisson(rng, -1.0) == 0);
}

}  // namespace
}  // namespace fleetsim
