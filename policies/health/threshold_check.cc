// threshold: the canary's metric over the window must stay within [min, max]
// (Argo/Flagger "successCondition: result <= max"; Instagram's "< 0.5% 5xx and >= 90% 2xx").
// Error rate is errors / requests of all canary hosts in the window (health.lookback picks it).
// With fail_above (fail_below) a value past max (min) but not past fail_above (fail_below) is
// inconclusive, not failed: Argo's successCondition and failureCondition both set, where a value
// that satisfies neither is an Inconclusive measurement. No canary request in the window is an
// inconclusive verdict for want of data (Verdict::no_data).
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
    // Failing bounds past the passing ones (default: the passing ones, no inconclusive band).
    double fail_below = -std::numeric_limits<double>::infinity();
    double fail_above = std::numeric_limits<double>::infinity();
  };
  explicit ThresholdCheck(Params p) : p_(p) {}
  std::string_view Kind() const override { return "threshold"; }
  Verdict Evaluate(const HealthObservation& o) const override {
    const SignalWindow& canary = o.canary;
    if (canary.requests == 0) return Verdict{VerdictKind::kInconclusive, "no canary traffic", true};
    const double value = MetricValue(p_.metric, canary);
    if (value <= p_.max && value >= p_.min) return Verdict{};
    std::ostringstream why;
    why << "threshold: canary " << HealthMetricName(p_.metric) << " " << value;
    const bool above = value > p_.max;
    if (above)
      why << " > max " << p_.max;
    else
      why << " < min " << p_.min;
    if (above ? value <= p_.fail_above : value >= p_.fail_below) {
      why << (above ? ", <= fail_above " : ", >= fail_below ")
          << (above ? p_.fail_above : p_.fail_below);
      return Verdict{VerdictKind::kInconclusive, why.str()};
    }
    return Verdict{VerdictKind::kFail, why.str()};
  }

 private:
  Params p_;
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
  p.fail_above = m.Double("fail_above", p.max);
  p.fail_below = m.Double("fail_below", p.min);
  if (m.Has("fail_above")) {
    if (!m.Has("max")) m.Required("fail_above").Fail("threshold.fail_above: needs max");
    m.RequireRange("fail_above", p.fail_above, p.max, top);
  }
  if (m.Has("fail_below")) {
    if (!m.Has("min")) m.Required("fail_below").Fail("threshold.fail_below: needs min");
    m.RequireRange("fail_below", p.fail_below, 0, p.min);
  }
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
                                   "one of min, max"),
                     OptionalParam("fail_above", "number", "max",
                                   "values above max up to this are inconclusive, not failed "
                                   "(Argo's successCondition and failureCondition both set)"),
                     OptionalParam("fail_below", "number", "min",
                                   "values below min down to this are inconclusive, not failed")},
          .example = "{kind: threshold, metric: error_rate, max: 0.01}",
          .read = ReadThreshold,
          .make = New<ThresholdCheck>{}};
}

}  // namespace

FLEETSIM_REGISTER_HEALTH_CHECK_KIND(threshold, ThresholdKind);

}  // namespace fleetsim
