// threshold: route releases by fixed cut-offs on the risk score.
//   score >= high: high risk: released alone (alone: true) and rolled out by high_rollout;
//   score <  low:  low risk: rolled out by low_rollout (the fast path);
//   otherwise, and when a rollout is not given: the policy's own rollout.
#include <memory>

#include "policies/risk/risk_registry.h"
#include "policies/rollout/rollout_registry.h"

namespace fleetsim {
namespace {

class RiskThreshold : public RiskPolicy {
 public:
  struct Params {
    double high = 0.9;                            // scores at or above: high risk
    double low = 0.0;                             // scores below: low risk (0 = no low-risk path)
    bool alone = true;                            // high-risk commits ship alone
    std::unique_ptr<RolloutPolicy> high_rollout;  // null: the policy's rollout
    std::unique_ptr<RolloutPolicy> low_rollout;
  };
  explicit RiskThreshold(Params p) : params_(std::move(p)) {}
  std::string_view Kind() const override { return "threshold"; }
  bool ReleaseAlone(double risk) const override { return params_.alone && risk >= params_.high; }
  const RolloutPolicy* RolloutFor(double risk) const override {
    if (risk >= params_.high) return params_.high_rollout.get();
    if (risk < params_.low) return params_.low_rollout.get();
    return nullptr;
  }
  Status Validate(const Fleet& fleet) const override {
    for (const RolloutPolicy* r : {params_.high_rollout.get(), params_.low_rollout.get()}) {
      if (!r) continue;
      if (Status st = r->Validate(fleet); !st.ok()) return st;
    }
    return Status::Ok();
  }

 private:
  Params params_;
};

RiskThreshold::Params ReadRiskThreshold(YamlMap& m) {
  RiskThreshold::Params p;
  p.high = m.DoubleIn("high", p.high, 0, 1);
  p.low = m.DoubleIn("low", p.low, 0, 1);
  if (p.low > p.high) m.Required("low").Fail("risk.low: expected at most risk.high");
  p.alone = m.Bool("alone", p.alone);
  if (auto r = m.Optional("high_rollout"))
    p.high_rollout = ParseRolloutPolicy(*r, "risk.high_rollout");
  if (auto r = m.Optional("low_rollout"))
    p.low_rollout = ParseRolloutPolicy(*r, "risk.low_rollout");
  return p;
}

KindDef<RiskPolicy, RiskThreshold::Params> RiskThresholdKind() {
  using P = RiskThreshold::Params;
  return {
      .summary =
          "Route code releases by risk score: high risk alone and/or on a slow path, "
          "low risk on a fast path.",
      .params = {Param("high", "number in (0, 1]", &P::high, "scores at or above are high risk"),
                 Param("low", "number in [0, 1)", &P::low, "scores below are low risk (0 = none)"),
                 Param("alone", "bool", &P::alone,
                       "high-risk commits ship in a release of their own"),
                 OptionalParam("high_rollout", "rollout mapping", "none",
                               "rollout for high-risk releases (e.g. rcv); none = the "
                               "policy's"),
                 OptionalParam("low_rollout", "rollout mapping", "none",
                               "rollout for low-risk releases (a fast path); none = the "
                               "policy's")},
      .example =
          "{kind: threshold, high: 0.8, alone: true, high_rollout: {kind: stages, "
          "stages: [{percent: 1, bake: 1h}, {percent: 100, bake: 0s}]}}",
      .read = ReadRiskThreshold,
      .make = New<RiskThreshold>{}};
}

}  // namespace

FLEETSIM_REGISTER_RISK_KIND(threshold, RiskThresholdKind);

}  // namespace fleetsim
