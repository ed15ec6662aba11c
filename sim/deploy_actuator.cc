#include "sim/deploy_actuator.h"

namespace fleetsim {

SimTime MoveDuration(double from, double to, int64_t scope_hosts, int64_t hosts_per_minute) {
  const int64_t hosts = std::llround(std::abs(to - from) * static_cast<double>(scope_hosts));
  if (hosts <= 0 || hosts_per_minute <= 0) return SimTime::Zero();
  const int64_t ms = (hosts * 60'000 + hosts_per_minute - 1) / hosts_per_minute;
  return SimTime::Millis(ms);
}

int64_t ExposedHosts(const Fleet& fleet, double fraction, double offset) {
  int64_t total = 0;
  ForEachExposedCell(fleet, fraction, offset, [&](int, int64_t n) { total += n; });
  return total;
}

}  // namespace fleetsim
