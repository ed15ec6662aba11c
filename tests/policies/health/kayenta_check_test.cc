// The `kayenta` health check wired into the engine: per-minute canary vs control series judged
// by the NetflixACAJudge building blocks (kayenta_judge.h). A known shift is High and, being
// critical, zeroes the score (fail); identical series pass; a fatal change is caught in its
// canary and a good change passes, with the growing lookback Kayenta uses by default.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "policies/health/health_registry.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

TEST_CASE("kayenta fails a shifted critical metric and passes identical series",
          "[kayenta_check]") {
  auto check = testing::HealthCheckFromYaml(
      "{kind: kayenta, metrics: [{metric: error_rate, direction: increase, critical: true}]}");
  // Control 1..30 (per mille) and the canary shifted by 8.5: High at 98% confidence (the 98%
  // interval's lower bound 2.50006 exceeds 0.25 x 8.5; reference values from R's wilcox.test,
  // see tests/policies/health/kayenta_judge_test.cc).
  std::vector<double> control, canary;
  for (int i = 1; i <= 30; ++i) {
    control.push_back(i / 1000.0);
    canary.push_back((i + 8.5) / 1000.0);
  }
  HealthObservation o;
  o.canary_error_series = canary;
  o.control_error_series = control;
  const Verdict shifted = check->Evaluate(o);
  CHECK(shifted.kind == VerdictKind::kFail);
  CHECK_THAT(shifted.reason, Catch::Contains("score 0"));
  o.canary_error_series = control;
  CHECK(check->Evaluate(o).kind == VerdictKind::kPass);
  // A shift of 5 is not significant at 98% (the interval contains 0): pass.
  std::vector<double> small;
  for (int i = 1; i <= 30; ++i) small.push_back((i + 5) / 1000.0);
  o.canary_error_series = small;
  CHECK(check->Evaluate(o).kind == VerdictKind::kPass);
}

TEST_CASE("kayenta catches a fatal change in its canary and lets a good one through",
          "[kayenta_check]") {
  const Policy policy = testing::PolicyFromYaml(R"(
rollout: {kind: stages, stages: [{name: canary, percent: 5, bake: 30m}, {name: all, percent: 100, bake: 30m}]}
health:
  interval: 10m
  checks:
    - {kind: kayenta, metrics: [{metric: error_rate, direction: increase, critical: true}, {metric: latency_p99, direction: increase}]}
)");
  const testing::FatalAndGood r = testing::RunFatalAndGood(policy);
  const ChangeOutcome& bad = r.fatal;
  const ChangeOutcome& good = r.good;
  CHECK(bad.detected_by == DetectedBy::kAutomation);
  CHECK(bad.detected_stage_name == "canary");
  CHECK_FALSE(good.false_positive);
  CHECK(good.final_state == FinalState::kCompleted);
}

}  // namespace
}  // namespace fleetsim
