// Chrome trace-event export of one replica's Timeline (opens in Perfetto and chrome://tracing).
//
// Layout: one process (pid 1, "<scenario> / <policy> / replica N"); one thread per change
// (tid = change id + 1, "change #id (good)" / "change #id (bad: <fault>)"), holding each rollout
// step and each rollback as a complete event ("X", from its start to the next step / rollback /
// completion / end of run) and arrivals, verdicts, impact begin/end, regions reached and full
// exposure as instant events ("i", details in args); thread tid 0 "fleet" holds alerts and human
// responses. Counters ("C"): "exposure #id" (fraction of the scope running the change, sampled
// at the exposure path's breakpoints plus a few linear interpolation points on ramps) and
// "fleet error rate" (per tick, placed at the start of the tick's minute; emitted when it moves
// by more than 1e-6 relative, and at least every 10 simulated minutes and at the last tick).
// `ts`/`dur` are microseconds of simulated time; events are sorted by ts (stable).
//
// Pure function of its inputs: equal timelines give byte-identical output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "analysis/timeline.h"
#include "policies/policy_loader.h"
#include "sim/scenario.h"

namespace fleetsim {

// Returns the trace as a JSON object {"traceEvents": [...], "displayTimeUnit": "ms",
// "metadata": {seed (when given), scenario, policy, replica, ...}}.
std::string RenderChromeTrace(const Timeline& timeline, const Scenario& scenario,
                              const Policy& policy, std::optional<uint64_t> seed = std::nullopt);

}  // namespace fleetsim
