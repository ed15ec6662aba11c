// Simulation: one replica of one scenario under one policy: the event loop and the fixed
// order of decisions.
//
// Hybrid stepping (DESIGN §4): sparse control events (arrivals, a step's target reached, bake
// done, rollback done, fault onset, human response; engine_event.h) go through the (time,
// sequence) event queue; every tick (default one simulated minute) the tick sampler sweeps the
// signals of every cohort and feeds health evaluation, the global alert and the observer. Per
// tick the work is O(cells + cells covered by active changes); there is no per-host state at
// all: which hosts run a change follows from its exposure fraction and bucket placement
// (deploy_actuator.h).
//
// The Simulation owns the event queue, the changes and every room of the engine, each owning
// its own state (docs/architecture.md):
//   rollout_state.h      per-change runtime state (RolloutTable)
//   tick_sampler.h       the per-tick signal sweep and its buffers (cluster_sampler.h,
//                        canary_sums.h, tick_totals.h)
//   health_evaluator.h   canary/control windows, verdicts, counting
//   active_faults.h      fault onsets, triggers, per-tick conditions
//   incident_response.h  people (alert, response, misdiagnosis, reviews) and broken automation
//   propagation_lag.h    the configuration propagation delay per cluster
// and applies what they decide: it alone starts steps, pauses, rolls back and advances
// (simulation.cc), and runs the commit pipeline's glue (simulation_commits.cc).
//
// Policies are borrowed (const, shared across replicas); the observer is borrowed and called on
// this thread. Two Simulations share nothing mutable and may run concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "sim/active_faults.h"
#include "sim/batching_policy.h"
#include "sim/change.h"
#include "sim/commit_pipeline.h"
#include "sim/deploy_spec.h"
#include "sim/engine_event.h"
#include "sim/health_evaluator.h"
#include "sim/incident_response.h"
#include "sim/policy_set.h"
#include "sim/propagation_lag.h"
#include "sim/rollout_policy.h"
#include "sim/rollout_state.h"
#include "sim/scenario.h"
#include "sim/sim_observer.h"
#include "sim/tick_sampler.h"
#include "sim/traffic.h"

namespace fleetsim {

class Simulation {
 public:
  // `scenario` and the policies must outlive the Simulation. `observer` may be null.
  Simulation(const Scenario& scenario, PolicySet policies, uint32_t replica, SimObserver* observer,
             uint64_t seed_override = 0);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Runs from time 0 to the scenario's duration. Call once.
  void Run();

  // Changes of this replica (ground truth included), in id order.
  const std::vector<Change>& changes() const { return changes_; }
  // Releases of commits (ids after the changes'), in id order.
  const std::deque<Change>& releases() const { return releases_; }
  uint64_t seed() const { return seed_; }

 private:
  void HandleEvent(SimTime now, const EngineEvent& e);
  void HandleRolloutEvent(SimTime now, EventKind kind, Rollout& r);
  void MoveDone(SimTime now, Rollout& r);  // the step's push reached its target
  // Commit flow (simulation_commits.cc): the pipeline's wake-ups and releases become events.
  enum class ReleaseNews : uint8_t { kCanaryPassed, kFullyDeployed, kCompleted, kFailed };
  void StartCommitPipeline();
  void ApplyPipeline(SimTime now, CommitPipeline::Outbox& out);
  void StartRelease(SimTime now, int64_t release);
  void NotifyPipeline(SimTime now, int64_t change, ReleaseNews news);
  const Change& ChangeById(int64_t id) const;
  const RolloutPolicy& RolloutFor(const Change& change) const;  // risk routing of code releases
  // The order of decisions: arrivals and steps, their end, stops, people's actions.
  void StartArrival(SimTime now, int64_t id);
  void StartStep(SimTime now, Rollout& r);
  void AdvanceStep(SimTime now, Rollout& r);  // the step is done: next step, or completion
  void StartRollback(SimTime now, Rollout& r, StopSource source);
  void Pause(SimTime now, Rollout& r);
  void ReviewPause(SimTime now, Rollout& r);
  void DelayedAutomatedStop(SimTime now, Rollout& r);
  // One tick: signals, the global alert, health evaluation and its outcomes, then the changes
  // that need no more per-tick work leave the active list.
  void Tick(SimTime now);
  void EvaluateHealth(SimTime now);
  int64_t ExposedCount(const Rollout& r, const ClusterFractions& fractions) const;
  // What a plan for a change of target `target` may depend on (its view of the fleet).
  PlanContext PlanContextOf(SimTime now, int target);
  // `plan`, or the previous change's plan when equal (kept in last_plan_).
  std::shared_ptr<const RolloutPlan> SharedPlan(RolloutPlan plan);
  // Bypass pushes (bypass_push.h).
  bool Bypassed(const Change& change) const;
  // Configuration propagation delay (propagation_lag.h): a config change placed on hosts by
  // its policy; flags, bypass pushes and code releases have no such lag.
  bool Delayed(const Rollout& r) const;
  void ScheduleExposurePoints(SimTime now, const Rollout& r);  // breakpoints of the delayed path

  const Scenario& scenario_;
  const Fleet& fleet_;
  PolicySet policies_;
  DeploySpec deploy_;  // the scenario's deploy system with the policy's overrides
  uint32_t replica_;
  uint64_t seed_;
  SimObserver null_observer_;  // every hook a no-op; used when no observer is given
  SimObserver* observer_;
  EngineQueue queue_;
  RolloutTable rollouts_;
  TrafficModel traffic_;
  std::vector<TrafficModel> target_traffic_;  // per target (Scenario::targets), on its view
  std::vector<int64_t> view_incidents_;       // a target's region incidents (PlanContextOf)
  PropagationLag lag_;
  IncidentResponse incidents_;
  HealthEvaluator health_;
  ActiveFaults faults_;
  TickSampler sampler_;

  std::vector<Change> changes_;
  std::deque<Change> releases_;  // releases of commits, id first_release_id_ + index
  int64_t first_release_id_ = 0;
  std::unique_ptr<BatchingPolicy> default_batching_;  // used when the policy has no batching
  std::unique_ptr<CommitPipeline> pipeline_;          // null without a commit stream
  std::shared_ptr<const RolloutPlan> last_plan_;      // the most recent change's plan (SharedPlan)
  int64_t tick_index_ = 0;
};

}  // namespace fleetsim
