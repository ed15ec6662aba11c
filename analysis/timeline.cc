// TimelineRecorder: a transcript of one replica's SimObserver hooks (see timeline.h).
//
// One TimelineEvent per hook, appended in call order (which the engine guarantees is
// simulated-time order, up to the end-of-run exposure closings at the run's last instant).
// Besides the fields the header documents, `value` carries:
//   kStepStarted     1 when the step is the rollout's last, else 0;
//   kStepReached     hosts the step's push put the change on (its target, in hosts);
//   kVerdict         1 when the canary was also hit by another change's fault, else 0;
//   kHumanResponse   the culprit id (same as `change`), -1 when none was found.
// OnRunEnded is not recorded: the run's end is the scenario's duration.
// Not thread-safe: one recorder per Simulation, read after Simulation::Run().
#include "analysis/timeline.h"

#include <utility>

namespace fleetsim {

const char* TimelineKindName(TimelineKind kind) {
  switch (kind) {
    case TimelineKind::kArrived:
      return "arrived";
    case TimelineKind::kStepStarted:
      return "step_started";
    case TimelineKind::kStepReached:
      return "step_reached";
    case TimelineKind::kFullExposure:
      return "full_exposure";
    case TimelineKind::kCompleted:
      return "completed";
    case TimelineKind::kExposure:
      return "exposure";
    case TimelineKind::kVerdict:
      return "verdict";
    case TimelineKind::kRollbackStarted:
      return "rollback_started";
    case TimelineKind::kRollbackFinished:
      return "rollback_finished";
    case TimelineKind::kImpactBegan:
      return "impact_began";
    case TimelineKind::kImpactEnded:
      return "impact_ended";
    case TimelineKind::kRegionImpacted:
      return "region_impacted";
    case TimelineKind::kAlert:
      return "alert";
    case TimelineKind::kHumanResponse:
      return "human_response";
    case TimelineKind::kPaused:
      return "paused";
    case TimelineKind::kResumed:
      return "resumed";
    case TimelineKind::kDryRunStop:
      return "dry_run_stop";
    case TimelineKind::kDeployFailed:
      return "deploy_failed";
    case TimelineKind::kHalted:
      return "halted";
    case TimelineKind::kVerdictsLost:
      return "verdicts_lost";
  }
  return "?";
}

namespace {

TimelineEvent Make(SimTime t, TimelineKind kind, int64_t change, int step = -1, double value = 0,
                   std::string text = {}) {
  TimelineEvent e;
  e.time = t;
  e.kind = kind;
  e.change = change;
  e.step = step;
  e.value = value;
  e.text = std::move(text);
  return e;
}

}  // namespace

TimelineRecorder::TimelineRecorder(const FaultCatalog& faults, uint32_t replica)
    : faults_(&faults) {
  timeline_.replica = replica;
}

void TimelineRecorder::OnChangeArrived(const Change& change, int64_t scope_hosts) {
  timeline_.scope_hosts = scope_hosts;
  std::string text = "good";
  if (change.truth.bad()) {
    const size_t f = static_cast<size_t>(change.truth.fault);
    text = f < faults_->faults.size() ? faults_->faults[f].name : std::string("fault");
  }
  timeline_.events.push_back(
      Make(change.info.arrival, TimelineKind::kArrived, change.info.id, -1, 0, std::move(text)));
}

void TimelineRecorder::OnExposure(int64_t change, SimTime t, int64_t exposed_hosts) {
  timeline_.events.push_back(
      Make(t, TimelineKind::kExposure, change, -1, static_cast<double>(exposed_hosts)));
}

void TimelineRecorder::OnStepStarted(int64_t change, int step, const std::string& name,
                                     bool last_step, SimTime t) {
  timeline_.events.push_back(
      Make(t, TimelineKind::kStepStarted, change, step, last_step ? 1 : 0, name));
}

void TimelineRecorder::OnStepReached(int64_t change, int step, SimTime t, int64_t target_hosts) {
  timeline_.events.push_back(
      Make(t, TimelineKind::kStepReached, change, step, static_cast<double>(target_hosts)));
}

void TimelineRecorder::OnFullExposure(int64_t change, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kFullExposure, change));
}

void TimelineRecorder::OnRolloutCompleted(int64_t change, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kCompleted, change));
}

void TimelineRecorder::OnVerdict(int64_t change, int step, SimTime t, const Verdict& v,
                                 bool foreign) {
  std::string text = VerdictName(v.kind);
  if (!v.reason.empty()) text += ": " + v.reason;
  timeline_.events.push_back(
      Make(t, TimelineKind::kVerdict, change, step, foreign ? 1 : 0, std::move(text)));
}

void TimelineRecorder::OnRollbackStarted(int64_t change, int step, SimTime t, StopSource source) {
  timeline_.events.push_back(
      Make(t, TimelineKind::kRollbackStarted, change, step, 0, StopSourceName(source)));
}

void TimelineRecorder::OnRollbackFinished(int64_t change, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kRollbackFinished, change));
}

void TimelineRecorder::OnImpactBegan(int64_t change, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kImpactBegan, change));
}

void TimelineRecorder::OnImpactEnded(int64_t change, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kImpactEnded, change));
}

void TimelineRecorder::OnRegionImpacted(int64_t change, int region, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kRegionImpacted, change, -1, region));
}

void TimelineRecorder::OnAlert(SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kAlert, -1));
}

void TimelineRecorder::OnHumanResponse(SimTime t, int64_t culprit) {
  timeline_.events.push_back(
      Make(t, TimelineKind::kHumanResponse, culprit, -1, static_cast<double>(culprit)));
}

void TimelineRecorder::OnPaused(int64_t change, int step, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kPaused, change, step, 0));
}

void TimelineRecorder::OnResumed(int64_t change, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kResumed, change, -1, 0));
}

void TimelineRecorder::OnDryRunStop(int64_t change, int step, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kDryRunStop, change, step, 0));
}

void TimelineRecorder::OnDeployFailed(int64_t change, int step, SimTime t,
                                      const std::string& reason) {
  timeline_.events.push_back(Make(t, TimelineKind::kDeployFailed, change, step, 0, reason));
}

void TimelineRecorder::OnHalted(int64_t change, int step, SimTime t) {
  timeline_.events.push_back(Make(t, TimelineKind::kHalted, change, step, 0));
}

void TimelineRecorder::OnVerdictsUnacted(int64_t change, int step, SimTime t, int count,
                                         UnactedReason why) {
  timeline_.events.push_back(Make(t, TimelineKind::kVerdictsLost, change, step,
                                  static_cast<double>(count), UnactedReasonText(why)));
}

void TimelineRecorder::OnTick(const FleetTickSample& fleet, std::span<const ChangeTickSample>) {
  timeline_.tick_times.push_back(fleet.time);
  timeline_.fleet_error_rate.push_back(fleet.requests > 0 ? static_cast<double>(fleet.errors) /
                                                                static_cast<double>(fleet.requests)
                                                          : 0.0);
}

}  // namespace fleetsim
