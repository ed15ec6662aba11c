// PolicySet: the policies one Simulation runs under, borrowed (const) and shared by every
// replica and thread.
//
// Its own header so that whoever assembles policies (policies/policy_loader.h) names the
// bundle without including the engine. Only the rollout policy is required.
#pragma once

namespace fleetsim {

class BatchingPolicy;
class HealthPolicy;
class RiskPolicy;
class RolloutPolicy;
struct DeployOverrides;

struct PolicySet {
  const RolloutPolicy* rollout = nullptr;  // required
  const HealthPolicy* health = nullptr;    // optional: no automated checks when null
  // optional: the policy's deploy: block over the scenario's
  const DeployOverrides* deploy = nullptr;
  const BatchingPolicy* batching = nullptr;  // optional: commits ship one per release when null
  const RiskPolicy* risk = nullptr;          // optional: no risk routing of releases when null
};

}  // namespace fleetsim
