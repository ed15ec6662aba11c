// The statistics of `fleetsim check`: the one-sided paired t-test against a tolerance, with
// p-values checked against the closed-form Student t CDF for 3 degrees of freedom,
// F(t) = 1/2 + (atan(t/sqrt3) + (t/sqrt3)/(1 + t^2/3)) / pi.
#include <catch2/catch.hpp>

#include <cmath>

#include "analysis/baseline.h"

namespace fleetsim {
namespace {

// One replica whose only change reached 100% after `minutes`: its lead_time metric.
ReplicaResult LeadTimeReplica(double minutes) {
  ReplicaResult r;
  ChangeOutcome o;
  o.full_exposure_at = SimTime::Millis(static_cast<int64_t>(minutes * 60'000));
  r.outcomes.push_back(o);
  return r;
}

double StudentT3Cdf(double t) {
  const double x = t / std::sqrt(3.0);
  return 0.5 + (std::atan(x) + x / (1 + x * x)) / M_PI;
}

Baseline LeadTimeBaseline(MetricTolerance tolerance) {
  Baseline b;
  b.file = "b.yaml";
  b.replicas = 4;
  b.metrics.push_back(BaselineMetric{"lead_time", tolerance, {1, 2, 3, 4}});
  return b;
}

std::vector<ReplicaResult> Now(std::initializer_list<double> minutes) {
  std::vector<ReplicaResult> out;
  for (double m : minutes) out.push_back(LeadTimeReplica(m));
  return out;
}

TEST_CASE("a significant worsening beyond the tolerance is a regression", "[baseline]") {
  // d = (1, 1, 1, 2): mean 1.25, sd 0.5, se 0.25.
  const BaselineCheck c =
      CheckBaseline(LeadTimeBaseline({ToleranceKind::kNotWorse, 0}), "p", Now({2, 3, 4, 6}));
  REQUIRE(c.metrics.size() == 1);
  const MetricCheck& m = c.metrics[0];
  CHECK(m.pairs == 4);
  CHECK(m.baseline_mean == 2.5);
  CHECK(m.now_mean == 3.75);
  CHECK(m.p_value == Approx(1 - StudentT3Cdf(5.0)).epsilon(1e-9));  // t = 1.25 / 0.25 = 5
  CHECK(m.p_value == Approx(0.0076962).margin(1e-6));
  CHECK(m.verdict == CheckVerdict::kRegression);
  CHECK(c.regression());
  CHECK_FALSE(c.identical());
}

TEST_CASE("a worsening within the tolerance passes", "[baseline]") {
  // Same data, tolerance +1 absolute: t = (1.25 - 1) / 0.25 = 1, p = 0.1955.
  const BaselineCheck c =
      CheckBaseline(LeadTimeBaseline({ToleranceKind::kAbsolute, 1}), "p", Now({2, 3, 4, 6}));
  const MetricCheck& m = c.metrics[0];
  CHECK(m.threshold == 1);
  CHECK(m.p_value == Approx(1 - StudentT3Cdf(1.0)).epsilon(1e-9));
  CHECK(m.verdict == CheckVerdict::kPass);
  // Relative 60% of the baseline mean 2.5 = 1.5 allowed: t = (1.25 - 1.5)/0.25 = -1.
  const BaselineCheck r =
      CheckBaseline(LeadTimeBaseline({ToleranceKind::kRelative, 0.6}), "p", Now({2, 3, 4, 6}));
  CHECK(r.metrics[0].threshold == Approx(1.5));
  CHECK(r.metrics[0].p_value == Approx(1 - StudentT3Cdf(-1.0)).epsilon(1e-9));
  CHECK(r.metrics[0].verdict == CheckVerdict::kPass);
}

TEST_CASE("identical results pass and are reported identical, improvements are flagged",
          "[baseline]") {
  const BaselineCheck same =
      CheckBaseline(LeadTimeBaseline({ToleranceKind::kNotWorse, 0}), "p", Now({1, 2, 3, 4}));
  CHECK(same.identical());
  CHECK(same.metrics[0].verdict == CheckVerdict::kPass);
  const BaselineCheck better =
      CheckBaseline(LeadTimeBaseline({ToleranceKind::kNotWorse, 0}), "p", Now({0, 1, 2, 3}));
  CHECK(better.metrics[0].verdict == CheckVerdict::kImproved);
  // A constant worsening (zero variance) is decided exactly.
  const BaselineCheck shifted =
      CheckBaseline(LeadTimeBaseline({ToleranceKind::kAbsolute, 0.5}), "p", Now({2, 3, 4, 5}));
  CHECK(shifted.metrics[0].p_value == 0.0);
  CHECK(shifted.metrics[0].verdict == CheckVerdict::kRegression);
}

TEST_CASE("a baseline without recorded values is reported, not silently passed", "[baseline]") {
  Baseline b = LeadTimeBaseline({ToleranceKind::kNotWorse, 0});
  b.metrics[0].recorded.clear();
  const BaselineCheck c = CheckBaseline(b, "p", Now({1, 2, 3, 4}));
  CHECK(c.metrics[0].verdict == CheckVerdict::kNotRecorded);
}

}  // namespace
}  // namespace fleetsim
