// Rollout kinds whose steps follow from a few numbers, as the vendor tools define them:
//   canary       one stage at `percent` for `bake`, then everything (CodeDeploy
//                Canary10Percent5Minutes)
//   linear       +`step`% every `interval` up to `max`%, then 100% (Flagger stepWeight/maxWeight,
//                AppConfig LINEAR, CodeDeploy Linear10PercentEvery1Minute)
//   exponential  `initial`% x 2^N every `interval` until 100% (AppConfig EXPONENTIAL)
// With `start_at_zero: true` (AppConfig semantics) the first increase happens after one interval:
// exposure is 0/20/40/60/80/100% at 0/2/4/6/8/10 h for linear 20% every 2 h.
#include <algorithm>
#include <cmath>
#include <string>

#include "policies/rollout/rollout_registry.h"

namespace fleetsim {
namespace {

class FixedPlan : public RolloutPolicy {
 public:
  FixedPlan(std::string kind, std::vector<RolloutStep> steps)
      : kind_(std::move(kind)), steps_(std::move(steps)) {}
  std::string_view Kind() const override { return kind_; }
  RolloutPlan MakePlan(const ChangeInfo&, const PlanContext&) const override {
    return RolloutPlan{steps_};
  }

 private:
  std::string kind_;
  std::vector<RolloutStep> steps_;
};

std::string PercentName(double percent) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", percent);
  return buf;
}

// Steps at the given increasing percentages (< 100) each held `interval`, then 100% for
// `final_bake`; optionally preceded by a hold at 0%.
std::vector<RolloutStep> Steps(const std::vector<double>& percents, SimTime interval,
                               SimTime final_bake, bool start_at_zero) {
  std::vector<RolloutStep> steps;
  if (start_at_zero) steps.push_back(RolloutStep{"wait", 0.0, interval, {}});
  for (double p : percents) steps.push_back(RolloutStep{PercentName(p), p / 100.0, interval, {}});
  steps.push_back(RolloutStep{"all", 1.0, final_bake, {}});
  return steps;
}

struct CanaryParams {
  double percent = 10;  // canary size
  SimTime bake;         // time at the canary size
  SimTime final_bake;   // hold at 100% with checks running
};

CanaryParams ReadCanary(YamlMap& m) {
  CanaryParams p;
  p.percent = m.DoubleIn("percent", p.percent, 1e-9, 99.999999);
  p.bake = m.RequiredDuration("bake");
  p.final_bake = m.Duration("final_bake", p.final_bake);
  return p;
}

std::unique_ptr<RolloutPolicy> MakeCanary(CanaryParams p) {
  return std::make_unique<FixedPlan>("canary", Steps({p.percent}, p.bake, p.final_bake, false));
}

KindDef<RolloutPolicy, CanaryParams> CanaryKind() {
  using P = CanaryParams;
  return {.summary = "One canary stage, then everything.",
          .params = {Param("percent", "number in (0, 100)", &P::percent, "canary size"),
                     RequiredParam("bake", "duration", "time at the canary size"),
                     Param("final_bake", "duration", &P::final_bake,
                           "hold at 100% with checks running before done")},
          .example = "{kind: canary, percent: 10, bake: 5m, final_bake: 10m}",
          .read = ReadCanary,
          .make = MakeCanary};
}

struct LinearParams {
  double step = 0;  // percent added per interval (required)
  double max = 100;
  SimTime interval;  // required
  SimTime final_bake;
  bool start_at_zero = false;
};

LinearParams ReadLinear(YamlMap& m) {
  LinearParams p;
  p.step = m.RequiredDouble("step");
  m.RequireRange("step", p.step, 0.01, 100);  // at most 10,000 steps
  p.max = m.DoubleIn("max", p.max, p.step, 100);
  p.interval = m.RequiredDuration("interval");
  p.final_bake = m.Duration("final_bake", p.final_bake);
  p.start_at_zero = m.Bool("start_at_zero", p.start_at_zero);
  return p;
}

std::unique_ptr<RolloutPolicy> MakeLinear(LinearParams p) {
  std::vector<double> percents;
  for (int k = 1;; ++k) {
    const double percent = std::min(p.max, p.step * k);
    if (percent >= 100 - 1e-9) break;
    percents.push_back(percent);
    if (percent >= p.max - 1e-9) break;
  }
  return std::make_unique<FixedPlan>("linear",
                                     Steps(percents, p.interval, p.final_bake, p.start_at_zero));
}

KindDef<RolloutPolicy, LinearParams> LinearKind() {
  using P = LinearParams;
  return {.summary =
              "Increase exposure by a fixed step every interval up to max, then promote to 100%.",
          .params = {RequiredParam("step", "number in [0.01, 100]",
                                   "percent added per interval (Flagger stepWeight)"),
                     Param("max", "number in (0, 100]", &P::max,
                           "last percent before promotion (Flagger maxWeight)"),
                     RequiredParam("interval", "duration", "time at each step"),
                     Param("final_bake", "duration", &P::final_bake,
                           "hold at 100% with checks running before done"),
                     Param("start_at_zero", "bool", &P::start_at_zero,
                           "wait one interval at 0% first (AppConfig timeline)")},
          .example = "{kind: linear, step: 10, max: 50, interval: 1m}",
          .read = ReadLinear,
          .make = MakeLinear};
}

struct ExponentialParams {
  double initial = 0;  // first percent G (required)
  SimTime interval;    // required
  SimTime final_bake;
  bool start_at_zero = false;
};

ExponentialParams ReadExponential(YamlMap& m) {
  ExponentialParams p;
  p.initial = m.RequiredDouble("initial");
  m.RequireRange("initial", p.initial, 1e-9, 100);
  p.interval = m.RequiredDuration("interval");
  p.final_bake = m.Duration("final_bake", p.final_bake);
  p.start_at_zero = m.Bool("start_at_zero", p.start_at_zero);
  return p;
}

std::unique_ptr<RolloutPolicy> MakeExponential(ExponentialParams p) {
  std::vector<double> percents;
  for (double percent = p.initial; percent < 100 - 1e-9; percent *= 2) percents.push_back(percent);
  return std::make_unique<FixedPlan>("exponential",
                                     Steps(percents, p.interval, p.final_bake, p.start_at_zero));
}

KindDef<RolloutPolicy, ExponentialParams> ExponentialKind() {
  using P = ExponentialParams;
  return {
      .summary =
          "Double exposure every interval from an initial percent until 100% (AppConfig G x 2^N).",
      .params = {RequiredParam("initial", "number in (0, 100]", "first percent G"),
                 RequiredParam("interval", "duration", "time at each step"),
                 Param("final_bake", "duration", &P::final_bake,
                       "hold at 100% with checks running before done"),
                 Param("start_at_zero", "bool", &P::start_at_zero,
                       "wait one interval at 0% first (AppConfig timeline)")},
      .example = "{kind: exponential, initial: 2, interval: 10m, final_bake: 10m}",
      .read = ReadExponential,
      .make = MakeExponential};
}

}  // namespace

FLEETSIM_REGISTER_ROLLOUT_KIND(canary, CanaryKind);
FLEETSIM_REGISTER_ROLLOUT_KIND(linear, LinearKind);
FLEETSIM_REGISTER_ROLLOUT_KIND(exponential, ExponentialKind);

}  // namespace fleetsim
