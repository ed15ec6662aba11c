#include "policies/risk/risk_registry.h"

namespace fleetsim {

const RiskRegistry& RiskKinds() {
  static const RiskRegistry registry = [] {
    RiskRegistry r;
    RegisterRiskThreshold(r);
    return r;
  }();
  return registry;
}

std::unique_ptr<RiskPolicy> ParseRiskPolicy(const ConfigNode& node, const std::string& context) {
  YamlMap m(node, context);
  ConfigNode kind_node = m.Required("kind");
  const std::string kind = kind_node.AsString(context + ".kind");
  const RiskRegistry::Factory* factory = RiskKinds().Find(kind);
  if (!factory)
    kind_node.Fail(context + ".kind: unknown kind '" + kind +
                   "'; expected one of: " + RiskKinds().Names());
  std::unique_ptr<RiskPolicy> policy = (*factory)(m);
  m.Finish();
  return policy;
}

}  // namespace fleetsim
