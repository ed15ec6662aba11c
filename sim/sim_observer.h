// SimObserver: the typed events a Simulation emits, for analysis, traces and tests.
//
// sim/ knows nothing of analysis/: outcome recording, reports and traces subscribe through this
// interface. Every hook has an empty default. Calls arrive in simulated-time order on the
// simulation's thread; the observer must not call back into the Simulation.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "sim/change.h"
#include "sim/commit_flow.h"
#include "sim/health_policy.h"
#include "sim/sim_time.h"

namespace fleetsim {

// Who stopped a rollout: an automated health verdict, a person, or the deploy system itself
// (too many host updates failed; deploy_spec.h).
enum class StopSource : uint8_t { kAutomation, kHuman, kDeployFailure };

inline const char* StopSourceName(StopSource s) {
  switch (s) {
    case StopSource::kAutomation:
      return "automation";
    case StopSource::kHuman:
      return "human";
    case StopSource::kDeployFailure:
      return "deploy_failure";
  }
  return "?";
}

// Why failing verdicts changed nothing (SimObserver::OnVerdictsUnacted). A failing verdict is
// acted on when its analysis run's counting took effect: the stop or pause it counted toward
// happened (now or, with a late orchestrator, later), or it held the step (Flagger's halt).
enum class UnactedReason : uint8_t {
  kDryRun,              // dry_run: the stop was only reported
  kAutomationDisabled,  // automation.enabled false: the stop never reached the push
  kOrchestratorFailed,  // automation.rollback_failure_probability: the orchestrator did not act
  kRunSucceeded,        // the analysis run reported success with them counted
  kNewRun,              // a new analysis run (one per step) began before they reached a limit
  kCompleted,           // the rollout completed with them counted below its limits
  kStoppedOtherwise,    // a person or the deploy system stopped the rollout first
  kRunEnded,            // the simulated run ended first
};

inline const char* UnactedReasonText(UnactedReason r) {
  switch (r) {
    case UnactedReason::kDryRun:
      return "dry run: the stop is only reported";
    case UnactedReason::kAutomationDisabled:
      return "automation disabled: the stop never reached the push";
    case UnactedReason::kOrchestratorFailed:
      return "the orchestrator failed to act on the stop";
    case UnactedReason::kRunSucceeded:
      return "the analysis run succeeded with them counted";
    case UnactedReason::kNewRun:
      return "the step moved on and a new analysis run began";
    case UnactedReason::kCompleted:
      return "the rollout completed with them below its failure limits";
    case UnactedReason::kStoppedOtherwise:
      return "something else stopped the rollout first";
    case UnactedReason::kRunEnded:
      return "the run ended first";
  }
  return "?";
}

// Ground truth about one change during one tick (the minute ending at the tick time).
struct ChangeTickSample {
  int64_t change_id = 0;
  int64_t exposed_hosts = 0;
  int64_t manifesting_hosts = 0;     // hosts running the change where its fault manifests
  int64_t manifesting_requests = 0;  // requests served by those hosts
  int64_t fault_errors = 0;          // requests that failed because of this change's fault
};

struct FleetTickSample {
  SimTime time;
  int64_t requests = 0;
  int64_t errors = 0;
};

class SimObserver {
 public:
  virtual ~SimObserver() = default;
  // Before the first event: at most how many changes (config changes and releases) the run can
  // start, for observers that keep a record per change to size it once.
  virtual void OnRunStarted(int64_t /*max_changes*/) {}
  virtual void OnChangeArrived(const Change&, int64_t /*scope_hosts*/) {}
  // Exposure at a breakpoint of its piecewise-linear path (move start/end, rollback start/end).
  virtual void OnExposure(int64_t /*change*/, SimTime, int64_t /*exposed_hosts*/) {}
  virtual void OnStepStarted(int64_t /*change*/, int /*step*/, const std::string& /*name*/,
                             bool /*last_step*/, SimTime) {}
  // The deploy system finished the step's push: `target_hosts` hosts have it (with a
  // propagation delay, infrastructure_spec.h, some regions' hosts run it only later).
  virtual void OnStepReached(int64_t /*change*/, int /*step*/, SimTime, int64_t /*target_hosts*/) {}
  virtual void OnFullExposure(int64_t /*change*/, SimTime) {}
  virtual void OnRolloutCompleted(int64_t /*change*/, SimTime) {}
  virtual void OnVerdict(int64_t /*change*/, int /*step*/, SimTime, const Verdict&,
                         bool /*foreign_fault_in_canary*/) {}
  virtual void OnRollbackStarted(int64_t /*change*/, int /*step*/, SimTime, StopSource) {}
  // An automated verdict paused the rollout; a person reviews it later (resume or roll back).
  virtual void OnPaused(int64_t /*change*/, int /*step*/, SimTime) {}
  virtual void OnResumed(int64_t /*change*/, SimTime) {}
  // A failed check held the step (Flagger's scheduler, health.counting: flagger): counted,
  // the weight stays; an automated action that took effect.
  virtual void OnHalted(int64_t /*change*/, int /*step*/, SimTime) {}
  // `count` failing verdicts of the change's analysis run turned out to change nothing, for
  // `why` (reported when that became certain: see UnactedReason). Never a detection.
  virtual void OnVerdictsUnacted(int64_t /*change*/, int /*step*/, SimTime, int /*count*/,
                                 UnactedReason /*why*/) {}
  // dry_run: the health policy would have stopped the change now (it is left alone).
  virtual void OnDryRunStop(int64_t /*change*/, int /*step*/, SimTime) {}
  // The deploy system failed the rollout (host update failures beyond its tolerance); a
  // rollback with StopSource::kDeployFailure follows at the same instant.
  virtual void OnDeployFailed(int64_t /*change*/, int /*step*/, SimTime,
                              const std::string& /*reason*/) {}
  virtual void OnRollbackFinished(int64_t /*change*/, SimTime) {}
  virtual void OnImpactBegan(int64_t /*change*/, SimTime) {}
  virtual void OnImpactEnded(int64_t /*change*/, SimTime) {}
  virtual void OnRegionImpacted(int64_t /*change*/, int /*region*/, SimTime) {}
  virtual void OnAlert(SimTime) {}
  virtual void OnHumanResponse(SimTime, int64_t /*culprit or -1*/) {}
  virtual void OnTick(const FleetTickSample&, std::span<const ChangeTickSample>) {}
  virtual void OnRunEnded(SimTime) {}
  // The commit pipeline's record of the replica (only when the scenario has a commit stream);
  // called just before OnRunEnded.
  virtual void OnCommitFlowEnded(const CommitFlowResult&) {}
};

}  // namespace fleetsim
