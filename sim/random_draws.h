// Counts drawn from a RandomStream with Boost.Random distributions (never std:: ones, whose
// algorithms differ between standard libraries). Shared by every model that samples counts.
#pragma once

#include <array>
#include <cstdint>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <boost/random/poisson_distribution.hpp>

#include "sim/random_stream.h"
#include "sim/sim_time.h"

namespace fleetsim {

// Poisson draws. Means below kPoissonInversionLimit use inversion by chop-down search from 0
// (one uniform, one exp, about mean + 1 multiply-subtract steps; Devroye 1986, X.3.3): for
// the means the signal sampler meets most (a cell's ~10 base errors a minute) it is about 4x
// faster than Boost's transformed rejection, which takes over above the limit.
inline constexpr double kPoissonInversionLimit = 30;

inline int64_t DrawPoissonByInversion(RandomStream& rng, double mean) {
  // 1/k for k < 128: the search multiplies instead of dividing (k stays below 128 except
  // with probability < 1e-30 at mean 30, where it falls back to a division).
  static constexpr auto kReciprocal = [] {
    std::array<double, 128> r{};
    for (size_t k = 1; k < r.size(); ++k) r[k] = 1.0 / static_cast<double>(k);
    return r;
  }();
  double u = rng.NextUnit();
  double p = std::exp(-mean);
  int64_t k = 0;
  // Rounding can leave the summed probabilities a few ulps short of 1; the cap (far in the
  // tail) ends the search if u falls in that gap.
  const int64_t cap = static_cast<int64_t>(mean + 40.0 * std::sqrt(mean) + 40.0);
  while (u > p && k < cap) {
    u -= p;
    ++k;
    p *= mean * (k < 128 ? kReciprocal[static_cast<size_t>(k)] : 1.0 / static_cast<double>(k));
  }
  return k;
}

inline int64_t DrawPoisson(RandomStream& rng, double mean) {
  if (mean <= 0) return 0;
  if (mean < kPoissonInversionLimit) return DrawPoissonByInversion(rng, mean);
  boost::random::poisson_distribution<int64_t, double> dist(mean);
  return dist(rng);
}

inline int64_t DrawBinomial(RandomStream& rng, int64_t n, double p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  boost::random::binomial_distribution<int64_t, double> dist(n, p);
  return dist(rng);
}

// A lognormal duration with this median and shape (sigma 0: exactly the median), rounded to ms.
inline SimTime DrawLognormalTime(RandomStream& rng, SimTime median, double sigma) {
  if (sigma <= 0) return median;
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  const double factor = std::exp(sigma * normal(rng));
  return SimTime::Millis(static_cast<int64_t>(std::llround(static_cast<double>(median.millis()) * factor)));
}

}  // namespace fleetsim
