#include "sim/human_model.h"

#include <boost/random/normal_distribution.hpp>
#include <cmath>

namespace fleetsim {

SimTime AlertTracker::DrawResponseTime(const StreamKey& key) const {
  RandomStream rng(key);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  const double factor =
      spec_.response_sigma > 0 ? std::exp(spec_.response_sigma * normal(rng)) : 1.0;
  return SimTime::Millis(static_cast<int64_t>(
      std::llround(static_cast<double>(spec_.response_median.millis()) * factor)));
}

}  // namespace fleetsim
