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

}  // namespace

void RegisterBigBang(RolloutRegistry& registry) {
  registry.Register(
      KindDoc{"big_bang",
              "Deploy to every host in scope in one step (no canary).",
              {{"bake", "duration", "0s", "hold at 100% with health checks running before done"}},
              "{kind: big_bang, bake: 10m}"},
      [](YamlMap& m) -> std::unique_ptr<RolloutPolicy> {
        BigBang::Params p;
        p.bake = m.Duration("bake", SimTime::Zero());
        return std::make_unique<BigBang>(p);
      });
}

}  // namespace fleetsim
