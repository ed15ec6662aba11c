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
  struct Params {
    HealthMetric metric = HealthMetric::kErrorRate;
    double min = -std::numeric_limits<double>::infinity();  // none
    double max = std::numeric_limits<double>::infinity();   // none
  };
  explicit ThresholdCheck(Params p) : metric_(p.metric), min_(p.min), max_(p.max) {}
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

ThresholdCheck::Params ReadThreshold(YamlMap& m) {
  ThresholdCheck::Params p;
  p.metric = ReadMetric(m, true);
  if (!m.Has("max") && !m.Has("min")) m.self().Fail("threshold: expected max, min or both");
  p.max = m.Double("max", p.max);
  p.min = m.Double("min", p.min);
  // Rates are fractions; latency is in ms (up to the 1e7 ms a scenario's latency can be).
  const double top = p.metric == HealthMetric::kLatencyP99 ? 1e7 : 1.0;
  if (m.Has("max")) m.RequireRange("max", p.max, 0, top);
  if (m.Has("min")) m.RequireRange("min", p.min, 0, top);
  if (m.Has("min") && m.Has("max") && p.min > p.max)
    m.Required("min").Fail("threshold.min: expected at most max");
  return p;
}

KindDef<HealthCheck, ThresholdCheck::Params> ThresholdKind() {
  return {.summary = "Fail when the canary's metric over the window leaves [min, max].",
          .params = {RequiredParam("metric", "error_rate | latency_p99 | status_2xx",
                                   "signal to judge (status_2xx: share of requests answered 2xx)"),
                     OptionalParam("max", "number", "none",
                                   "largest passing value (error rate as a fraction, latency in "
                                   "ms)"),
                     OptionalParam("min", "number", "none",
                                   "smallest passing value (e.g. status_2xx min 0.9); at least "
                                   "one of min, max")},
          .example = "{kind: threshold, metric: error_rate, max: 0.01}",
          .read = ReadThreshold,
          .make = New<ThresholdCheck>{}};
}

}  // namespace

FLEETSIM_REGISTER_HEALTH_CHECK_KIND(threshold, ThresholdKind);

}  // namespace fleetsim
