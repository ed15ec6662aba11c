#include "policies/rollout/rollout_registry.h"

namespace fleetsim {

const RolloutRegistry& RolloutKinds() {
  static const RolloutRegistry registry = [] {
    RolloutRegistry r;
    RegisterBigBang(r);
    RegisterStages(r);
    RegisterGeneratedStepKinds(r);
    return r;
  }();
  return registry;
}

}  // namespace fleetsim
