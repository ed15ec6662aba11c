// Counts drawn from a RandomStream with Boost.Random distributions (never std:: ones, whose
// algorithms differ between standard libraries). Shared by every model that samples counts.
#pragma once

#include <cstdint>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <boost/random/poisson_distribution.hpp>

#include "sim/random_stream.h"
#include "sim/sim_time.h"

namespace fleetsim {

inline int64_t DrawPoisson(RandomStream& rng, double mean) {
  if (mean <= 0) return 0;
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
