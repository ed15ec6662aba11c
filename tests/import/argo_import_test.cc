// Argo Rollouts import (import/argo_rollout_import.h, argo_analysis_import.h) on hand-written
// Rollouts and AnalysisTemplates: what each field becomes, what is reported, and the errors.
#include <catch2/catch.hpp>

#include "tests/import/import_test_support.h"

namespace fleetsim {
namespace {

using testing::ImportError;
using testing::ImportOk;
using testing::PolicyOf;
using testing::RowFor;
using testing::RowFrom;

const char* const kRollout = R"(apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 10
  template: {spec: {containers: [{name: app, image: web:2}]}}
  strategy:
    canary:
      maxSurge: 2
      steps:
      - setWeight: 10
      - pause: {duration: 1m}
      - pause: {duration: 30}
      - setWeight: 50
      - pause: {}
      - setCanaryScale: {replicas: 3}
)";

TEST_CASE("argo canary steps become stages, pause {} is a manual gate, 100% comes after",
          "[import][argo]") {
  const import::ImportedPolicy p = ImportOk(kRollout, "web.yaml");
  CHECK(p.format == import::SpecFormat::kArgo);
  CHECK(p.name == "web");
  const Policy policy = PolicyOf(p);
  CHECK(policy.rollout->Kind() == "stages");
  const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 3);
  CHECK(plan.steps[0].fraction == Approx(0.10));
  CHECK(plan.steps[0].bake == SimTime::Seconds(90));  // 1m + 30 s (integer seconds)
  CHECK_FALSE(plan.steps[0].manual_gate);
  CHECK(plan.steps[1].fraction == Approx(0.50));
  CHECK(plan.steps[1].manual_gate);
  CHECK(plan.steps[2].fraction == 1.0);
  CHECK(plan.steps[2].bake == SimTime::Zero());
  // Every field is accounted for, with its position.
  const import::MappingRow* w = RowFor(p, "rollout.stages[0].percent");
  REQUIRE(w);
  CHECK(w->source == "spec.strategy.canary.steps[0].setWeight");
  CHECK(w->where == "web.yaml:12:20");
  CHECK(RowFrom(p, "spec.replicas")->disposition == import::Disposition::kNoEffect);
  CHECK(RowFrom(p, "spec.template")->disposition == import::Disposition::kNoEffect);
  CHECK(RowFrom(p, "spec.strategy.canary.maxSurge")->disposition == import::Disposition::kNoEffect);
  CHECK(RowFrom(p, "spec.strategy.canary.steps[5]")->disposition ==
        import::Disposition::kNotSimulated);
  CHECK_THAT(p.yaml,
             Catch::Contains("percent: 10") &&
                 Catch::Contains("# spec.strategy.canary.steps[0].setWeight (web.yaml:12)"));
  CHECK_THAT(p.yaml, Catch::Contains("# Cannot be simulated:\n#   spec.strategy.canary.steps[5]"));
}

TEST_CASE("argo: trafficRouting makes an abort instant, maxUnavailable sets waves",
          "[import][argo]") {
  const std::string spec = testing::ReplaceFirst(
      kRollout, "      maxSurge: 2\n",
      "      maxSurge: 2\n      maxUnavailable: 20%\n      trafficRouting: {istio: {}}\n");
  const Policy policy = PolicyOf(ImportOk(spec, "web.yaml"));
  REQUIRE(policy.deploy);
  REQUIRE(policy.deploy->instant_rollback);
  CHECK(*policy.deploy->instant_rollback);
  REQUIRE(policy.deploy->max_unavailable_fraction);
  CHECK(*policy.deploy->max_unavailable_fraction == Approx(0.2));
  // dynamicStableScale scales the stable version down: the abort takes the deploy time.
  const Policy dynamic = PolicyOf(ImportOk(
      testing::ReplaceFirst(spec, "      maxSurge: 2\n", "      dynamicStableScale: true\n"),
      "web.yaml"));
  CHECK_FALSE(dynamic.deploy->instant_rollback);
}

TEST_CASE("argo: a canary without steps is a rolling update in maxUnavailable waves",
          "[import][argo]") {
  const import::ImportedPolicy p = ImportOk(
      "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n"
      "spec:\n  strategy:\n    canary: {maxSurge: 1}\n",
      "r.yaml");
  const Policy policy = PolicyOf(p);
  CHECK(policy.rollout->Kind() == "big_bang");
  REQUIRE(policy.deploy);
  CHECK(*policy.deploy->max_unavailable_fraction == Approx(0.25));  // Argo's default
  CHECK(RowFor(p, "deploy.max_unavailable")->disposition == import::Disposition::kDefault);
}

const char* const kTemplate = R"(---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate}
spec:
  args: [{name: service-name}]
  metrics:
  - name: success-rate
    interval: 2m
    count: 5
    failureLimit: 2
    successCondition: result[0] >= 0.99
    provider:
      prometheus:
        address: http://prometheus:9090
        query: sum(rate(requests{code!~"5.."}[2m])) / sum(rate(requests[2m]))
)";

std::string WithBackground(const std::string& extra) {
  return testing::ReplaceFirst(kRollout, "      steps:\n",
                               "      analysis:\n        templates: [{templateName: "
                               "success-rate}]\n" +
                                   extra + "      steps:\n") +
         kTemplate;
}

TEST_CASE("argo background analysis: counting argo with the template's schedule and limits",
          "[import][argo]") {
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("success-rate=success_rate").ok());
  const import::ImportedPolicy p = ImportOk(WithBackground(""), "web.yaml", options);
  const Policy policy = PolicyOf(p);
  REQUIRE(policy.health);
  const HealthSchedule s = policy.health->Schedule();
  CHECK(s.interval == SimTime::Minutes(2));
  CHECK_FALSE(s.run_per_step);
  CHECK_THAT(p.yaml, Catch::Contains("counting: argo") && Catch::Contains("failure_limit: 2") &&
                         Catch::Contains("count: 5") && Catch::Contains("metric: error_rate") &&
                         Catch::Contains("max: 0.01"));
  CHECK(RowFor(p, "health.checks[0].max")->source ==
        "AnalysisTemplate(success-rate).spec.metrics[0].successCondition");
  CHECK(RowFrom(p, "AnalysisTemplate(success-rate).spec.metrics[0].provider.prometheus")
            ->disposition == import::Disposition::kNoEffect);
}

TEST_CASE("argo: startingStep starts the run at the stage of that step", "[import][argo]") {
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("success-rate=success_rate").ok());
  auto schedule = [&](int k) {
    return PolicyOf(ImportOk(WithBackground("        startingStep: " + std::to_string(k) + "\n"),
                             "web.yaml", options))
        .health->Schedule();
  };
  // Step 3 is setWeight 50, stage 1: the run starts there, no delay.
  CHECK(schedule(3).start_at_step == 1);
  CHECK(schedule(3).initial_delay == SimTime::Zero());
  // Step 2 (pause 30) comes 1m into stage 0: a delay, approximated (from the stage's start).
  CHECK(schedule(2).start_at_step == 0);
  CHECK(schedule(2).initial_delay == SimTime::Minutes(1));
  const import::ImportedPolicy p2 =
      ImportOk(WithBackground("        startingStep: 2\n"), "web.yaml", options);
  CHECK(RowFor(p2, "health.initial_delay")->disposition == import::Disposition::kApproximated);
  // Step 5 comes after stage 1's pause {}: when the person promotes, i.e. stage 2 starts.
  CHECK(schedule(5).start_at_step == 2);
  const import::ImportedPolicy p5 =
      ImportOk(WithBackground("        startingStep: 5\n"), "web.yaml", options);
  CHECK(RowFor(p5, "health.start_at_step")->source == "spec.strategy.canary.analysis.startingStep");
}

TEST_CASE("argo: an unmapped query is an error at the metric naming the flags",
          "[import][argo][errors]") {
  const std::string e = ImportError(WithBackground(""), "web.yaml");
  // The provider field of the template document (line 29 of the concatenated text).
  CHECK_THAT(e, Catch::StartsWith("web.yaml:") && Catch::Contains("'success-rate'") &&
                    Catch::Contains("--metric success-rate=") &&
                    Catch::Contains("--ignore-metric success-rate"));
  import::ImportOptions ignore;
  ignore.metrics.AddIgnore("success-rate");
  const import::ImportedPolicy p = ImportOk(WithBackground(""), "web.yaml", ignore);
  CHECK_FALSE(PolicyOf(p).health);
  CHECK(RowFrom(p, "AnalysisTemplate(success-rate).spec.metrics[0]")->disposition ==
        import::Disposition::kNotSimulated);
}

TEST_CASE("argo: a missing template is an error naming it and the ways out",
          "[import][argo][errors]") {
  const std::string rollout_only =
      testing::ReplaceFirst(kRollout, "      steps:\n",
                            "      analysis: {templates: [{templateName: nowhere}]}\n"
                            "      steps:\n");
  CHECK_THAT(ImportError(rollout_only, "web.yaml"),
             Catch::Contains("web.yaml:11:") && Catch::Contains("AnalysisTemplate 'nowhere'") &&
                 Catch::Contains("--ignore-template nowhere"));
  import::ImportOptions options;
  options.ignore_templates = {"nowhere"};
  CHECK_FALSE(PolicyOf(ImportOk(rollout_only, "web.yaml", options)).health);
}

TEST_CASE("argo: Job metrics are not simulated but an analysis step waits for them",
          "[import][argo]") {
  const std::string spec = std::string(R"(apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r}
spec:
  strategy:
    canary:
      steps:
      - setWeight: 30
      - analysis: {templates: [{templateName: smoke}]}
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: smoke}
spec:
  metrics:
  - name: smoke
    count: 4
    interval: 20s
    initialDelay: 10s
    provider: {job: {spec: {template: {spec: {containers: [{name: t, image: curl}]}}}}}
)");
  const import::ImportedPolicy p = ImportOk(spec, "r.yaml");
  const RolloutPlan plan = PolicyOf(p).rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 2);
  CHECK(plan.steps[0].bake == SimTime::Seconds(10 + 3 * 20));  // initialDelay + (count-1) x
  CHECK(RowFrom(p, "AnalysisTemplate(smoke).spec.metrics[0]")->disposition ==
        import::Disposition::kNotSimulated);
}

TEST_CASE("argo blueGreen: promotion, post-promotion analysis, scale-down delay",
          "[import][argo]") {
  const std::string spec = std::string(R"(apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: bg}
spec:
  strategy:
    blueGreen:
      activeService: active
      autoPromotionSeconds: 300
      scaleDownDelaySeconds: 60
      postPromotionAnalysis: {templates: [{templateName: success-rate}]}
)") + kTemplate;
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("success-rate=success_rate").ok());
  const import::ImportedPolicy p = ImportOk(spec, "bg.yaml", options);
  const Policy policy = PolicyOf(p);
  CHECK(policy.rollout->Kind() == "blue_green");
  const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 2);
  CHECK(plan.steps[0].bake == SimTime::Minutes(5));
  CHECK_FALSE(plan.steps[0].manual_gate);
  // Five 2-minute measurements after the switch, then the 60 s scale-down delay.
  CHECK(plan.steps[1].bake == SimTime::Minutes(10) + SimTime::Seconds(60));
  CHECK(plan.steps[1].instant_rollback);
  REQUIRE(policy.health);
  // Argo's own counting (Failed when failed > failureLimit 2), run from the switch on.
  CHECK(policy.health->Schedule().start_at_step == 1);
  CHECK_THAT(p.yaml, Catch::Contains("counting: argo") && Catch::Contains("failure_limit: 2") &&
                         Catch::Contains("count: 5"));
}

TEST_CASE("argo: malformed specs are errors at file:line:col", "[import][argo][errors]") {
  auto spec = [](const std::string& steps) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n"
           "spec:\n  strategy:\n    canary:\n      steps:\n" +
           steps;
  };
  CHECK_THAT(ImportError(spec("      - setWeight: 50\n      - setWeight: 20\n"), "r.yaml"),
             Catch::Contains("r.yaml:9:20") && Catch::Contains("only grow"));
  CHECK_THAT(ImportError(spec("      - setWieght: 50\n"), "r.yaml"),
             Catch::Contains("r.yaml:8:9") && Catch::Contains("unknown Argo Rollouts field") &&
                 Catch::Contains("setWieght"));
  CHECK_THAT(ImportError(spec("      - setWeight: 5\n      - pause: {duration: 1d}\n"), "r.yaml"),
             Catch::Contains("r.yaml:9:") && Catch::Contains("duration"));
  CHECK_THAT(ImportError(spec("      - pause: {duration: 1m}\n"), "r.yaml"),
             Catch::Contains("r.yaml:8:") && Catch::Contains("before the first setWeight"));
  CHECK_THAT(ImportError("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n"
                         "spec:\n  strategy: {canary: {}, blueGreen: {}}\n",
                         "r.yaml"),
             Catch::Contains("r.yaml:5:") && Catch::Contains("exactly one of canary or blueGreen"));
  CHECK_THAT(ImportError("apiVersion: argoproj.io/v1alpha1\nkind: Experiment\nmetadata: {name: "
                         "x}\n",
                         "x.yaml"),
             Catch::Contains("x.yaml:1:1") && Catch::Contains("not this Argo kind"));
}

}  // namespace
}  // namespace fleetsim
