#include "policies/rollout/rollout_registry.h"

namespace fleetsim {

const RolloutRegistry& RolloutKinds() {
  static const RolloutRegistry registry = [] {
    RolloutRegistry r;
    RegisterBigBang(r);
    RegisterStages(r);
    RegisterGeneratedStepKinds(r);
    RegisterRings(r);
    RegisterRcv(r);
    RegisterConveyor(r);
    RegisterFeatureFlag(r);
    RegisterBlueGreen(r);
    return r;
  }();
  return registry;
}

std::unique_ptr<RolloutPolicy> ParseRolloutPolicy(const ConfigNode& node,
                                                  const std::string& context) {
  YamlMap m(node, context);
  ConfigNode kind_node = m.Required("kind");
  const std::string kind = kind_node.AsString(context + ".kind");
  const RolloutRegistry::Factory* factory = RolloutKinds().Find(kind);
  if (!factory) {
    kind_node.Fail(context + ".kind: unknown kind '" + kind +
                   "'; expected one of: " + RolloutKinds().Names());
  }
  std::unique_ptr<RolloutPolicy> policy = (*factory)(m);
  m.Finish();
  return policy;
}

}  // namespace fleetsim
