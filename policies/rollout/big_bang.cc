// big_bang: every host in scope at once (at the actuator's speed), then an optional bake during
// which health checks still run. The baseline every staged policy is compared against.
#include "policies/rollout/rollout_registry.h"

namespace fleetsim {
namespace {

class BigBang : public RolloutPolicy {
 public:
  struct Params {
    SimTime bake;  // hold at 100% while health checks run, before the rollout counts as done
  };
  explicit BigBang(Params p) : params_(p) {}
  std::string_view Kind() const override { return "big_bang"; }
  RolloutPlan MakePlan(const ChangeInfo&, const PlanContext&) const override {
    return RolloutPlan{{RolloutStep{"all", 1.0, params_.bake, {}}}};
  }

 private:
  Params params_;
};

BigBang::Params ReadBigBang(YamlMap& m) {
  BigBang::Params p;
  p.bake = m.Duration("bake", p.bake);
  return p;
}

KindDef<RolloutPolicy, BigBang::Params> BigBangKind() {
  using P = BigBang::Params;
  return {.summary = "Deploy to every host in scope in one step (no canary).",
          .params = {Param("bake", "duration", &P::bake,
                           "hold at 100% with health checks running before done")},
          .example = "{kind: big_bang, bake: 10m}",
          .read = ReadBigBang,
          .make = New<BigBang>{}};
}

}  // namespace

FLEETSIM_REGISTER_ROLLOUT_KIND(big_bang, BigBangKind);

}  // namespace fleetsim
