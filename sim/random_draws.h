// Counts drawn from a RandomStream with Boost.Random distributions (never std:: ones, whose
// algorithms differ between standard libraries). Shared by every model that samples counts.
#pragma once

#include <cstdint>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

#include "sim/random_stream.h"

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

}  // namespace fleetsim
