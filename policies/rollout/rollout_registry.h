// The registry of rollout kinds (big_bang, stages, ...). See kind_registry.h.
#pragma once

#include "policies/kind_registry.h"
#include "sim/rollout_policy.h"

namespace fleetsim {

using RolloutRegistry = KindRegistry<RolloutPolicy>;

// Every built-in rollout kind, registered on first use.
const RolloutRegistry& RolloutKinds();

// Parses a `{kind: NAME, ...params}` mapping through the registry (unknown keys rejected).
// `context` names the section in messages ("rollout", "rollout.then"). Throws ConfigError.
std::unique_ptr<RolloutPolicy> ParseRolloutPolicy(const ConfigNode& node,
                                                  const std::string& context);

// Registration hooks of the individual kinds (one per file in policies/rollout/).
void RegisterBigBang(RolloutRegistry& registry);
void RegisterStages(RolloutRegistry& registry);
void RegisterGeneratedStepKinds(RolloutRegistry& registry);  // canary, linear, exponential
void RegisterRings(RolloutRegistry& registry);
void RegisterRcv(RolloutRegistry& registry);
void RegisterConveyor(RolloutRegistry& registry);
void RegisterFeatureFlag(RolloutRegistry& registry);
void RegisterBlueGreen(RolloutRegistry& registry);

}  // namespace fleetsim
