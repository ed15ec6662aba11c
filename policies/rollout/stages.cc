// stages: a fixed sequence of exposure percentages, each held for a bake time
// (e.g. 1% -> 5% -> 25% -> 100%, Configerator style). Health checks run throughout; a failing
// verdict at any stage stops the rollout.
#include <cmath>

#include "policies/rollout/rollout_registry.h"

namespace fleetsim {
namespace {

class Stages : public RolloutPolicy {
 public:
  explicit Stages(std::vector<RolloutStep> steps) : steps_(std::move(steps)) {}
  std::string_view Kind() const override { return "stages"; }
  RolloutPlan MakePlan(const ChangeInfo&, const PlanContext&) const override { return RolloutPlan{steps_}; }

 private:
  std::vector<RolloutStep> steps_;
};

}  // namespace

void RegisterStages(RolloutRegistry& registry) {
  registry.Register(
      KindDoc{"stages",
              "Fixed stages of increasing exposure, each with a bake time; the last must be 100%.",
              {{"stages", "list of {name, percent | hosts, bake}", "required",
                "percent in (0, 100], strictly increasing, last = 100; or hosts: N for exactly N hosts (a "
                "one-machine canary; only before the percent stages); bake >= 0, or `manual` for a gate a "
                "person promotes after humans.response_time (Argo pause: {}) "
                "(e.g. {name: canary, percent: 1, bake: 30m})"}},
              "{kind: stages, stages: [{name: canary, percent: 1, bake: 30m}, {name: p5, percent: 5, bake: 30m}, "
              "{name: p25, percent: 25, bake: 1h}, {name: all, percent: 100, bake: 1h}]}"},
      [](YamlMap& m) -> std::unique_ptr<RolloutPolicy> {
        ConfigNode list = m.Required("stages");
        std::vector<RolloutStep> steps;
        double previous = 0;
        for (const ConfigNode& sn : list.AsSequence("rollout.stages")) {
          YamlMap s(sn, "rollout.stages[]");
          RolloutStep step;
          step.name = s.String("name", "stage" + std::to_string(steps.size() + 1));
          if (s.Has("hosts")) {
            if (s.Has("percent")) s.self().Fail("rollout.stages[]: expected percent or hosts, not both");
            step.hosts = s.Int("hosts", 1);
            s.RequireAtLeast("hosts", static_cast<double>(step.hosts), 1);
            if (previous > 0) {
              s.Required("hosts").Fail("rollout.stages[].hosts: host-count stages must come before the percent stages");
            }
          } else {
            const double percent = s.RequiredDouble("percent");
            s.RequireRange("percent", percent, 1e-9, 100);
            if (percent <= previous) {
              s.Required("percent").Fail("rollout.stages[].percent: expected more than the previous stage's " +
                                         std::to_string(previous) + "%");
            }
            previous = percent;
            step.fraction = percent / 100.0;
          }
          ConfigNode bake = s.Required("bake");
          if (bake.IsScalar() && bake.node.Scalar() == "manual") {
            step.manual_gate = true;  // Argo's `pause: {}`: a person promotes
          } else {
            step.bake = bake.AsDuration("rollout.stages[].bake");
          }
          s.Finish();
          steps.push_back(step);
        }
        if (steps.empty()) list.Fail("rollout.stages: expected at least one stage");
        if (std::abs(previous - 100.0) > 1e-9) {
          list.Fail("rollout.stages: expected the last stage to be percent: 100, got " + std::to_string(previous));
        }
        steps.back().fraction = 1.0;
        return std::make_unique<Stages>(std::move(steps));
      });
}

}  // namespace fleetsim
