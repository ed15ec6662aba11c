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
  RelativeCheck(HealthMetric metric, double max_increase)
      : metric_(metric), max_increase_(max_increase) {}
  std::string_view Kind() const override { return "relative"; }
  Verdict Evaluate(const HealthObservation& o) const override {
    const SignalWindow& canary_window = o.canary;
    const SignalWindow& control_window = o.control;
    if (canary_window.requests == 0)
      return Verdict{VerdictKind::kInconclusive, "no canary traffic"};
    if (control_window.requests == 0)
      return Verdict{VerdictKind::kInconclusive, "no control traffic"};
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

}  // namespace

void RegisterRelativeCheck(HealthCheckRegistry& registry) {
  registry.Register(
      KindDoc{"relative",
              "Fail when (canary - control) / control exceeds max_increase; control = hosts in "
              "scope not running the change.",
              {{"metric", "error_rate | latency_p99 | status_2xx", "required", "signal to judge"},
               {"max_increase", "number", "required",
                "largest passing relative worsening (0.10 = +10%; for status_2xx a 10% relative "
                "drop)"}},
              "{kind: relative, metric: error_rate, max_increase: 0.5}"},
      [](YamlMap& m) -> std::unique_ptr<HealthCheck> {
        const HealthMetric metric = ReadMetric(m, true);
        const double max_increase = m.RequiredDouble("max_increase");
        m.RequireAtLeast("max_increase", max_increase, 0);
        return std::make_unique<RelativeCheck>(metric, max_increase);
      });
}

}  // namespace fleetsim
