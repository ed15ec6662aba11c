// RolloutPolicy: the interface through which the engine asks a rollout strategy what to do.
//
// A policy never touches the fleet. For each change it returns a RolloutPlan: an ordered list
// of steps, each a target exposure (fraction of the change's scope) and a bake time. The engine
// moves exposure to each target at the actuator's speed, bakes, keeps judging health, and
// advances; the plan's last step must reach 1.0. Implementations live in policies/rollout/ and
// must be immutable after construction: one instance is shared by all replicas and threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/change.h"
#include "sim/sim_time.h"

namespace fleetsim {

struct RolloutStep {
  std::string name;       // "canary", "p10", ...
  double fraction = 1.0;  // target exposure in (0, 1]
  SimTime bake;           // time to hold at the target before the next step (or completion)
};

struct RolloutPlan {
  std::vector<RolloutStep> steps;
};

class RolloutPolicy {
 public:
  virtual ~RolloutPolicy() = default;
  virtual std::string_view Kind() const = 0;
  virtual RolloutPlan Plan(const ChangeInfo& change) const = 0;
};

}  // namespace fleetsim
