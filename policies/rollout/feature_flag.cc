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
  struct Params {
    std::vector<RolloutStep> ramp;
    SimTime propagation = SimTime::Seconds(15);  // a flip (or the kill switch) reaching every host
  };
  explicit FeatureFlag(Params p) : ramp_(std::move(p.ramp)), propagation_(p.propagation) {}
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

FeatureFlag::Params ReadFeatureFlag(YamlMap& m) {
  FeatureFlag::Params p;
  p.ramp = ParseStageList(m.Required("ramp"), "rollout.ramp", false);
  p.propagation = m.Duration("propagation", p.propagation);
  if (p.propagation < SimTime::Zero())
    m.Required("propagation").Fail("rollout.propagation: expected >= 0");
  return p;
}

KindDef<RolloutPolicy, FeatureFlag::Params> FeatureFlagKind() {
  using P = FeatureFlag::Params;
  return {.summary =
              "Ramp the share of traffic that takes a flagged code path already on every "
              "host; the kill switch (rollback) turns it off everywhere after the "
              "propagation delay.",
          .params = {RequiredParam("ramp", "list of {name, percent, bake}",
                                   "percent of requests (users) on the new path, strictly "
                                   "increasing, last = 100; bake >= 0 or manual"),
                     Param("propagation", "duration", &P::propagation,
                           "time for a flip (or the kill switch) to reach every host")},
          .example =
              "{kind: feature_flag, ramp: [{name: p1, percent: 1, bake: 1h}, {name: p10, "
              "percent: 10, bake: 1h}, {name: all, percent: 100, bake: 1h}]}",
          .read = ReadFeatureFlag,
          .make = New<FeatureFlag>{}};
}

}  // namespace

FLEETSIM_REGISTER_ROLLOUT_KIND(feature_flag, FeatureFlagKind);

}  // namespace fleetsim
