// Host updates: how long one rollout step takes to update its hosts, how many host updates
// fail, and whether those failures fail the deployment (DeploySpec's rules; deploy_spec.h).
//
// A step that raises exposure updates `hosts` hosts. Throughput-based specs take
// hosts / hosts_per_minute; wave-based specs (max_unavailable, minimum_healthy_hosts) update
// waves of at most WaveSize hosts, each taking host_update_time. Each host update fails
// independently with host_failure_probability (drawn per wave, or per step without waves).
// The step fails when failed / hosts exceeds fault_tolerance (checked when the step's updates
// end) or, under minimum_healthy_hosts, as soon as no host may be taken offline while hosts
// remain, or when the last step ends with fewer than max(H, 1) healthy updated hosts.
//
// Hosts whose update failed keep serving the old version; exposure is still placed by
// fraction (deploy_actuator.h), so a step's exposure counts them. With the small failure
// probabilities of real fleets that is a < fault_tolerance error in exposure, not in timing.
//
// Pure function of its inputs and the stream: deterministic, no state beyond HostUpdateTally.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sim/deploy_spec.h"
#include "sim/random_stream.h"
#include "sim/sim_time.h"

namespace fleetsim {

// Carried across the steps of one rollout.
struct HostUpdateTally {
  int64_t failed = 0;  // hosts whose update failed so far (they count against min healthy)
};

struct StepUpdateResult {
  SimTime duration;                  // time to update every host of the step
  int64_t attempted = 0;             // host updates attempted before the step ended or failed
  int64_t failed = 0;                // of which failed
  std::optional<SimTime> failed_at;  // offset from the step's start when the deployment fails
  std::string reason;                // why it failed
};

// `hosts`: hosts the step updates; `fleet_hosts`: hosts of the deployment group (N);
// `last_step`: this step completes the deployment (the success rule applies).
StepUpdateResult PlanStepUpdate(const DeploySpec& spec, int64_t fleet_hosts, int64_t hosts,
                                bool last_step, HostUpdateTally& tally, RandomStream& rng);

// The same rules with the number of failed updates of each batch of `n` hosts (a wave, or the
// whole step without waves) given by `failures(n)`: for golden tests with scripted failures.
// Called only when spec.host_failure_probability > 0.
StepUpdateResult PlanStepUpdate(const DeploySpec& spec, int64_t fleet_hosts, int64_t hosts,
                                bool last_step, HostUpdateTally& tally,
                                const std::function<int64_t(int64_t)>& failures);

}  // namespace fleetsim
