// DeploySpec: how the deployment system (the actuator) updates hosts — speed, concurrency,
// per-host failures and the rules that turn failures into a failed deployment.
//
// The scenario's `deploy:` block describes the world's deployment system; a policy's
// `deploy:` block overrides any of its fields (a policy is often "the same pipeline, but
// CodeDeploy OneAtATime"). Both are parsed by ParseDeployBlock (loader/deploy_yaml.h), so they
// accept the same keys:
//
//   hosts_per_minute: 100000        # update throughput of one rollout, or instead:
//   max_unavailable: 25%            #   hosts updating at once (percent of the fleet or a count)
//   host_update_time: 2m            #   how long one host takes to update (with max_unavailable)
//   minimum_healthy_hosts: {host_count: 6} | {fleet_percent: 40}   # CodeDeploy semantics
//   host_failure_probability: 0.001 # each host update fails independently with this probability
//   fault_tolerance: 5%             # share of a step's updated hosts allowed to fail (Conveyor)
//   rollback_hosts_per_minute: 500000 | rollback: instant
//   first_stage_extra_bake: 1h      # extra bake of the first step (CodeDeploy
//   firstZoneMonitorDuration)
//
// Concurrency. `max_unavailable` and `minimum_healthy_hosts` update hosts in waves of at most
// that many hosts, each wave taking `host_update_time`. With minimum_healthy_hosts (H of the N
// fleet hosts), a wave may take at most N - H - (hosts already failed) hosts offline; when that
// reaches 0 with hosts still to update, the deployment fails; when every host was attempted it
// succeeds iff at least max(H, 1) hosts updated successfully (CodeDeploy: OneAtATime is H = N-1,
// which tolerates only a failure of the last host; AllAtOnce is H = 0, which needs one success).
// FLEET_PERCENT rounds H up to whole hosts. Hosts whose update failed count against H across all
// steps of the rollout.
//
// Immutable value types; DeployOverrides::Apply never fails (validation happens while parsing).
#pragma once

#include <cstdint>
#include <optional>

#include "sim/sim_time.h"

namespace fleetsim {

struct MinimumHealthyHosts {
  enum class Type : uint8_t { kNone, kHostCount, kFleetPercent };
  Type type = Type::kNone;
  double value = 0;  // hosts, or percent in [0, 100]

  // H for a fleet of `hosts` hosts (FLEET_PERCENT rounds up, as CodeDeploy does).
  int64_t For(int64_t hosts) const;
};

struct DeploySpec {
  int64_t hosts_per_minute = 100'000;           // update throughput of one rollout
  int64_t rollback_hosts_per_minute = 500'000;  // revert throughput
  bool instant_rollback = false;                // traffic is routed back at once (Argo abort)
  // Waves: > 0 replaces hosts_per_minute by max_unavailable hosts per host_update_time.
  double max_unavailable_fraction = 0;  // of the fleet
  int64_t max_unavailable_hosts = 0;
  SimTime host_update_time = SimTime::Minutes(1);
  MinimumHealthyHosts minimum_healthy;
  double host_failure_probability = 0;
  double fault_tolerance = 1.0;  // a step fails when failed / updated hosts exceeds this
  SimTime first_stage_extra_bake;

  // Hosts updated per wave for a fleet of `fleet_hosts` hosts (0 when not wave-based).
  int64_t WaveSize(int64_t fleet_hosts) const;
  bool WaveBased() const {
    return max_unavailable_fraction > 0 || max_unavailable_hosts > 0 ||
           minimum_healthy.type != MinimumHealthyHosts::Type::kNone;
  }
};

// The fields a `deploy:` block set; Apply() puts them over a base spec.
struct DeployOverrides {
  std::optional<int64_t> hosts_per_minute;
  std::optional<int64_t> rollback_hosts_per_minute;
  std::optional<bool> instant_rollback;
  std::optional<double> max_unavailable_fraction;
  std::optional<int64_t> max_unavailable_hosts;
  std::optional<SimTime> host_update_time;
  std::optional<MinimumHealthyHosts> minimum_healthy;
  std::optional<double> host_failure_probability;
  std::optional<double> fault_tolerance;
  std::optional<SimTime> first_stage_extra_bake;

  DeploySpec Apply(DeploySpec base) const;
};

}  // namespace fleetsim
