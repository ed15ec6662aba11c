#include "policies/rollout/rollout_registry.h"

namespace fleetsim {

// One registration function per FLEETSIM_REGISTER_ROLLOUT_KIND (generated list).
#define FLEETSIM_KIND(name) void FleetsimRegisterRolloutKind_##name(RolloutRegistry&);
#include "policies/generated/rollout_kinds.inc"
#undef FLEETSIM_KIND

const RolloutRegistry& RolloutKinds() {
  static const RolloutRegistry registry = [] {
    RolloutRegistry r;
#define FLEETSIM_KIND(name) FleetsimRegisterRolloutKind_##name(r);
#include "policies/generated/rollout_kinds.inc"
#undef FLEETSIM_KIND
    return r;
  }();
  return registry;
}

std::unique_ptr<RolloutPolicy> ParseRolloutPolicy(const ConfigNode& node,
                                                  const std::string& context) {
  return ParseKind(RolloutKinds(), node, context);
}

}  // namespace fleetsim
