// Simulation: one replica of one scenario under one policy. Owns all mutable state of the run.
//
// Hybrid stepping (DESIGN §4): sparse control events (arrivals, a step's target reached, bake
// done, rollback done, fault onset, human response) go through the (time, sequence) event
// queue; every tick (default one simulated minute) a sweep samples the signals of every cohort
// and feeds health evaluation, the global alert and the observer. Per tick the work is
// O(cells + cells covered by active changes); there is no per-host state at all: which hosts
// run a change follows from its exposure fraction and bucket placement (deploy_actuator.h).
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
#include "sim/deploy_actuator.h"
#include "sim/deploy_spec.h"
#include "sim/engine_event.h"
#include "sim/fault_conditions.h"
#include "sim/health_evaluator.h"
#include "sim/health_policy.h"
#include "sim/incident_response.h"
#include "sim/policy_set.h"
#include "sim/risk_policy.h"
#include "sim/rollout_policy.h"
#include "sim/rollout_state.h"
#include "sim/scenario.h"
#include "sim/signal_sampler.h"
#include "sim/sim_observer.h"
#include "sim/traffic.h"
#include "sim/verdict_counter.h"

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
  // Commit flow (simulation_commits.cc): the pipeline's wake-ups and releases become events.
  enum class ReleaseNews : uint8_t { kCanaryPassed, kFullyDeployed, kCompleted, kFailed };
  void StartCommitPipeline();
  void ApplyPipeline(SimTime now, CommitPipeline::Outbox& out);
  void StartRelease(SimTime now, int64_t release);
  void NotifyPipeline(SimTime now, int64_t change, ReleaseNews news);
  const Change& ChangeById(int64_t id) const;
  const RolloutPolicy& RolloutFor(const Change& change) const;  // risk routing of code releases
  void StartArrival(SimTime now, int64_t id);
  void StartStep(SimTime now, Rollout& r);
  void AdvanceStep(SimTime now, Rollout& r);  // the step is done: next step, or completion
  void StartRollback(SimTime now, Rollout& r, StopSource source);
  void Pause(SimTime now, Rollout& r);
  void ReviewPause(SimTime now, Rollout& r);
  void Tick(SimTime now);
  void SampleSignals(SimTime now);
  // The aggregated fast path of SampleSignals: every cluster is cut at the boundaries of the
  // changes' host ranges and each run of hosts with the same changes is sampled at once
  // (Poisson splitting: errors and successes of a run are independent Poisson counts whose
  // means sum the cells' host x error-probability products, from per-cluster prefix sums).
  // O(clusters + active changes x their clusters) per tick, independent of the cell count.
  void SampleClusters(SimTime now, SignalWindow& fleet_window, int64_t& fleet_fault_errors);
  void EvaluateHealth(SimTime now);
  // Brings r.placement up to date for `now` (a no-op while the exposure is not moving).
  void UpdatePlacement(SimTime now, Rollout& r) const;
  int64_t ExposedCount(const Rollout& r, const ClusterFractions& fractions) const;
  // `plan`, or the previous change's plan when equal (kept in last_plan_).
  std::shared_ptr<const RolloutPlan> SharedPlan(RolloutPlan plan);
  // Whether SampleSignals may sum plain cells by column this tick, as far as the scenario and
  // the fault conditions tell (the changes in flight may still need cells one by one).
  bool ColumnsPossible() const;
  // Bypass pushes (bypass_push.h) and broken automation (automation_spec.h).
  bool Bypassed(const Change& change) const;
  void DelayedAutomatedStop(SimTime now, Rollout& r);
  // Configuration propagation delay (infrastructure_spec.h; exposure_motion.h): a config change
  // placed on hosts by its policy reaches cluster k's hosts lag[k] after the deploy system
  // pushes it; its rollback too. Flags, bypass pushes and code releases have no such lag.
  bool Delayed(const Rollout& r) const;
  SimTime FirstLag(const ClusterFractions& to) const;  // smallest lag of a cluster with to > 0
  SimTime RollbackTail(const Rollout& r, SimTime now) const;  // until the revert reaches every host
  void ScheduleExposurePoints(SimTime now, const Rollout& r);  // breakpoints of the delayed path
  SimTime MaxLag() const { return lag_values_.empty() ? SimTime::Zero() : lag_values_.back(); }

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
  IncidentResponse incidents_;
  HealthEvaluator health_;
  SignalSampler sampler_;
  ActiveFaults faults_;
  std::vector<std::pair<int32_t, int64_t>> scratch_on_both_;
  std::shared_ptr<const std::vector<SimTime>> cluster_lag_;  // null: no propagation delay
  std::vector<SimTime> lag_values_;  // the distinct positive lags, ascending

  std::vector<Change> changes_;
  std::deque<Change> releases_;  // releases of commits, id first_release_id_ + index
  int64_t first_release_id_ = 0;
  std::unique_ptr<BatchingPolicy> default_batching_;  // used when the policy has no batching
  std::unique_ptr<CommitPipeline> pipeline_;          // null without a commit stream
  std::vector<CellProfile> cell_profiles_;
  int64_t tick_index_ = 0;
  bool aggregate_signals_ = false;       // SampleClusters applies (SignalSpec::AggregationExact)
  std::vector<int64_t> position_hosts_;  // per cluster k at first_cell + k: hosts before bucket j
  std::vector<double> position_error_;   // same layout: sum of hosts x error probability
  // Where a change's host range starts (+1) or ends (-1) in a cluster, packed into one key that
  // sorts by (position, slot, ends before starts): position < 2^40, slot < 2^23.
  struct Boundary {
    uint64_t key;
    static Boundary Make(int64_t position, int32_t slot, int delta) {
      return Boundary{(static_cast<uint64_t>(position) << 24) | (static_cast<uint64_t>(slot) << 1) |
                      (delta > 0 ? 1u : 0u)};
    }
    int64_t position() const { return static_cast<int64_t>(key >> 24); }
    int32_t slot() const { return static_cast<int32_t>((key >> 1) & 0x7fffff); }
    int delta() const { return (key & 1) ? +1 : -1; }
    bool operator<(const Boundary& o) const { return key < o.key; }
  };
  std::vector<Boundary> scratch_boundaries_;
  std::vector<int32_t> scratch_covering_;
  std::vector<int32_t> scratch_covering_open_;  // per slot: the run its current interval began at
  std::vector<int32_t> scratch_bound_run_;      // per boundary: the run at which it applies

  // Scratch buffers reused every tick.
  struct CellEntry {
    int64_t exposed;           // hosts of the cell running the change (a prefix of the cell)
    int32_t slot;              // index into active_
    bool partial;              // the change's boundary cell (its canary share is taken from here)
    bool bounds_fault = true;  // the change's fault acts on these `exposed` hosts (if it manifests)
  };
  struct CellTriple {
    int32_t cell;
    CellEntry entry;
  };
  // The cells where a fault that labelled change r.trigger_change triggered acts: the hosts
  // running both r and the trigger (SampleSignals step 1). O(cells r covers).
  void PlaceTriggeredFault(SimTime now, const Rollout& r, int32_t slot,
                           std::vector<CellTriple>& triples) const;
  struct CellTotals {
    SignalWindow window;
    int64_t fault_errors = 0;
    void Add(const CellTotals& o) {
      window.Add(o.window);
      fault_errors += o.fault_errors;
    }
    void Subtract(const CellTotals& o) {
      window.Subtract(o.window);
      fault_errors -= o.fault_errors;
    }
  };
  std::vector<CellTriple> scratch_triples_;
  std::vector<int32_t> scratch_fill_;
  std::vector<FaultEffect> scratch_faults_;
  std::vector<int32_t> scratch_fault_slots_;
  std::vector<int64_t> scratch_fault_errors_;
  std::vector<int32_t> scratch_manifesting_;
  std::vector<CellTotals> scratch_prefix_;
  std::vector<CellTotals> scratch_group_prefix_;  // bucket-major, per evaluation group
  std::vector<CellTotals> scratch_fleet_prefix_;  // bucket-major, whole fleet
  std::vector<uint8_t>
      slot_sums_;  // SampleSignals: per change in flight, where its canary sums come from
  std::shared_ptr<const RolloutPlan> last_plan_;  // the most recent change's plan (SharedPlan)
  std::vector<CellTotals> cell_totals_;
  // Column path (SampleSignals): per (group, bucket), the summed means of its plain cells, their
  // hosts, and the counts drawn from them.
  std::vector<CohortMeans> column_means_;
  std::vector<int64_t> column_hosts_;
  std::vector<CellTotals> column_totals_;
  std::vector<CellTotals> scratch_run_prefix_;  // SampleClusters: totals of a cluster's runs so far
  std::vector<int32_t> cell_entry_begin_;
  std::vector<CellEntry> cell_entries_;
  std::vector<ChangeTickSample> tick_samples_;
  std::vector<SignalWindow> tick_canary_;
  std::vector<int64_t> tick_canary_fault_errors_;
  std::vector<SignalWindow> tick_canary_by_region_;  // [slot * group_stride_ + group]
  size_t group_stride_ = 0;  // this tick: groups, or 0 when no change reads per-group windows
  std::vector<SignalWindow> region_window_;           // this tick, per evaluation group
  std::vector<SignalWindow> scratch_region_control_;  // this tick, one change's control per region
  std::vector<double> region_rate_;
  std::vector<int64_t> region_incidents_;  // per region: failure history + incidents this run
};

}  // namespace fleetsim
