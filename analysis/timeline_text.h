// Readable, minute-resolution timeline of one replica (the text of `fleetsim replay`).
//
// One line per notable event, in the timeline's order (simulated time; ties in engine order):
//   "  0d 00:10  change #0  arrived (bad: fatal)"
//   "  0d 00:10  change #0  stage canary started (target 1.0% of 10,000 hosts)"
//   "  0d 00:10  change #0  fault manifests"
//   "  0d 00:11  change #0  verdict FAIL: <reason>"
//   "  0d 00:11  change #0  rollback started by automation (exposed 100 hosts)"
//   "  0d 00:11  change #0  rollback finished; impact ended"
//   "  0d 03:40  fleet      alert fired"
// Times are day and hh:mm of simulated time, truncated to the minute. Exposure breakpoints and
// ticks get no line; a step's target being reached gets one only when that happens in a later
// minute than the step's start (whose line already states the target); passing verdicts get
// none (there is one per health interval) but are counted per change in a closing section. A
// rollback held by a fault that blocks it (blocks_rollback) says so; while rollbacks are under
// way, alerts whose response finds nothing new to roll back are said once, then counted in one
// line when the rollbacks are over.
// Deterministic: a pure function of its inputs.
#pragma once

#include <string>

#include "analysis/timeline.h"
#include "sim/scenario.h"

namespace fleetsim {

std::string RenderTimelineText(const Timeline& timeline, const Scenario& scenario);

// "1d 02:05" for 26h5m (days unpadded, hours and minutes two digits, seconds dropped).
std::string FormatClock(SimTime t);

}  // namespace fleetsim
