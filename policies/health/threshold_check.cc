// threshold: the canary's metric over the window must not exceed `max`
// (Argo/Flagger "successCondition: result <= max"). Error rate is errors / requests of all
// canary hosts in the window.
#include <sstream>

#include "policies/health/health_registry.h"

namespace fleetsim {
namespace {

class ThresholdCheck : public HealthCheck {
 public:
  ThresholdCheck(HealthMetric metric, double max) : metric_(metric), max_(max) {}
  std::string_view Kind() const override { return "threshold"; }
  Verdict Evaluate(const HealthObservation& o) const override {
    if (o.canary.requests == 0) return Verdict{VerdictKind::kInconclusive, "no canary traffic"};
    const double value = MetricValue(metric_, o.canary);
    if (value <= max_) return Verdict{};
    std::ostringstream why;
    why << "threshold: canary " << HealthMetricName(metric_) << " " << value << " > max " << max_;
    return Verdict{VerdictKind::kFail, why.str()};
  }

 private:
  HealthMetric metric_;
  double max_;
};

}  // namespace

void RegisterThresholdCheck(HealthCheckRegistry& registry) {
  registry.Register(
      KindDoc{"threshold",
              "Fail when the canary's metric over the window exceeds an absolute maximum.",
              {{"metric", "error_rate | latency_p99", "required", "signal to judge"},
               {"max", "number", "required", "largest passing value (error rate as a fraction, latency in ms)"}},
              "{kind: threshold, metric: error_rate, max: 0.01}"},
      [](YamlMap& m) -> std::unique_ptr<HealthCheck> {
        const HealthMetric metric = ReadMetric(m);
        const double max = m.RequiredDouble("max");
        m.RequireAtLeast("max", max, 0);
        return std::make_unique<ThresholdCheck>(metric, max);
      });
}

}  // namespace fleetsim
