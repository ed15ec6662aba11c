// TrafficModel: requests per host per minute as a function of region and simulated time.
//
//   rate(region, t) = requests_per_host_per_minute x region.load_weight
//                     x diurnal(local hour) x weekly(local weekday) x load_boost(region)
//   diurnal(h) = 1 + amplitude x cos(2 pi (h - peak_hour) / 24)
//   weekly     = weekend_factor on Saturday and Sunday (local), 1 otherwise
//
// Simulated time 0 is `start_weekday` 00:00 UTC (0 = Monday). Stateless and thread-safe.
#pragma once

#include "sim/fleet.h"
#include "sim/sim_time.h"

namespace fleetsim {

struct TrafficSpec {
  double requests_per_host_per_minute = 100;
  double diurnal_amplitude = 0.3;  // in [0, 1)
  double peak_hour = 14;           // local hour of peak load
  double weekend_factor = 1.0;     // load multiplier on local Saturday/Sunday
  int start_weekday = 0;           // weekday of t = 0 (0 = Monday)
};

class TrafficModel {
 public:
  TrafficModel(const TrafficSpec& spec, const Fleet& fleet) : spec_(spec), fleet_(&fleet) {}

  // Expected requests per host per minute in `region` at time `t`.
  double RatePerHostMinute(int region, SimTime t) const;

  const TrafficSpec& spec() const { return spec_; }

 private:
  TrafficSpec spec_;
  const Fleet* fleet_;
};

}  // namespace fleetsim
