// BypassPlan: the rollout plan of a change pushed around the rollout policy (a global config
// system, an emergency path): changes.injected[].bypass (change_stream.h).
//
// Every cluster takes the change at once when its region's propagation delay has passed since
// submission (`bypass.regions`, else `bypass.propagation`), whatever the policy says: one
// instant step per distinct delay, in increasing order, each holding until the next delay; the
// last step puts every cluster at 1.0. No automated health check judges such a change (the
// engine skips it); people and rollbacks still apply. Pure function.
#pragma once

#include "sim/change_stream.h"
#include "sim/fleet.h"
#include "sim/rollout_policy.h"

namespace fleetsim {

RolloutPlan BypassPlan(const Fleet& fleet, const BypassSpec& bypass);

}  // namespace fleetsim
