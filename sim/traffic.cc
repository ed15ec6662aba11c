#include "sim/traffic.h"

#include <cmath>

namespace fleetsim {

double TrafficModel::RatePerHostMinute(int region, SimTime t) const {
  const Region& r = fleet_->regions()[region];
  const double local_hours = t.hours() + r.utc_offset_hours + 24.0 * spec_.start_weekday;
  const double hour_of_day = std::fmod(std::fmod(local_hours, 24.0) + 24.0, 24.0);
  const double diurnal =
      1.0 + spec_.diurnal_amplitude * std::cos(2.0 * M_PI * (hour_of_day - spec_.peak_hour) / 24.0);
  const long day = static_cast<long>(std::floor(local_hours / 24.0));
  const int weekday = static_cast<int>(((day % 7) + 7) % 7);
  const double weekly = weekday >= 5 ? spec_.weekend_factor : 1.0;
  return spec_.requests_per_host_per_minute * r.load_weight * diurnal * weekly;
}

}  // namespace fleetsim
