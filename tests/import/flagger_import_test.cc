// Flagger import (import/flagger_import.h) on hand-written Canaries: Flagger's weight
// arithmetic, the builtin and custom metrics, A/B testing and blue/green, and the errors.
#include <catch2/catch.hpp>

#include "import/flagger_import.h"
#include "tests/import/import_test_support.h"

namespace fleetsim {
namespace {

using testing::ImportError;
using testing::ImportOk;
using testing::PolicyOf;
using testing::RowFor;
using testing::RowFrom;

std::string Canary(const std::string& analysis) {
  return "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: podinfo}\n"
         "spec:\n  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}\n"
         "  service: {port: 80}\n  analysis:\n" +
         analysis;
}

TEST_CASE("flagger weights follow scheduler.go: +stepWeight up to maxWeight, overshoot capped",
          "[import][flagger]") {
  using V = std::vector<int>;
  CHECK(import::FlaggerWeights(10, {}, 50) == V{10, 20, 30, 40, 50});
  CHECK(import::FlaggerWeights(15, {}, 50) == V{15, 30, 45, 60});  // flagger#189
  CHECK(import::FlaggerWeights(30, {}, 0) == V{30, 60, 90, 100});  // maxWeight defaults to 100
  CHECK(import::FlaggerWeights(0, {1, 2, 10, 80}, 0) == V{1, 2, 10, 80});
  CHECK(import::FlaggerWeights(0, {5, 50, 100}, 0) == V{5, 50, 100});
  CHECK(import::FlaggerWeights(0, {}, 50).empty());  // never advances
  // stepWeight wins over stepWeights, which then only set maxWeight.
  CHECK(import::FlaggerWeights(20, {5, 40}, 0) == V{20, 40});
}

TEST_CASE("flagger canary: linear steps, threshold, builtin metrics in fleetsim units",
          "[import][flagger]") {
  const import::ImportedPolicy p = ImportOk(Canary(R"(    interval: 1m
    threshold: 5
    maxWeight: 50
    stepWeight: 10
    metrics:
    - name: request-success-rate
      thresholdRange: {min: 99}
      interval: 1m
    - name: request-duration
      thresholdRange: {max: 500}
      interval: 1m
    webhooks:
    - {name: load-test, url: http://tester/, metadata: {cmd: hey}}
)"),
                                            "c.yaml");
  CHECK(p.format == import::SpecFormat::kFlagger);
  const Policy policy = PolicyOf(p);
  CHECK(policy.rollout->Kind() == "linear");
  const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 6);
  for (int k = 0; k < 5; ++k) {
    CHECK(plan.steps[k].fraction == Approx(0.1 * (k + 1)));
    CHECK(plan.steps[k].bake == SimTime::Minutes(1));
  }
  CHECK(plan.steps[5].fraction == 1.0);
  REQUIRE(policy.health);
  CHECK(policy.health->Schedule().interval == SimTime::Minutes(1));
  CHECK(policy.health->Schedule().failure_limit == 5);
  CHECK(policy.health->Schedule().lookback == HealthSchedule::Lookback::kInterval);
  CHECK_THAT(p.yaml, Catch::Contains("metric: error_rate") && Catch::Contains("max: 0.01") &&
                         Catch::Contains("metric: latency_p99") && Catch::Contains("max: 500"));
  CHECK(RowFrom(p, "spec.analysis.webhooks[0]")->disposition == import::Disposition::kNotSimulated);
  CHECK(RowFrom(p, "spec.targetRef")->disposition == import::Disposition::kNoEffect);
}

TEST_CASE("flagger: Flagger's defaults and clamps", "[import][flagger]") {
  // No interval: 60 s; no threshold: 1; interval below 10 s: 10 s; a weight reaching 100 is
  // analysed for one more interval.
  const import::ImportedPolicy d = ImportOk(
      Canary("    stepWeight: 50\n    maxWeight: 100\n    metrics: [{name: request-success-rate, "
             "thresholdRange: {min: 95}}]\n"),
      "c.yaml");
  const Policy policy = PolicyOf(d);
  CHECK(policy.health->Schedule().interval == SimTime::Seconds(60));
  CHECK(policy.health->Schedule().failure_limit == 1);
  const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 2);
  CHECK(plan.steps[1].fraction == 1.0);
  CHECK(plan.steps[1].bake == SimTime::Seconds(60));
  const import::ImportedPolicy fast = ImportOk(
      Canary("    interval: 2s\n    stepWeight: 50\n    metrics: [{name: request-duration, "
             "threshold: 300}]\n"),
      "c.yaml");
  CHECK(PolicyOf(fast).health->Schedule().interval == SimTime::Seconds(10));
  CHECK(RowFor(fast, "health.interval")->disposition == import::Disposition::kApproximated);
}

TEST_CASE("flagger: stepWeights and an uneven maxWeight become stages", "[import][flagger]") {
  const Policy steps =
      PolicyOf(ImportOk(Canary("    interval: 30s\n    stepWeights: [1, 5, 25]\n    metrics: "
                               "[{name: request-success-rate, thresholdRange: {min: 99}}]\n"),
                        "c.yaml"));
  const RolloutPlan plan = steps.rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 4);
  CHECK(plan.steps[0].fraction == Approx(0.01));
  CHECK(plan.steps[2].fraction == Approx(0.25));
  CHECK(plan.steps[2].bake == SimTime::Seconds(30));
  const Policy uneven =
      PolicyOf(ImportOk(Canary("    stepWeight: 15\n    maxWeight: 50\n    metrics: "
                               "[{name: request-success-rate, thresholdRange: {min: 99}}]\n"),
                        "c.yaml"));
  const RolloutPlan u = uneven.rollout->Plan(ChangeInfo{});
  REQUIRE(u.steps.size() == 5);
  CHECK(u.steps[3].fraction == Approx(0.60));  // Flagger overshoots 50 to 60
}

TEST_CASE("flagger: metric query ranges become the lookback window", "[import][flagger]") {
  const import::ImportedPolicy p = ImportOk(
      Canary("    interval: 15s\n    stepWeight: 10\n    maxWeight: 50\n    metrics:\n"
             "    - {name: request-success-rate, thresholdRange: {min: 99}, interval: 1m}\n"),
      "c.yaml");
  const HealthSchedule s = PolicyOf(p).health->Schedule();
  CHECK(s.interval == SimTime::Seconds(15));
  CHECK(s.lookback == HealthSchedule::Lookback::kSliding);
  CHECK(s.lookback_window == SimTime::Minutes(1));
  CHECK(RowFor(p, "health.lookback")->disposition == import::Disposition::kMapped);
}

TEST_CASE("flagger: custom metrics go through MetricTemplates and the metrics table",
          "[import][flagger]") {
  const std::string spec =
      Canary(
          "    stepWeight: 20\n    metrics:\n"
          "    - name: error-ratio\n      templateRef: {name: error-ratio}\n"
          "      thresholdRange: {max: 2}\n") +
      "---\napiVersion: flagger.app/v1beta1\nkind: MetricTemplate\nmetadata: {name: error-ratio}\n"
      "spec:\n  provider: {type: prometheus, address: http://prom}\n"
      "  query: 100 * sum(rate(http_requests_total{status=~\"5.*\"}[1m]))\n";
  CHECK_THAT(ImportError(spec, "c.yaml"), Catch::Contains("c.yaml:10:") &&
                                              Catch::Contains("--metric error-ratio=") &&
                                              Catch::Contains("--ignore-metric error-ratio"));
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("error-ratio=error_rate:percent").ok());
  const import::ImportedPolicy p = ImportOk(spec, "c.yaml", options);
  CHECK_THAT(p.yaml, Catch::Contains("metric: error_rate") && Catch::Contains("max: 0.02"));
  CHECK_THAT(ImportError(testing::ReplaceFirst(spec, "kind: MetricTemplate", "kind: AlertProvider"),
                         "c.yaml", options),
             Catch::Contains("MetricTemplate 'error-ratio' is not in the given files"));
}

TEST_CASE("flagger: A/B testing needs the matched share, blue/green keeps a preview",
          "[import][flagger]") {
  const std::string ab = Canary(
      "    interval: 1m\n    iterations: 10\n    threshold: 2\n"
      "    match: [{headers: {x-canary: {exact: insider}}}]\n"
      "    metrics: [{name: request-success-rate, thresholdRange: {min: 99}}]\n");
  CHECK_THAT(ImportError(ab, "ab.yaml"),
             Catch::Contains("ab.yaml:11:") && Catch::Contains("--match-share"));
  import::ImportOptions options;
  options.match_share = 0.05;
  const RolloutPlan plan = PolicyOf(ImportOk(ab, "ab.yaml", options)).rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 2);
  CHECK(plan.steps[0].fraction == Approx(0.05));
  CHECK(plan.steps[0].bake == SimTime::Minutes(10));  // iterations x interval
  const Policy bg = PolicyOf(ImportOk(
      Canary("    interval: 1m\n    iterations: 5\n    metrics: [{name: request-success-rate, "
             "thresholdRange: {min: 99}}]\n"),
      "bg.yaml"));
  CHECK(bg.rollout->Kind() == "blue_green");
  const RolloutPlan b = bg.rollout->Plan(ChangeInfo{});
  REQUIRE(b.steps.size() == 2);
  CHECK(b.steps[0].provision);
  CHECK(b.steps[0].bake == SimTime::Minutes(5));
  CHECK(b.steps[1].bake == SimTime::Minutes(1));
  CHECK(b.steps[1].instant_rollback);
  CHECK(bg.health->Schedule().on_inconclusive == InconclusiveAction::kIgnore);
}

TEST_CASE("flagger: skipAnalysis promotes at once", "[import][flagger]") {
  const std::string spec = testing::ReplaceFirst(Canary("    stepWeight: 10\n"), "  analysis:\n",
                                                 "  skipAnalysis: true\n  analysis:\n");
  const Policy p = PolicyOf(ImportOk(spec, "c.yaml"));
  CHECK(p.rollout->Kind() == "big_bang");
  CHECK_FALSE(p.health);
}

TEST_CASE("flagger: errors at file:line:col", "[import][flagger][errors]") {
  CHECK_THAT(ImportError(Canary("    threshhold: 5\n    stepWeight: 10\n"), "c.yaml"),
             Catch::Contains("c.yaml:8:5") && Catch::Contains("threshhold"));
  CHECK_THAT(ImportError(Canary("    maxWeight: 50\n"), "c.yaml"),
             Catch::Contains("never advances"));
  CHECK_THAT(ImportError(Canary("    stepWeights: [10, 5]\n"), "c.yaml"),
             Catch::Contains("c.yaml:8:") && Catch::Contains("increasing"));
  CHECK_THAT(
      ImportError(Canary("    stepWeight: 10\n    metrics: [{name: request-success-rate}]\n"),
                  "c.yaml"),
      Catch::Contains("thresholdRange"));
  CHECK_THAT(ImportError(Canary("    stepWeight: 10\n    webhooks: [{name: x, type: magic, url: "
                                "u}]\n"),
                         "c.yaml"),
             Catch::Contains("unknown Flagger webhook type 'magic'"));
}

}  // namespace
}  // namespace fleetsim
