#include "analysis/monte_carlo.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <atomic>
#include <mutex>

#include "analysis/observer_fanout.h"
#include "analysis/outcome_recorder.h"
#include "sim/simulation.h"

namespace fleetsim {

ReplicaResult RunReplica(const Scenario& scenario, const Policy& policy, uint64_t seed,
                         uint32_t replica) {
  return RunReplica(scenario, policy, seed, replica, nullptr);
}

ReplicaResult RunReplica(const Scenario& scenario, const Policy& policy, uint64_t seed,
                         uint32_t replica, SimObserver* extra_observer) {
  OutcomeRecorder recorder(scenario.faults);
  recorder.set_severity(&scenario.severity);
  // Without an extra observer the recorder is called directly (no fanout indirection per hook).
  ObserverFanout fanout{&recorder, extra_observer};
  SimObserver* observer =
      extra_observer != nullptr ? static_cast<SimObserver*>(&fanout) : &recorder;
  Simulation sim(scenario, policy.ForSimulation(), replica, observer, seed);
  sim.Run();
  ReplicaResult result;
  result.replica = replica;
  result.fleet_requests = recorder.fleet_requests();
  result.fleet_errors = recorder.fleet_errors();
  result.alerts = recorder.alerts();
  result.outcomes = recorder.TakeOutcomes();
  result.commit_flow = recorder.TakeCommitFlow();
  return result;
}

std::vector<ReplicaResult> RunReplicas(const Scenario& scenario, const Policy& policy,
                                       const RunOptions& options) {
  std::vector<ReplicaResult> results(options.replicas);
  std::atomic<int> done{0};
  std::mutex progress_mutex;
  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  tbb::task_group_context context;
  const auto cancelled = [&] {
    return options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed);
  };
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<int>(0, options.replicas, 1),
        [&](const tbb::blocked_range<int>& range) {
          for (int r = range.begin(); r != range.end(); ++r) {
            if (cancelled()) {
              context.cancel_group_execution();
              return;
            }
            results[r] = RunReplica(scenario, policy, options.seed, static_cast<uint32_t>(r));
            const int finished = ++done;
            if (options.progress) {
              std::lock_guard<std::mutex> lock(progress_mutex);
              options.progress(finished, options.replicas);
            }
          }
        },
        tbb::auto_partitioner(), context);
  });
  if (options.completed != nullptr) *options.completed = done.load();
  return results;
}

}  // namespace fleetsim
