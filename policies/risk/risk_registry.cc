#include "policies/risk/risk_registry.h"

namespace fleetsim {

// One registration function per FLEETSIM_REGISTER_RISK_KIND (generated list).
#define FLEETSIM_KIND(name) void FleetsimRegisterRiskKind_##name(RiskRegistry&);
#include "policies/generated/risk_kinds.inc"
#undef FLEETSIM_KIND

const RiskRegistry& RiskKinds() {
  static const RiskRegistry registry = [] {
    RiskRegistry r;
#define FLEETSIM_KIND(name) FleetsimRegisterRiskKind_##name(r);
#include "policies/generated/risk_kinds.inc"
#undef FLEETSIM_KIND
    return r;
  }();
  return registry;
}

std::unique_ptr<RiskPolicy> ParseRiskPolicy(const ConfigNode& node, const std::string& context) {
  return ParseKind(RiskKinds(), node, context);
}

}  // namespace fleetsim
