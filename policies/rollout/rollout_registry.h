// The registry of rollout kinds (big_bang, stages, ...). See kind_registry.h.
#pragma once

#include "policies/kind_registry.h"
#include "sim/rollout_policy.h"

namespace fleetsim {

using RolloutRegistry = KindRegistry<RolloutPolicy>;

// Every built-in rollout kind, registered on first use.
const RolloutRegistry& RolloutKinds();

// Registration hooks of the individual kinds (one per file in policies/rollout/).
void RegisterBigBang(RolloutRegistry& registry);
void RegisterStages(RolloutRegistry& registry);
void RegisterGeneratedStepKinds(RolloutRegistry& registry);  // canary, linear, exponential

}  // namespace fleetsim
