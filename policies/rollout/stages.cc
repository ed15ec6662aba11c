// stages: a fixed sequence of exposure percentages, each held for a bake time
// (e.g. 1% -> 5% -> 25% -> 100%, Configerator style). Health checks run throughout; a failing
// verdict at any stage stops the rollout.
#include "policies/rollout/rollout_registry.h"
#include "policies/rollout/stage_list.h"

namespace fleetsim {
namespace {

class Stages : public RolloutPolicy {
 public:
  struct Params {
    std::vector<RolloutStep> steps;
  };
  explicit Stages(Params p) : steps_(std::move(p.steps)) {}
  std::string_view Kind() const override { return "stages"; }
  RolloutPlan MakePlan(const ChangeInfo&, const PlanContext&) const override {
    return RolloutPlan{steps_};
  }

 private:
  std::vector<RolloutStep> steps_;
};

Stages::Params ReadStages(YamlMap& m) {
  return Stages::Params{ParseStageList(m.Required("stages"), "rollout.stages", true)};
}

KindDef<RolloutPolicy, Stages::Params> StagesKind() {
  return {
      .summary =
          "Fixed stages of increasing exposure, each with a bake time; the last must be 100%.",
      .params = {RequiredParam(
          "stages", "list of {name, percent | hosts, bake}",
          "percent in (0, 100], strictly increasing, last = 100; or hosts: N for exactly N hosts "
          "(a one-machine canary; only before the percent stages); checks: [...] health checks "
          "judged only in that stage (a stricter canary SLO); bake >= 0, or `manual` for a gate a "
          "person promotes after humans.response_time (Argo pause: {}) "
          "(e.g. {name: canary, percent: 1, bake: 30m})")},
      .example =
          "{kind: stages, stages: [{name: canary, percent: 1, bake: 30m}, {name: p5, "
          "percent: 5, bake: 30m}, {name: p25, percent: 25, bake: 1h}, {name: all, "
          "percent: 100, bake: 1h}]}",
      .read = ReadStages,
      .make = New<Stages>{}};
}

}  // namespace

FLEETSIM_REGISTER_ROLLOUT_KIND(stages, StagesKind);

}  // namespace fleetsim
