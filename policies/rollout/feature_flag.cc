// feature_flag: the code is already on every host, dormant behind a flag; the rollout ramps the
// share of requests (users) that take the new path — 1% of traffic on every host, not every
// host of 1% — and the kill switch turns it off for everyone at once. Flips and the kill switch
// reach the fleet after `propagation` (Meta's config push: ~15 s; shared/reference/
// rollout-systems.md §A8), not at the deploy system's speed. Canary = flagged requests,
// control = the others on the same hosts, so per-host differences cancel in comparisons.
// Engine semantics: RolloutPlan::unit = kTrafficShare (sim/rollout_policy.h).
#include "policies/rollout/rollout_registry.h"
#include "policies/rollout/stage_list.h"

namespace fleetsim {
namespace {

class FeatureFlag : public RolloutPolicy {
 public:
  FeatureFlag(std::vector<RolloutStep> ramp, SimTime propagation)
      : ramp_(std::move(ramp)), propagation_(propagation) {}
  std::string_view Kind() const override { return "feature_flag"; }
  RolloutPlan MakePlan(const ChangeInfo&, const PlanContext&) const override {
    RolloutPlan plan(ramp_);
    plan.unit = ExposureUnit::kTrafficShare;
    plan.flag_propagation = propagation_;
    return plan;
  }

 private:
  std::vector<RolloutStep> ramp_;
  SimTime propagation_;
};

}  // namespace

void RegisterFeatureFlag(RolloutRegistry& registry) {
  registry.Register(
      KindDoc{"feature_flag",
              "Ramp the share of traffic that takes a flagged code path already on every host; the "
              "kill "
              "switch (rollback) turns it off everywhere after the propagation delay.",
              {{"ramp", "list of {name, percent, bake}", "required",
                "percent of requests (users) on the new path, strictly increasing, last = 100; "
                "bake >= 0 or manual"},
               {"propagation", "duration", "15s",
                "time for a flip (or the kill switch) to reach every host"}},
              "{kind: feature_flag, ramp: [{name: p1, percent: 1, bake: 1h}, {name: p10, percent: "
              "10, bake: 1h}, "
              "{name: all, percent: 100, bake: 1h}]}"},
      [](YamlMap& m) -> std::unique_ptr<RolloutPolicy> {
        std::vector<RolloutStep> ramp = ParseStageList(m.Required("ramp"), "rollout.ramp", false);
        const SimTime propagation = m.Duration("propagation", SimTime::Seconds(15));
        if (propagation < SimTime::Zero())
          m.Required("propagation").Fail("rollout.propagation: expected >= 0");
        return std::make_unique<FeatureFlag>(std::move(ramp), propagation);
      });
}

}  // namespace fleetsim
