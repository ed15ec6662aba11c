#include "sim/incident_response.h"

#include "sim/random_draws.h"

namespace fleetsim {

IncidentResponse::IncidentResponse(const Scenario& scenario, uint64_t seed, uint32_t replica,
                                   RolloutTable& rollouts, EngineQueue& queue,
                                   SimObserver& observer)
    : scenario_(scenario),
      seed_(seed),
      replica_(replica),
      rollouts_(rollouts),
      queue_(queue),
      observer_(observer),
      alert_(scenario.humans) {}

void IncidentResponse::ObserveFleet(SimTime now, double fleet_error_rate) {
  if (!alert_.Observe(fleet_error_rate, scenario_.tick)) return;
  observer_.OnAlert(now);
  const SimTime response =
      alert_.DrawResponseTime(StreamKey::AlertResponse(seed_, replica_, alerts_++));
  queue_.Schedule(now + response, EngineEvent{EventKind::kHumanResponse, -1});
}

std::optional<int64_t> IncidentResponse::Respond(SimTime now, int64_t tag) {
  if (tag == -1 && scenario_.humans.misdiagnosis_probability > 0) {
    // A misdiagnosis (an attack suspected...) costs extra time before the mitigation.
    const SimTime extra = MisdiagnosisDelay();
    if (extra > SimTime::Zero()) {
      queue_.Schedule(now + extra, EngineEvent{EventKind::kHumanResponse, -2});
      return std::nullopt;
    }
  }
  int64_t culprit = -1;
  int64_t worst = -1;
  for (int64_t id : rollouts_.active()) {
    const Rollout& r = rollouts_.Get(id);
    if (!r.Manifesting() || r.phase == Phase::kRollingBack || r.phase == Phase::kRolledBack)
      continue;
    if (r.last_fault_errors > worst) {
      worst = r.last_fault_errors;
      culprit = id;
    }
  }
  observer_.OnHumanResponse(now, culprit);
  if (culprit >= 0 && scenario_.humans.mitigation == HumanSpec::Mitigation::kKillSwitch)
    rollouts_.Get(culprit).kill_switch = true;
  return culprit;
}

SimTime IncidentResponse::GateDelay(const Rollout& r) const {
  // A person promotes after their response time; its own stream: (change, step).
  return alert_.DrawResponseTime(StreamKey::ManualGate(seed_, replica_, r.change->info.id, r.step));
}

SimTime IncidentResponse::PauseReviewDelay(Rollout& r) {
  // The person's response time comes from its own stream: (change, pause number). (Until
  // issue 16 the pause number was packed in 8 bits: the 257th pause of a change reused the
  // first one's draw.)
  return alert_.DrawResponseTime(
      StreamKey::PauseReview(seed_, replica_, r.change->info.id, r.pauses++));
}

SimTime IncidentResponse::RollbackHold(const Rollout& r) const {
  if (!r.change->truth.bad() || !r.Manifesting()) return SimTime::Zero();
  const FaultProfile& f = scenario_.faults.faults[r.change->truth.fault];
  if (!f.blocks_rollback) return SimTime::Zero();
  RandomStream rng(StreamKey::FaultRepair(seed_, replica_, r.change->info.id));
  return DrawLognormalTime(rng, f.repair.median, f.repair.sigma);
}

IncidentResponse::StopFate IncidentResponse::AutomatedStop(SimTime now, Rollout& r) {
  const AutomationSpec& a = scenario_.automation;
  if (!a.enabled) {
    r.health.counter->Reset();  // the verdict never reaches the push; the analysis goes on
    return StopFate::kDisabled;
  }
  if (a.rollback_failure_probability > 0) {
    RandomStream rng(StreamKey::AutomationFailure(seed_, replica_, r.change->info.id));
    if (rng.NextUnit() < a.rollback_failure_probability) {
      r.health.counter->Reset();  // the orchestrator never acts on this change
      return StopFate::kFailed;
    }
  }
  if (a.rollback_delay > SimTime::Zero()) {
    if (!r.stop_scheduled) {
      r.stop_scheduled = true;
      queue_.Schedule(now + a.rollback_delay,
                      EngineEvent{EventKind::kDelayedAutomatedStop, r.change->info.id});
    }
    return StopFate::kLate;
  }
  return StopFate::kNow;
}

SimTime IncidentResponse::MisdiagnosisDelay() {
  const HumanSpec& h = scenario_.humans;
  RandomStream rng(StreamKey::Misdiagnosis(seed_, replica_, responses_++));
  if (rng.NextUnit() >= h.misdiagnosis_probability) return SimTime::Zero();
  return DrawLognormalTime(rng, h.misdiagnosis_median, h.misdiagnosis_sigma);
}

}  // namespace fleetsim
