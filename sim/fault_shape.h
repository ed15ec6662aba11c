// FaultShape: the time-varying, scoped effect of one change's fault, evaluated per tick per
// change (never per host), from a FaultProfile (fault.h).
//
//   intensity(t) = ramp(t) x flapping(t)           t = time since the fault's onset
//     ramp(t)     = min(1, t / ramp)                (1 without a ramp)
//     flapping(t) = 1 during the first bad_share x period of every period, else 0
//   per request, on an affected host at intensity u and cluster share s (scope x load):
//     failure probability (on requests the base rate did not fail)
//       q = u x s x request_fraction x (1 - (1 - a)(1 - r)),  a = error_rate_increase,
//       r = (factor - 1) x b / (1 - b) with b = signals.base_error_rate, so that an affected
//       request fails with probability factor x b when a = 0;
//     latency factor = 1 + u x s x request_fraction x (latency_factor - 1)  (mean over requests).
// A fault with Plain() profile never goes through this: its effect stays exactly
// {error_rate_increase, latency_factor}, so old scenarios are bit-identical.
//
// Cluster share s_k: 0 outside the fault's regions/clusters or where the per-host load is
// below min_load. With a label trigger the affected hosts are those running both the change and
// its trigger (the engine places the fault there, cell by cell; s_k is 0 where the trigger has
// not arrived); a cascading fault with a trigger scales s_k by the trigger's share instead.
// Plain value type.
#pragma once

#include <vector>

#include "sim/fault.h"
#include "sim/fleet.h"
#include "sim/signal_sampler.h"
#include "sim/sim_time.h"

namespace fleetsim {

class FaultShape {
 public:
  FaultShape() = default;
  FaultShape(const FaultProfile& profile, const Fleet& fleet, double base_error_rate);

  // ramp x flapping at `since_onset` (>= 0) after the fault's onset.
  double Intensity(SimTime since_onset) const;

  // Effect on an affected host at intensity x cluster share `u` (in [0, 1]).
  FaultEffect EffectAt(double u) const;

  // 1 in the fault's region/cluster scope, 0 outside (before load and trigger).
  double ScopeOf(size_t cluster) const { return in_scope_.empty() ? 1.0 : in_scope_[cluster]; }

  double min_load() const { return min_load_; }

 private:
  double failure_ = 0;        // 1 - (1 - a)(1 - r), times request_fraction
  double latency_extra_ = 0;  // (latency_factor - 1) x request_fraction
  SimTime ramp_;
  FlappingSpec flapping_;
  double min_load_ = 0;
  std::vector<double> in_scope_;  // per cluster; empty = everywhere
};

}  // namespace fleetsim
