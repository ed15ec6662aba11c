// blue_green: Argo Rollouts' blueGreen strategy (shared/reference/rollout-systems.md §A1).
// The new version is brought up on a parallel fleet (green) that takes no production traffic;
// after `auto_promotion_seconds` (or a person's promotion when auto_promotion is false) the
// active service switches ALL traffic to green at once; the old fleet (blue) is kept through
// `post_promotion_bake` (postPromotionAnalysis) and `scale_down_delay` (scaleDownDelaySeconds,
// 30 s by default), during which a rollback is a switch back. After that blue is gone and a
// rollback must redeploy at the deploy system's rollback speed. The plan:
//   provision (exposure 0, the deploy time of the whole fleet) -> switch (100% at once, held
//   post_promotion_bake + scale_down_delay with instant rollback).
// Not modelled: previewReplicaCount and test traffic to the preview service (prePromotion
// analysis sees no production signal here), and the doubled capacity's cost.
#include "policies/rollout/rollout_registry.h"

namespace fleetsim {
namespace {

struct BlueGreenParams {
  bool auto_promotion = true;
  SimTime auto_promotion_wait;
  SimTime post_promotion_bake;
  SimTime scale_down_delay = SimTime::Seconds(30);
};

class BlueGreen : public RolloutPolicy {
 public:
  explicit BlueGreen(BlueGreenParams p) : p_(p) {}
  std::string_view Kind() const override { return "blue_green"; }
  RolloutPlan MakePlan(const ChangeInfo&, const PlanContext&) const override {
    RolloutStep provision;
    provision.name = "preview";
    provision.fraction = 0.0;
    provision.provision = true;
    provision.bake = p_.auto_promotion_wait;
    provision.manual_gate = !p_.auto_promotion;
    RolloutStep active;
    active.name = "active";
    active.fraction = 1.0;
    active.instant = true;
    active.instant_rollback = true;
    active.bake = p_.post_promotion_bake + p_.scale_down_delay;
    return RolloutPlan({provision, active});
  }

 private:
  BlueGreenParams p_;
};

BlueGreenParams ReadBlueGreen(YamlMap& m) {
  BlueGreenParams p;
  p.auto_promotion = m.Bool("auto_promotion", p.auto_promotion);
  p.auto_promotion_wait = m.Duration("auto_promotion_seconds", p.auto_promotion_wait);
  p.post_promotion_bake = m.Duration("post_promotion_bake", p.post_promotion_bake);
  p.scale_down_delay = m.Duration("scale_down_delay", p.scale_down_delay);
  for (const char* key : {"auto_promotion_seconds", "post_promotion_bake", "scale_down_delay"}) {
    if (m.Has(key) && m.Duration(key, SimTime::Zero()) < SimTime::Zero()) {
      m.Required(key).Fail(std::string("rollout.") + key + ": expected a duration >= 0");
    }
  }
  return p;
}

KindDef<RolloutPolicy, BlueGreenParams> BlueGreenKind() {
  using P = BlueGreenParams;
  return {.summary =
              "Argo blueGreen: bring up a parallel fleet with no traffic, switch all traffic "
              "at once, keep the old fleet for an instant switch back until the "
              "post-promotion bake and scale-down delay end.",
          .params = {Param("auto_promotion", "bool", &P::auto_promotion,
                           "switch automatically (false: a person promotes, Argo "
                           "autoPromotionEnabled)"),
                     Param("auto_promotion_seconds", "duration", &P::auto_promotion_wait,
                           "wait after the new fleet is up before switching"),
                     Param("post_promotion_bake", "duration", &P::post_promotion_bake,
                           "postPromotionAnalysis window after the switch (instant rollback)"),
                     Param("scale_down_delay", "duration", &P::scale_down_delay,
                           "old fleet kept after that (scaleDownDelaySeconds)")},
          .example = "{kind: blue_green, auto_promotion_seconds: 5m, post_promotion_bake: 10m}",
          .read = ReadBlueGreen,
          .make = New<BlueGreen>{}};
}

}  // namespace

FLEETSIM_REGISTER_ROLLOUT_KIND(blue_green, BlueGreenKind);

}  // namespace fleetsim
