#include "policies/rollout/stage_list.h"

#include <cmath>

#include "policies/health/check_set_policy.h"
#include "policies/health/health_registry.h"

namespace fleetsim {

std::vector<RolloutStep> ParseStageList(const ConfigNode& list, const std::string& context,
                                        bool allow_hosts) {
  std::vector<RolloutStep> steps;
  double previous = 0;
  for (const ConfigNode& sn : list.AsSequence(context)) {
    YamlMap s(sn, context + "[]");
    RolloutStep step;
    step.name = s.String("name", "stage" + std::to_string(steps.size() + 1));
    if (s.Has("hosts")) {
      if (!allow_hosts)
        s.Required("hosts").Fail(context + "[].hosts: expected percent (this kind ramps a share)");
      if (s.Has("percent")) s.self().Fail(context + "[]: expected percent or hosts, not both");
      step.hosts = s.IntIn("hosts", 1, 1, 10'000'000'000);
      if (previous > 0) {
        s.Required("hosts").Fail(context +
                                 "[].hosts: host-count stages must come before the percent stages");
      }
    } else {
      const double percent = s.RequiredDouble("percent");
      s.RequireRange("percent", percent, 1e-9, 100);
      if (percent <= previous) {
        s.Required("percent").Fail(context +
                                   "[].percent: expected more than the previous stage's " +
                                   std::to_string(previous) + "%");
      }
      previous = percent;
      step.fraction = percent / 100.0;
    }
    ConfigNode bake = s.Required("bake");
    if (bake.IsScalar() && bake.node.Scalar() == "manual") {
      step.manual_gate = true;  // Argo's `pause: {}`: a person promotes
    } else {
      step.bake = bake.AsDuration(context + "[].bake");
    }
    if (auto checks = s.Optional("checks")) {
      std::vector<std::unique_ptr<HealthCheck>> list_of_checks;
      for (const ConfigNode& c : checks->AsSequence(context + "[].checks")) {
        list_of_checks.push_back(ParseHealthCheck(c, context + "[].checks[]"));
      }
      if (list_of_checks.empty()) checks->Fail(context + "[].checks: expected at least one check");
      step.checks = std::make_shared<CheckSetPolicy>(HealthSchedule{}, std::move(list_of_checks),
                                                     CombineRule::kAny, 0);
    }
    s.Finish();
    steps.push_back(step);
  }
  if (steps.empty()) list.Fail(context + ": expected at least one stage");
  if (std::abs(previous - 100.0) > 1e-9) {
    list.Fail(context + ": expected the last stage to be percent: 100, got " +
              std::to_string(previous));
  }
  steps.back().fraction = 1.0;
  return steps;
}

}  // namespace fleetsim
