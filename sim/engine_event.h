// EngineEvent: the sparse control events of one Simulation (DESIGN §4.3) and the queue that
// orders them by (time, scheduling order).
//
// The Simulation owns the queue and dispatches every event it pops (simulation.cc); the rooms
// it is built from (incident_response.h, active_faults.h, ...) borrow it to schedule their
// own events. An event names its change by id; -1/-2 tag the global alert's response.
// Plain value types; the queue belongs to one Simulation and is not thread-safe.
#pragma once

#include <cstdint>

#include "sim/event_queue.h"

namespace fleetsim {

enum class EventKind : uint8_t {
  kArrival,        // a change arrives: its rollout starts
  kMoveDone,       // the step's push reached its target: bake (or a manual gate) begins
  kBakeDone,       // the step's bake is over: next step, or completion
  kRollbackDone,   // the revert reached every host
  kOnset,          // the change's fault begins to manifest
  kHumanResponse,  // the on-call answers the global alert (change -1; -2 after a misdiagnosis)
  kPauseReview,    // a person reviews a paused rollout
  kDeployFailed,   // the deploy system fails the rollout (host update failures)
  kPipeline,       // a commit-pipeline wake-up (change = the pipeline's token)
  kReleaseStart,   // the pipeline cut a release (change = release index)
  kDelayedAutomatedStop,  // a slow orchestrator finally acts on a failing verdict
  kExposureBegins,        // the first hosts run the change (after a propagation delay)
  kFullApplied,           // every host runs the change (after a propagation delay)
  kExposurePoint          // a breakpoint of the delayed exposure path, to report it
};

struct EngineEvent {
  EventKind kind;
  int64_t change;
};

using EngineQueue = EventQueue<EngineEvent>;

}  // namespace fleetsim
