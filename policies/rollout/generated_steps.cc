// Rollout kinds whose steps follow from a few numbers, as the vendor tools define them:
//   canary       one stage at `percent` for `bake`, then everything (CodeDeploy
//   Canary10Percent5Minutes) linear       +`step`% every `interval` up to `max`%, then 100%
//   (Flagger stepWeight/maxWeight,
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

}  // namespace

void RegisterGeneratedStepKinds(RolloutRegistry& registry) {
  registry.Register(
      KindDoc{"canary",
              "One canary stage, then everything.",
              {{"percent", "number in (0, 100)", "10", "canary size"},
               {"bake", "duration", "required", "time at the canary size"},
               {"final_bake", "duration", "0s", "hold at 100% with checks running before done"}},
              "{kind: canary, percent: 10, bake: 5m, final_bake: 10m}"},
      [](YamlMap& m) -> std::unique_ptr<RolloutPolicy> {
        const double percent = m.DoubleIn("percent", 10, 1e-9, 99.999999);
        const SimTime bake = m.RequiredDuration("bake");
        const SimTime final_bake = m.Duration("final_bake", SimTime::Zero());
        return std::make_unique<FixedPlan>("canary", Steps({percent}, bake, final_bake, false));
      });
  registry.Register(
      KindDoc{"linear",
              "Increase exposure by a fixed step every interval up to max, then promote to 100%.",
              {{"step", "number in (0, 100]", "required",
                "percent added per interval (Flagger stepWeight)"},
               {"max", "number in (0, 100]", "100",
                "last percent before promotion (Flagger maxWeight)"},
               {"interval", "duration", "required", "time at each step"},
               {"final_bake", "duration", "0s", "hold at 100% with checks running before done"},
               {"start_at_zero", "bool", "false",
                "wait one interval at 0% first (AppConfig timeline)"}},
              "{kind: linear, step: 10, max: 50, interval: 1m}"},
      [](YamlMap& m) -> std::unique_ptr<RolloutPolicy> {
        const double step = m.RequiredDouble("step");
        m.RequireRange("step", step, 1e-9, 100);
        const double max = m.DoubleIn("max", 100, step, 100);
        const SimTime interval = m.RequiredDuration("interval");
        const SimTime final_bake = m.Duration("final_bake", SimTime::Zero());
        const bool start_at_zero = m.Bool("start_at_zero", false);
        std::vector<double> percents;
        for (int k = 1;; ++k) {
          const double p = std::min(max, step * k);
          if (p >= 100 - 1e-9) break;
          percents.push_back(p);
          if (p >= max - 1e-9) break;
        }
        return std::make_unique<FixedPlan>("linear",
                                           Steps(percents, interval, final_bake, start_at_zero));
      });
  registry.Register(
      KindDoc{
          "exponential",
          "Double exposure every interval from an initial percent until 100% (AppConfig G x 2^N).",
          {{"initial", "number in (0, 100]", "required", "first percent G"},
           {"interval", "duration", "required", "time at each step"},
           {"final_bake", "duration", "0s", "hold at 100% with checks running before done"},
           {"start_at_zero", "bool", "false",
            "wait one interval at 0% first (AppConfig timeline)"}},
          "{kind: exponential, initial: 2, interval: 10m, final_bake: 10m}"},
      [](YamlMap& m) -> std::unique_ptr<RolloutPolicy> {
        const double initial = m.RequiredDouble("initial");
        m.RequireRange("initial", initial, 1e-9, 100);
        const SimTime interval = m.RequiredDuration("interval");
        const SimTime final_bake = m.Duration("final_bake", SimTime::Zero());
        const bool start_at_zero = m.Bool("start_at_zero", false);
        std::vector<double> percents;
        for (double p = initial; p < 100 - 1e-9; p *= 2) percents.push_back(p);
        return std::make_unique<FixedPlan>("exponential",
                                           Steps(percents, interval, final_bake, start_at_zero));
      });
}

}  // namespace fleetsim
