// The `sprt` health check wired into the engine: it judges the canary's error counts since the
// rollout began (the growing window of HealthObservation), fails a clearly bad change in its
// canary, and lets a good one through; its verdicts follow BernoulliSprt's thresholds exactly.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "policies/health/health_registry.h"
#include "policies/health/sprt.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

TEST_CASE("sprt verdicts follow Wald's thresholds on the growing window", "[sprt_check]") {
  auto check = testing::HealthCheckFromYaml(
      "{kind: sprt, metric: error_rate, p0: 0.01, p1: 0.05, alpha: 0.05, beta: 0.1}");
  const BernoulliSprt sprt(SprtParams{0.01, 0.05, 0.05, 0.1});
  HealthObservation o;
  // 4 errors in 80 requests: LLR = 4 ln 5 + 76 ln(0.95/0.99) = 3.3033 > A = ln 18 = 2.8904.
  o.canary_since_start = SignalWindow{80, 4, 0, 1};
  CHECK(check->Evaluate(o).kind == VerdictKind::kFail);
  // No errors in 55 requests: LLR = 55 ln(0.95/0.99) = -2.2683 < B = ln(0.1/0.95) = -2.2513.
  o.canary_since_start = SignalWindow{55, 0, 0, 1};
  CHECK(check->Evaluate(o).kind == VerdictKind::kPass);
  o.canary_since_start = SignalWindow{54, 0, 0, 1};
  CHECK(check->Evaluate(o).kind == VerdictKind::kInconclusive);
  // The sliding window alone is not what it judges.
  o.canary = SignalWindow{1000, 500, 0, 1};
  CHECK(check->Evaluate(o).kind == VerdictKind::kInconclusive);
}

TEST_CASE("sprt catches a bad change in its canary and passes a good one", "[sprt_check]") {
  const Policy policy = testing::PolicyFromYaml(R"(
rollout: {kind: stages, stages: [{name: canary, percent: 1, bake: 30m}, {name: all, percent: 100, bake: 30m}]}
health: {interval: 1m, checks: [{kind: sprt, metric: error_rate, p0: 0.001, p1: 0.003, alpha: 0.01, beta: 0.1}]}
)");
  const testing::FatalAndGood r = testing::RunFatalAndGood(policy);
  const ChangeOutcome& bad = r.fatal;
  const ChangeOutcome& good = r.good;
  CHECK(bad.detected_by == DetectedBy::kAutomation);
  CHECK(bad.detected_stage_name == "canary");
  CHECK_FALSE(good.false_positive);
  CHECK(good.final_state == FinalState::kCompleted);
}

TEST_CASE("sprt rejects impossible parameters with the line", "[sprt_check][yaml_errors]") {
  CHECK_THAT(testing::HealthCheckError("{kind: sprt, metric: error_rate, p0: 0.02, p1: 0.01}"),
             Catch::Contains("expected 0 < p0 < p1 < 1"));
}

}  // namespace
}  // namespace fleetsim
