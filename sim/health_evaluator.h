// HealthEvaluator: automated health evaluation of the changes in flight.
//
// Every tick the tick sampler hands it each judged change's canary and control windows
// (Record), which it accumulates in the change's HealthState (rollout_state.h): the current
// evaluation window, the totals since the rollout began, per evaluation group, the per-tick
// series and the sliding lookback, as far as the change's judges read them. At each
// evaluation time (HealthSchedule: initial_delay, interval) Evaluate() asks the health policy
// and the step's own checks for a verdict, reports it, feeds the analysis run's
// VerdictCounter and says what the engine must do; the Simulation applies it. With Flagger's
// scheduler (HealthSchedule::advance_on_pass) the verdicts also move the steps: Gated().
//
// Acted-on verdicts (DESIGN §5: detection means something acted): the failing verdicts of the
// current analysis run wait in HealthState::unacted until the run's counting takes effect
// (Acted: a stop or pause applied, or a hold, OnHalted) or can no longer do so (Unacted:
// reported as OnVerdictsUnacted with why). The Simulation settles the cases it decides.
//
// Evaluation groups: the per-group windows split the fleet by region (default) or by cluster
// (HealthSchedule::group_by); groups() names them and GroupOf() maps a cluster to its group.
//
// Owns the schedule and the groups; borrows the health policy and the observer. Const apart
// from the rollout it is handed; not thread-safe (one replica).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/fleet.h"
#include "sim/health_policy.h"
#include "sim/policy_set.h"
#include "sim/rollout_state.h"
#include "sim/scenario.h"
#include "sim/sim_observer.h"
#include "sim/verdict_counter.h"

namespace fleetsim {

// One tick of a judged change: its canary and control windows, fleet-wide and per group
// (empty spans when the change reads no per-group windows), and the fault errors in them.
struct CanaryControlTick {
  SignalWindow canary;
  SignalWindow control;
  std::span<const SignalWindow> canary_by_group;
  std::span<const SignalWindow> control_by_group;
  int64_t canary_fault_errors = 0;   // errors any change's fault caused in the canary
  int64_t control_fault_errors = 0;  // ... and in the control group
  int64_t own_fault_errors = 0;      // errors the change's own fault caused (all in its canary)
};

// What the engine does after an evaluation.
enum class HealthOutcome : uint8_t {
  kNone,      // nothing (no evaluation due, keep judging, a dry-run stop reported)
  kAdvance,   // the step's analysis run succeeded after its bake: next step
  kRollback,  // automated stop: roll back (unless automation fails, incident_response.h)
  kPause,     // automated stop: pause for a person
};

class HealthEvaluator {
 public:
  HealthEvaluator(const Scenario& scenario, const HealthPolicy* policy, SimObserver& observer);

  const HealthSchedule& schedule() const { return schedule_; }
  // Evaluation groups: regions, or clusters (HealthSchedule::group_by).
  const std::vector<std::string>& groups() const { return group_names_; }
  bool region_groups() const { return schedule_.group_by == HealthSchedule::GroupBy::kRegion; }
  int GroupOf(size_t cluster) const { return group_of_cluster_[cluster]; }

  // What a change rolling out under `plan` needs drawn for its judges.
  HealthPolicy::ObservationNeeds NeedsOf(const RolloutPlan& plan) const;
  // A new change arrives at `now`: its first analysis run and evaluation time.
  void Begin(SimTime now, HealthState& h) const;
  // Step `step` begins at `now`: with one analysis run per step, a new run (also after a person
  // resumed it); at start_at_step, the run's start.
  void BeginStep(SimTime now, Rollout& r) const;
  // Adds one tick of r's canary and control to r.health.
  void Record(Rollout& r, const CanaryControlTick& tick) const;
  // The evaluation of r at `now`, when one is due: judges, reports, counts.
  HealthOutcome Evaluate(SimTime now, Rollout& r) const;
  // advance_on_pass (Flagger): whether r's current step moves only at verdicts (every step but
  // a last one without bake, the promotion), and how many non-failing verdicts `step` needs:
  // max(1, ceil(bake / interval)).
  bool Gated(const Rollout& r) const;
  int PassesToAdvance(const RolloutStep& step) const;
  // r's pending failing verdicts were acted on (an automated stop or pause took effect).
  void Acted(Rollout& r) const { r.health.unacted = 0; }
  // r's pending failing verdicts can no longer act: reports them (if any) and clears them.
  void Unacted(SimTime now, Rollout& r, UnactedReason why) const;

 private:
  HealthOutcome Stop(SimTime now, Rollout& r, CountDecision decision) const;
  HealthObservation Observe(SimTime now, const Rollout& r) const;
  Verdict Judge(const Rollout& r, const HealthObservation& obs) const;

  const HealthPolicy* policy_;  // null: only steps' own checks, if any
  SimObserver& observer_;
  double other_status_share_ = 0;
  HealthSchedule schedule_;
  int64_t sliding_ticks_ = 0;  // ticks in a sliding lookback
  std::vector<std::string> group_names_;
  std::vector<int> group_of_cluster_;
};

}  // namespace fleetsim
