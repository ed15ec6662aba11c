#include "sim/bypass_push.h"

#include <algorithm>

namespace fleetsim {

RolloutPlan BypassPlan(const Fleet& fleet, const BypassSpec& bypass) {
  const size_t n = fleet.clusters().size();
  std::vector<SimTime> delay(n, bypass.propagation);
  for (size_t k = 0; k < n; ++k) {
    const std::string& region =
        fleet.regions()[static_cast<size_t>(fleet.clusters()[k].region)].name;
    for (const auto& [name, d] : bypass.regions) {
      if (name == region) delay[k] = d;
    }
  }
  std::vector<SimTime> distinct = delay;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  RolloutPlan plan;
  if (distinct.front() > SimTime::Zero()) {
    // Nothing reaches a host before the first delay.
    RolloutStep wait;
    wait.name = "propagating";
    wait.cluster_fractions.assign(n, 0.0);
    wait.instant = true;
    wait.bake = distinct.front();
    plan.steps.push_back(wait);
  }
  for (size_t i = 0; i < distinct.size(); ++i) {
    RolloutStep step;
    step.name =
        distinct.size() == 1 ? "global push" : "global push +" + FormatDuration(distinct[i]);
    step.cluster_fractions.assign(n, 0.0);
    for (size_t k = 0; k < n; ++k) step.cluster_fractions[k] = delay[k] <= distinct[i] ? 1.0 : 0.0;
    step.instant = true;
    step.bake = i + 1 < distinct.size() ? distinct[i + 1] - distinct[i] : SimTime::Zero();
    plan.steps.push_back(step);
  }
  return plan;
}

}  // namespace fleetsim
