// relative: compare canary against control, (canary - control) / control <= max_increase
// (Conveyor's comparison check; Kayenta's "canary vs baseline" without the statistics). For
// status_2xx, where higher is better, the worsening is the relative decrease
// (control - canary) / control.
// Control = hosts in the change's scope that do not run it. When the control value is 0 the
// relative increase is taken as 0 if the canary is also 0 and as infinite otherwise.
#include <limits>
#include <sstream>

#include "policies/health/health_registry.h"

namespace fleetsim {
namespace {

class RelativeCheck : public HealthCheck {
 public:
  struct Params {
    HealthMetric metric = HealthMetric::kErrorRate;
    double max_increase = 0;  // largest passing relative worsening (required)
  };
  explicit RelativeCheck(Params p) : metric_(p.metric), max_increase_(p.max_increase) {}
  std::string_view Kind() const override { return "relative"; }
  Verdict Evaluate(const HealthObservation& o) const override {
    const SignalWindow& canary_window = o.canary;
    const SignalWindow& control_window = o.control;
    if (canary_window.requests == 0)
      return Verdict{VerdictKind::kInconclusive, "no canary traffic", true};
    if (control_window.requests == 0)
      return Verdict{VerdictKind::kInconclusive, "no control traffic", true};
    const double canary = MetricValue(metric_, canary_window);
    const double control = MetricValue(metric_, control_window);
    const double worse = HigherIsBetter(metric_) ? control - canary : canary - control;
    double increase = 0;
    if (control > 0)
      increase = worse / control;
    else if (canary > 0)
      increase = std::numeric_limits<double>::infinity();
    if (increase <= max_increase_) return Verdict{};
    std::ostringstream why;
    why << "relative: canary " << HealthMetricName(metric_) << " " << canary << " vs control "
        << control << " (" << (HigherIsBetter(metric_) ? "-" : "+") << increase * 100
        << "% worse > " << max_increase_ * 100 << "%)";
    return Verdict{VerdictKind::kFail, why.str()};
  }

 private:
  HealthMetric metric_;
  double max_increase_;
};

RelativeCheck::Params ReadRelative(YamlMap& m) {
  RelativeCheck::Params p;
  p.metric = ReadMetric(m, true);
  p.max_increase = m.RequiredDouble("max_increase");
  m.RequireRange("max_increase", p.max_increase, 0, 1e6);
  return p;
}

KindDef<HealthCheck, RelativeCheck::Params> RelativeKind() {
  return {.summary =
              "Fail when (canary - control) / control exceeds max_increase; control = "
              "hosts in scope not running the change.",
          .params = {RequiredParam("metric", "error_rate | latency_p99 | status_2xx",
                                   "signal to judge"),
                     RequiredParam("max_increase", "number",
                                   "largest passing relative worsening (0.10 = +10%; for "
                                   "status_2xx a 10% relative drop)")},
          .example = "{kind: relative, metric: error_rate, max_increase: 0.5}",
          .read = ReadRelative,
          .make = New<RelativeCheck>{}};
}

}  // namespace

FLEETSIM_REGISTER_HEALTH_CHECK_KIND(relative, RelativeKind);

}  // namespace fleetsim
