#include "analysis/outcome_recorder.h"

#include <algorithm>

namespace fleetsim {

void OutcomeRecorder::OnRunStarted(int64_t max_changes) {
  outcomes_.reserve(static_cast<size_t>(max_changes));
  tracking_.reserve(static_cast<size_t>(max_changes));
}

void OutcomeRecorder::OnChangeArrived(const Change& change, int64_t scope_hosts) {
  if (static_cast<size_t>(change.info.id) >= outcomes_.size()) {
    outcomes_.resize(change.info.id + 1);
    tracking_.resize(change.info.id + 1);
  }
  ChangeOutcome& o = outcomes_[change.info.id];
  o.id = change.info.id;
  o.kind = change.info.kind;
  o.arrival = change.info.arrival;
  o.label = change.info.label;
  o.scope_hosts = scope_hosts;
  o.carries_fault = change.truth.bad();
  if (o.carries_fault) o.fault = faults_->faults[change.truth.fault].name;
}

void OutcomeRecorder::OnExposure(int64_t change, SimTime t, int64_t hosts) {
  ChangeOutcome& o = outcomes_[change];
  Tracking& k = tracking_[change];
  // Exposure is piecewise linear between consecutive breakpoints: integrate exactly.
  if (k.have_point) {
    o.exposed_host_minutes +=
        0.5 * static_cast<double>(k.last_hosts + hosts) * (t - k.last_t).minutes();
  }
  k.have_point = true;
  k.last_t = t;
  k.last_hosts = hosts;
  if (o.scope_hosts > 0) {
    o.peak_exposed_fraction = std::max(
        o.peak_exposed_fraction, static_cast<double>(hosts) / static_cast<double>(o.scope_hosts));
  }
}

void OutcomeRecorder::OnStepStarted(int64_t change, int step, const std::string& name,
                                    bool last_step, SimTime t) {
  Tracking& k = tracking_[change];
  k.current_step = step;
  k.current_step_name = name;
  if (last_step && !outcomes_[change].final_stage_at) outcomes_[change].final_stage_at = t;
}

void OutcomeRecorder::OnFullExposure(int64_t change, SimTime t) {
  outcomes_[change].full_exposure_at = t;
}

void OutcomeRecorder::OnRolloutCompleted(int64_t change, SimTime t) {
  outcomes_[change].completed_at = t;
  outcomes_[change].final_state = FinalState::kCompleted;
}

void OutcomeRecorder::Detect(ChangeOutcome& o, Tracking& k, SimTime t, DetectedBy by) {
  if (o.detected_at && *o.detected_at <= t) return;
  o.detected_at = t;
  o.detected_by = by;
  o.detected_stage = k.current_step;
  o.detected_stage_name = k.current_step_name;
}

void OutcomeRecorder::OnVerdict(int64_t change, int, SimTime, const Verdict& v, bool foreign) {
  ChangeOutcome& o = outcomes_[change];
  Tracking& k = tracking_[change];
  ++o.verdicts;
  if (v.kind != VerdictKind::kFail) return;
  ++o.failing_verdicts;
  k.last_fail_foreign = foreign;
  // A failing verdict alone is no detection (DESIGN §5): only what it made happen is (a stop,
  // a pause, a hold); one that acted on nothing is counted in OnVerdictsUnacted.
}

void OutcomeRecorder::OnHalted(int64_t change, int, SimTime t) {
  ChangeOutcome& o = outcomes_[change];
  // A hold detects the fault only once the fault is actually doing something (the rollout goes
  // on after it: a hold on noise before the onset caught nothing).
  if (o.carries_fault && o.impact_start && !o.impact_end)
    Detect(o, tracking_[change], t, DetectedBy::kAutomation);
}

void OutcomeRecorder::OnVerdictsUnacted(int64_t change, int, SimTime, int count, UnactedReason) {
  outcomes_[change].unacted_verdicts += count;
}

void OutcomeRecorder::OnRollbackStarted(int64_t change, int, SimTime t, StopSource source) {
  ChangeOutcome& o = outcomes_[change];
  Tracking& k = tracking_[change];
  if (!o.stopped_by || source == StopSource::kAutomation) o.stopped_by = source;
  o.final_state = FinalState::kRollingBack;
  if (source == StopSource::kAutomation) {
    o.misattributed = k.last_fail_foreign;
  }
  if (o.carries_fault)
    Detect(o, k, t,
           source == StopSource::kAutomation ? DetectedBy::kAutomation : DetectedBy::kHuman);
}

void OutcomeRecorder::OnPaused(int64_t change, int, SimTime t) {
  ChangeOutcome& o = outcomes_[change];
  Tracking& k = tracking_[change];
  ++o.pauses;
  o.final_state = FinalState::kPaused;
  if (!o.stopped_by) {
    o.stopped_by = StopSource::kAutomation;
    o.misattributed = k.last_fail_foreign;
  }
  if (o.carries_fault) Detect(o, k, t, DetectedBy::kAutomation);
}

void OutcomeRecorder::OnResumed(int64_t change, SimTime) {
  outcomes_[change].final_state = FinalState::kInProgress;
}

void OutcomeRecorder::OnDryRunStop(int64_t change, int, SimTime) {
  ++outcomes_[change].dry_run_stops;
}

void OutcomeRecorder::OnRollbackFinished(int64_t change, SimTime) {
  outcomes_[change].final_state = FinalState::kRolledBack;
}

void OutcomeRecorder::OnImpactBegan(int64_t change, SimTime t) {
  outcomes_[change].impact_start = t;
  outcomes_[change].bad = true;
}

void OutcomeRecorder::OnImpactEnded(int64_t change, SimTime t) { outcomes_[change].impact_end = t; }

void OutcomeRecorder::OnRegionImpacted(int64_t change, int, SimTime) {
  ++outcomes_[change].regions_impacted;
}

void OutcomeRecorder::OnAlert(SimTime) { ++alerts_; }

void OutcomeRecorder::OnTick(const FleetTickSample& fleet,
                             std::span<const ChangeTickSample> changes) {
  fleet_requests_ += fleet.requests;
  fleet_errors_ += fleet.errors;
  for (const ChangeTickSample& s : changes) {
    ChangeOutcome& o = outcomes_[s.change_id];
    o.failed_requests += s.fault_errors;
    if (fleet.requests > 0 && s.manifesting_requests > 0) {
      o.impacted_traffic_peak =
          std::max(o.impacted_traffic_peak, static_cast<double>(s.manifesting_requests) /
                                                static_cast<double>(fleet.requests));
    }
    if (fleet.requests > 0 && s.fault_errors > 0) {
      o.failed_traffic_peak =
          std::max(o.failed_traffic_peak,
                   static_cast<double>(s.fault_errors) / static_cast<double>(fleet.requests));
    }
  }
}

void OutcomeRecorder::OnRunEnded(SimTime) {
  for (ChangeOutcome& o : outcomes_) {
    o.latent = o.carries_fault && !o.bad;
    // Detection before impact (a lucky stop) only counts for changes whose fault manifested.
    if (!o.bad) {
      o.detected_at.reset();
      o.detected_by = DetectedBy::kNone;
      o.detected_stage = -1;
      o.detected_stage_name.clear();
    }
    o.escaped =
        o.bad && o.final_stage_at && (!o.detected_at || *o.detected_at >= *o.final_stage_at);
    o.false_positive = !o.bad && o.stopped_by == StopSource::kAutomation;
    if (!o.false_positive) o.misattributed = false;
    if (severity_ && o.bad)
      o.sev = SevLevel(*severity_, o.impacted_traffic_peak, o.failed_requests);
  }
}

}  // namespace fleetsim
