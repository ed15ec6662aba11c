// Monte Carlo over seeded replicas: runs one scenario under one policy N times in parallel.
//
// Replica r draws every random number from streams keyed by (seed, r, ...), so its result does
// not depend on which thread runs it; results are stored by replica index and reduced in that
// order, which makes every report byte-identical for any thread count. Two policies run with
// the same (seed, replicas) face the same changes and the same noise (common random numbers).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "analysis/change_outcome.h"
#include "policies/policy_loader.h"
#include "sim/scenario.h"
#include "sim/sim_observer.h"

namespace fleetsim {

struct ReplicaResult {
  uint32_t replica = 0;
  std::vector<ChangeOutcome> outcomes;
  int64_t fleet_requests = 0;
  int64_t fleet_errors = 0;
  int alerts = 0;
  std::optional<CommitFlowResult> commit_flow;  // scenarios with a commit stream only
};

struct RunOptions {
  int replicas = 1;
  uint64_t seed = 1;
  int threads = 0;  // 0 = all hardware threads
  // Called after each finished replica with (done, total), from worker threads, serialised.
  std::function<void(int, int)> progress;
  // Cooperative cancellation (e.g. set by a signal handler, cli/interrupt.h): polled before each
  // replica starts; once it reads true no further replica starts, the TBB work still queued is
  // cancelled, and RunReplicas returns as soon as the replicas already running have finished.
  // The results of replicas that did not run are left default-constructed.
  const std::atomic<bool>* cancel = nullptr;
  // If set, receives the number of replicas that ran to the end.
  int* completed = nullptr;
};

// Runs replica `replica` alone (used by tests and traces).
ReplicaResult RunReplica(const Scenario& scenario, const Policy& policy, uint64_t seed,
                         uint32_t replica);

// Same, and `extra_observer` (borrowed, may be null; e.g. a TimelineRecorder for a trace) sees
// every event of the run after the outcome recorder does. Observers cannot influence the run:
// the result is identical with and without one.
ReplicaResult RunReplica(const Scenario& scenario, const Policy& policy, uint64_t seed,
                         uint32_t replica, SimObserver* extra_observer);

std::vector<ReplicaResult> RunReplicas(const Scenario& scenario, const Policy& policy,
                                       const RunOptions& options);

}  // namespace fleetsim
