#include "sim/fault_shape.h"

#include <algorithm>

namespace fleetsim {

FaultShape::FaultShape(const FaultProfile& profile, const Fleet& fleet, double base_error_rate)
    : ramp_(profile.ramp), flapping_(profile.flapping), min_load_(profile.min_load) {
  const double a = profile.error_rate_increase;
  const double b = base_error_rate;
  const double r = profile.error_rate_factor != 1.0 && b < 1.0
                       ? (profile.error_rate_factor - 1.0) * b / (1.0 - b)
                       : 0.0;
  const double combined = r == 0 ? a : 1.0 - (1.0 - a) * (1.0 - std::clamp(r, 0.0, 1.0));
  failure_ = combined * profile.request_fraction;
  latency_extra_ =
      profile.visible_latency ? (profile.latency_factor - 1.0) * profile.request_fraction : 0.0;
  if (!profile.regions.empty() || !profile.clusters.empty()) {
    in_scope_.assign(fleet.clusters().size(), 0.0);
    for (size_t k = 0; k < fleet.clusters().size(); ++k) {
      const Cluster& c = fleet.clusters()[k];
      const std::string& region = fleet.regions()[static_cast<size_t>(c.region)].name;
      const bool region_ok = profile.regions.empty() ||
                             std::find(profile.regions.begin(), profile.regions.end(), region) !=
                                 profile.regions.end();
      const bool cluster_ok = profile.clusters.empty() ||
                              std::find(profile.clusters.begin(), profile.clusters.end(), c.name) !=
                                  profile.clusters.end();
      in_scope_[k] = region_ok && cluster_ok ? 1.0 : 0.0;
    }
  }
}

double FaultShape::Intensity(SimTime since_onset) const {
  double u = 1.0;
  if (ramp_ > SimTime::Zero() && since_onset < ramp_) {
    u = static_cast<double>(std::max<int64_t>(0, since_onset.millis())) /
        static_cast<double>(ramp_.millis());
  }
  if (flapping_.enabled()) {
    const int64_t phase = std::max<int64_t>(0, since_onset.millis()) % flapping_.period.millis();
    if (static_cast<double>(phase) >=
        flapping_.bad_share * static_cast<double>(flapping_.period.millis()))
      u = 0;
  }
  return u;
}

FaultEffect FaultShape::EffectAt(double u) const {
  return FaultEffect{std::clamp(u * failure_, 0.0, 1.0), 1.0 + u * latency_extra_};
}

}  // namespace fleetsim
