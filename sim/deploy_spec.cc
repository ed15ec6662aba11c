#include "sim/deploy_spec.h"

#include <algorithm>
#include <cmath>

namespace fleetsim {

int64_t MinimumHealthyHosts::For(int64_t hosts) const {
  switch (type) {
    case Type::kNone:
      return 0;
    case Type::kHostCount:
      return std::min<int64_t>(hosts, static_cast<int64_t>(value));
    case Type::kFleetPercent:
      // ceil(value% x hosts), robust to 40% x 9 = 3.6000000000000001.
      return std::min<int64_t>(
          hosts,
          static_cast<int64_t>(std::ceil(value * static_cast<double>(hosts) / 100.0 - 1e-9)));
  }
  return 0;
}

int64_t DeploySpec::WaveSize(int64_t fleet_hosts) const {
  if (minimum_healthy.type != MinimumHealthyHosts::Type::kNone)
    return fleet_hosts - minimum_healthy.For(fleet_hosts);
  if (max_unavailable_hosts > 0) return std::min(max_unavailable_hosts, fleet_hosts);
  if (max_unavailable_fraction > 0) {
    return std::max<int64_t>(
        1, static_cast<int64_t>(
               std::floor(max_unavailable_fraction * static_cast<double>(fleet_hosts) + 1e-9)));
  }
  return 0;
}

DeploySpec DeployOverrides::Apply(DeploySpec d) const {
  if (hosts_per_minute || max_unavailable_fraction || max_unavailable_hosts || minimum_healthy) {
    // A block that sets the speed one way replaces the base's speed entirely.
    d.max_unavailable_fraction = 0;
    d.max_unavailable_hosts = 0;
    d.minimum_healthy = MinimumHealthyHosts{};
  }
  if (hosts_per_minute) d.hosts_per_minute = *hosts_per_minute;
  if (rollback_hosts_per_minute) {
    d.rollback_hosts_per_minute = *rollback_hosts_per_minute;
    d.instant_rollback = false;
  }
  if (instant_rollback) d.instant_rollback = *instant_rollback;
  if (max_unavailable_fraction) d.max_unavailable_fraction = *max_unavailable_fraction;
  if (max_unavailable_hosts) d.max_unavailable_hosts = *max_unavailable_hosts;
  if (host_update_time) d.host_update_time = *host_update_time;
  if (minimum_healthy) d.minimum_healthy = *minimum_healthy;
  if (host_failure_probability) d.host_failure_probability = *host_failure_probability;
  if (fault_tolerance) d.fault_tolerance = *fault_tolerance;
  if (first_stage_extra_bake) d.first_stage_extra_bake = *first_stage_extra_bake;
  return d;
}

}  // namespace fleetsim
