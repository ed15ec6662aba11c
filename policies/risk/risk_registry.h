// The registry of risk-routing kinds (threshold) and the parsing of a policy's `risk:` section.
// See kind_registry.h and sim/risk_policy.h.
//
// A risk kind is one file in policies/risk/ ending with
//   FLEETSIM_REGISTER_RISK_KIND(name, DefinitionFunction);
// where DefinitionFunction() returns a KindDef<RiskPolicy, Params>.
#pragma once

#include <memory>
#include <string>

#include "policies/kind_registry.h"
#include "sim/risk_policy.h"

namespace fleetsim {

using RiskRegistry = KindRegistry<RiskPolicy>;

// Every built-in risk kind, registered on first use.
const RiskRegistry& RiskKinds();

// Parses `{kind: NAME, ...params}` (unknown keys rejected). Throws ConfigError.
std::unique_ptr<RiskPolicy> ParseRiskPolicy(const ConfigNode& node, const std::string& context);

}  // namespace fleetsim

#define FLEETSIM_REGISTER_RISK_KIND(name, definition) FLEETSIM_REGISTER_KIND(Risk, name, definition)
