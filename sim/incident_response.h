// IncidentResponse: what people do in one Simulation, and what happens when automation fails.
//
// - The global alert (human_model.h): fed the fleet-wide error rate every tick; when it fires,
//   the on-call's response is scheduled (kHumanResponse) after a sampled response time.
// - The response: with some probability a misdiagnosis costs extra time first; then the person
//   picks the change whose fault does the most damage right now (kill switch or rollback).
// - Reviews of paused rollouts and manual promotion gates: a person's response time.
// - Manual repair of hosts a fault keeps from the revert (fault.h: blocks_rollback).
// - Broken automation (automation_spec.h): an automated stop that is lost or comes late.
//
// Owns the alert state and the counters that key its random streams; borrows the scenario,
// the rollout table, the event queue and the observer from its Simulation. The Simulation
// applies the actions (rollback, pause, resume); this class only decides and draws times.
// Not thread-safe: one replica's state.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/engine_event.h"
#include "sim/human_model.h"
#include "sim/rollout_state.h"
#include "sim/scenario.h"
#include "sim/sim_observer.h"

namespace fleetsim {

class IncidentResponse {
 public:
  IncidentResponse(const Scenario& scenario, uint64_t seed, uint32_t replica,
                   RolloutTable& rollouts, EngineQueue& queue, SimObserver& observer);

  // End of a tick: the global alert on the fleet-wide error rate. When it fires, OnAlert is
  // reported and the response is scheduled.
  void ObserveFleet(SimTime now, double fleet_error_rate);

  // A kHumanResponse event with tag -1 (the alert's response) or -2 (after a misdiagnosis).
  // nullopt: a misdiagnosis delays the response (rescheduled, nothing to do now). Otherwise the
  // culprit the person mitigates now (-1: none), reported to the observer and, with a kill
  // switch, marked so; the caller rolls it back, then calls ResponseDone().
  std::optional<int64_t> Respond(SimTime now, int64_t tag);
  // The response is over: the alert re-arms.
  void ResponseDone() { alert_.ResponseDone(); }

  // How long a person takes to promote through r's current step's manual gate.
  SimTime GateDelay(const Rollout& r) const;
  // How long until a person reviews r's pause that begins now (counts the pause in r.pauses).
  SimTime PauseReviewDelay(Rollout& r);
  // How long r's rollback waits for the manual repair of hosts its fault keeps from the revert.
  SimTime RollbackHold(const Rollout& r) const;
  // Broken automation: what becomes of r's automated stop decided now. kNow: it happens now;
  // kLate: a kDelayedAutomatedStop is scheduled (or already was); kDisabled, kFailed: lost, its
  // counter reset. Only for a non-default AutomationSpec.
  enum class StopFate : uint8_t { kNow, kLate, kDisabled, kFailed };
  StopFate AutomatedStop(SimTime now, Rollout& r);

 private:
  SimTime MisdiagnosisDelay();

  const Scenario& scenario_;
  uint64_t seed_;
  uint32_t replica_;
  RolloutTable& rollouts_;
  EngineQueue& queue_;
  SimObserver& observer_;
  AlertTracker alert_;
  uint64_t alerts_ = 0;     // alerts so far (response-time draws)
  uint64_t responses_ = 0;  // responses so far (misdiagnosis draws)
};

}  // namespace fleetsim
