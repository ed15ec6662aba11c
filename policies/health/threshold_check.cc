// threshold: the canary's metric over the window must stay within [min, max]
// (Argo/Flagger "successCondition: result <= max"; Instagram's "< 0.5% 5xx and >= 90% 2xx").
// Error rate is errors / requests of all canary hosts in the window (health.lookback picks it).
#include <limits>
#include <sstream>

#include "policies/health/health_registry.h"

namespace fleetsim {
namespace {

class ThresholdCheck : public HealthCheck {
 public:
  ThresholdCheck(HealthMetric metric, double min, double max)
      : metric_(metric), min_(min), max_(max) {}
  std::string_view Kind() const override { return "threshold"; }
  Verdict Evaluate(const HealthObservation& o) const override {
    const SignalWindow& canary = o.canary;
    if (canary.requests == 0) return Verdict{VerdictKind::kInconclusive, "no canary traffic"};
    const double value = MetricValue(metric_, canary);
    if (value <= max_ && value >= min_) return Verdict{};
    std::ostringstream why;
    why << "threshold: canary " << HealthMetricName(metric_) << " " << value;
    if (value > max_)
      why << " > max " << max_;
    else
      why << " < min " << min_;
    return Verdict{VerdictKind::kFail, why.str()};
  }

 private:
  HealthMetric metric_;
  double min_;
  double max_;
};

}  // namespace

void RegisterThresholdCheck(HealthCheckRegistry& registry) {
  registry.Register(
      KindDoc{"threshold",
              "Fail when the canary's metric over the window leaves [min, max].",
              {{"metric", "error_rate | latency_p99 | status_2xx", "required",
                "signal to judge (status_2xx: share of requests answered 2xx)"},
               {"max", "number", "none",
                "largest passing value (error rate as a fraction, latency in ms)"},
               {"min", "number", "none",
                "smallest passing value (e.g. status_2xx min 0.9); at least one of min, max"}},
              "{kind: threshold, metric: error_rate, max: 0.01}"},
      [](YamlMap& m) -> std::unique_ptr<HealthCheck> {
        const HealthMetric metric = ReadMetric(m, true);
        if (!m.Has("max") && !m.Has("min")) m.self().Fail("threshold: expected max, min or both");
        const double max = m.Double("max", std::numeric_limits<double>::infinity());
        const double min = m.Double("min", -std::numeric_limits<double>::infinity());
        if (m.Has("max")) m.RequireAtLeast("max", max, 0);
        if (m.Has("min") && m.Has("max") && min > max)
          m.Required("min").Fail("threshold.min: expected at most max");
        return std::make_unique<ThresholdCheck>(metric, min, max);
      });
}

}  // namespace fleetsim
