// The registry of rollout kinds (big_bang, stages, ...). See kind_registry.h.
//
// A rollout kind is one file in policies/rollout/ ending with
//   FLEETSIM_REGISTER_ROLLOUT_KIND(name, DefinitionFunction);
// where DefinitionFunction() returns a KindDef<RolloutPolicy, Params>.
#pragma once

#include <memory>
#include <string>

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

}  // namespace fleetsim

#define FLEETSIM_REGISTER_ROLLOUT_KIND(name, definition) \
  FLEETSIM_REGISTER_KIND(Rollout, name, definition)
