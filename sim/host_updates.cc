#include "sim/host_updates.h"

#include <algorithm>
#include <sstream>

#include "sim/deploy_actuator.h"
#include "sim/random_draws.h"

namespace fleetsim {

StepUpdateResult PlanStepUpdate(const DeploySpec& spec, int64_t fleet_hosts, int64_t hosts,
                                bool last_step, HostUpdateTally& tally, RandomStream& rng) {
  return PlanStepUpdate(spec, fleet_hosts, hosts, last_step, tally, [&](int64_t n) {
    return DrawBinomial(rng, n, spec.host_failure_probability);
  });
}

StepUpdateResult PlanStepUpdate(const DeploySpec& spec, int64_t fleet_hosts, int64_t hosts,
                                bool last_step, HostUpdateTally& tally,
                                const std::function<int64_t(int64_t)>& failures) {
  StepUpdateResult out;
  const double p = spec.host_failure_probability;
  const bool min_healthy = spec.minimum_healthy.type != MinimumHealthyHosts::Type::kNone;
  const int64_t healthy_floor = spec.minimum_healthy.For(fleet_hosts);
  if (!spec.WaveBased()) {
    out.duration = MoveDuration(0.0, 1.0, hosts, spec.hosts_per_minute);
    out.attempted = hosts;
    out.failed = p > 0 ? failures(hosts) : 0;
  } else {
    const int64_t wave = spec.WaveSize(fleet_hosts);
    int64_t remaining = hosts;
    int64_t waves = 0;
    while (remaining > 0) {
      // Under minimum healthy hosts, failed hosts stay unavailable and shrink the next wave.
      const int64_t allowed = min_healthy ? wave - tally.failed : wave;
      if (allowed <= 0) {
        std::ostringstream why;
        why << "deployment failed: " << tally.failed
            << " failed host(s) leave no room above the minimum of " << healthy_floor
            << " healthy of " << fleet_hosts;
        out.failed_at = spec.host_update_time * waves;
        out.reason = why.str();
        break;
      }
      if (p <= 0) {
        // No failures possible: the remaining waves follow in closed form.
        const int64_t n = (remaining + allowed - 1) / allowed;
        waves += n;
        out.attempted += remaining;
        remaining = 0;
        break;
      }
      const int64_t w = std::min(allowed, remaining);
      const int64_t f = failures(w);
      out.attempted += w;
      out.failed += f;
      if (min_healthy) tally.failed += f;
      remaining -= w;
      ++waves;
    }
    out.duration = spec.host_update_time * waves;
  }
  if (!min_healthy) tally.failed += out.failed;
  if (out.failed_at) return out;
  if (hosts > 0 &&
      static_cast<double>(out.failed) > spec.fault_tolerance * static_cast<double>(hosts) + 1e-9) {
    std::ostringstream why;
    why << "step failed: " << out.failed << " of " << hosts
        << " host updates failed (fault tolerance " << spec.fault_tolerance * 100 << "%)";
    out.failed_at = out.duration;
    out.reason = why.str();
    return out;
  }
  if (min_healthy && last_step &&
      fleet_hosts - tally.failed < std::max<int64_t>(healthy_floor, 1)) {
    std::ostringstream why;
    why << "deployment failed: " << fleet_hosts - tally.failed
        << " healthy host(s), fewer than the minimum of " << std::max<int64_t>(healthy_floor, 1);
    out.failed_at = out.duration;
    out.reason = why.str();
  }
  return out;
}

}  // namespace fleetsim
