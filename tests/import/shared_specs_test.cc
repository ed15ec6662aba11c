// Every real vendor spec in ../shared/interop-specs (Argo Rollouts and Flagger examples, with
// their sources in SOURCES; read in place, never copied into the project) imports, validates
// and runs, and maps as its vendor documents. Skips, saying so, when the folder is absent.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "analysis/experiment.h"
#include "analysis/monte_carlo.h"
#include "tests/import/import_test_support.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

// What each shared spec needs beside it: companion files and the answers a spec cannot give.
struct SpecCase {
  std::vector<std::string> with;
  std::vector<std::string> metric_flags;
  std::vector<std::string> ignore_templates;
};

const std::map<std::string, SpecCase>& Cases() {
  static const std::map<std::string, SpecCase> cases = {
      {"argo-rollout-canary.yaml", {}},
      {"argo-rollout-bluegreen.yaml", {}},
      {"argo-rollout-background-analysis.yaml", {{"argo-analysis-templates.yaml"}, {}, {}}},
      // always-pass is a ClusterAnalysisTemplate of argo-rollouts' examples/ not in the folder.
      {"argo-rollout-analysis-step.yaml", {{"argo-analysis-templates.yaml"}, {}, {"always-pass"}}},
      {"argo-docs-background-analysis-success-rate.yaml", {{}, {"success-rate=success_rate"}, {}}},
      {"flagger-istio-canary.yaml", {}},
      {"flagger-linkerd-canary-steps.yaml", {}},
  };
  return cases;
}

import::ImportOptions OptionsFor(const std::string& dir, const SpecCase& c){import::ImportOptions o;
for (const std::string& w : c.with) o.with.push_back(dir + "/" + w);
for (const std::string& m : c.metric_flags) REQUIRE(o.metrics.AddFlag(m).ok());
o.ignore_templates = c.ignore_templates;
return o;
}  // namespace

#define SKIP_WITHOUT_SHARED_SPECS(dir)                                                \
  const std::string dir = testing::SharedSpecsDir();                                  \
  if (dir.empty()) {                                                                  \
    WARN(                                                                             \
        "skipped: ../shared/interop-specs (the real vendor specs) is not beside the " \
        "checkout");                                                                  \
    return;                                                                           \
  }

TEST_CASE("shared specs: every spec imports, validates and runs", "[import][shared]") {
  SKIP_WITHOUT_SHARED_SPECS(dir);
  // Every YAML spec of the folder is covered (a new one must be added to Cases()).
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".yaml" || name == "argo-analysis-templates.yaml") continue;
    INFO(name);
    CHECK(Cases().count(name) == 1);
  }
  const std::string quickstart =
      std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.yaml";
  for (const auto& [name, c] : Cases()) {
    INFO(name);
    const std::string path = dir + "/" + name;
    const import::ImportOptions options = OptionsFor(dir, c);
    std::vector<std::string> files{path};
    files.insert(files.end(), options.with.begin(), options.with.end());
    Result<import::ImportedPolicy> imported = import::ImportSpecFiles(files, options);
    INFO((imported.ok() ? "" : imported.status().message()));
    REQUIRE(imported.ok());
    // Committed outputs never name a machine's paths: the policy names files by base name.
    CHECK_THAT(imported.value().yaml, !Catch::Contains(dir));
    Result<std::string> valid = ValidateFile(path, options);
    INFO((valid.ok() ? valid.value() : valid.status().message()));
    CHECK(valid.ok());
    Result<Experiment> e = LoadExperiment(quickstart, {path}, options);
    INFO((e.ok() ? "" : e.status().message()));
    REQUIRE(e.ok());
    const ReplicaResult r = RunReplica(e.value().scenario, e.value().policies.front(), 1, 0);
    CHECK_FALSE(r.outcomes.empty());
  }
  // The templates file alone validates (its Job metrics cannot be simulated).
  Result<std::string> templates = ValidateFile(dir + "/argo-analysis-templates.yaml");
  INFO((templates.ok() ? templates.value() : templates.status().message()));
  CHECK(templates.ok());
  // The AWS names of aws-appconfig-codedeploy-strategies.md import as predefined strategies.
  for (const char* n : {"AppConfig.Linear20PercentEvery6Minutes", "CodeDeployDefault.OneAtATime",
                        "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                        "CodeDeployDefault.ECSCanary10Percent5Minutes"}) {
    INFO(n);
    CHECK(import::ImportSpecFiles({n}, {}).ok());
  }
}

TEST_CASE("shared specs: argo-rollout-canary maps step by step", "[import][shared]") {
  SKIP_WITHOUT_SHARED_SPECS(dir);
  Result<import::ImportedPolicy> p =
      import::ImportSpecFiles({dir + "/argo-rollout-canary.yaml"}, {});
  REQUIRE(p.ok());
  const RolloutPlan plan = testing::PolicyOf(p.value()).rollout->Plan(ChangeInfo{});
  // setWeight 20, pause {} | 40, 40s | 60, 20s | 80, 20s | promotion to 100%.
  REQUIRE(plan.steps.size() == 5);
  CHECK(plan.steps[0].fraction == Approx(0.2));
  CHECK(plan.steps[0].manual_gate);
  const SimTime bakes[] = {SimTime::Seconds(40), SimTime::Seconds(20), SimTime::Seconds(20)};
  for (int k = 1; k <= 3; ++k) {
    CHECK(plan.steps[k].fraction == Approx(0.2 * (k + 1)));
    CHECK(plan.steps[k].bake == bakes[k - 1]);
    CHECK_FALSE(plan.steps[k].manual_gate);
  }
  CHECK(plan.steps[4].fraction == 1.0);
}

TEST_CASE("shared specs: the docs' success-rate analysis, with its '...' elision",
          "[import][shared]") {
  SKIP_WITHOUT_SHARED_SPECS(dir);
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("success-rate=success_rate").ok());
  Result<import::ImportedPolicy> p =
      import::ImportSpecFiles({dir + "/argo-docs-background-analysis-success-rate.yaml"}, options);
  REQUIRE(p.ok());
  REQUIRE(p.value().notes.size() == 1);
  CHECK_THAT(p.value().notes[0], Catch::Contains(":8: '...'"));
  const Policy policy = testing::PolicyOf(p.value());
  REQUIRE(policy.health);
  const HealthSchedule s = policy.health->Schedule();
  CHECK(s.interval == SimTime::Minutes(5));
  // startingStep 2 (the spec's comment: "until setWeight: 40%"): stage 1 starts the run.
  CHECK(s.start_at_step == 1);
  CHECK(s.initial_delay == SimTime::Zero());
  // result[0] >= 0.95 on a success rate: error rate at most 5%, failureLimit 3 tolerated.
  CHECK_THAT(p.value().yaml, Catch::Contains("counting: argo") &&
                                 Catch::Contains("failure_limit: 3") &&
                                 Catch::Contains("max: 0.05"));
}

TEST_CASE("shared specs: Flagger's istio canary", "[import][shared]") {
  SKIP_WITHOUT_SHARED_SPECS(dir);
  Result<import::ImportedPolicy> p =
      import::ImportSpecFiles({dir + "/flagger-istio-canary.yaml"}, {});
  REQUIRE(p.ok());
  const Policy policy = testing::PolicyOf(p.value());
  const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 11);  // 5, 10, ..., 50 each 15 s, then promotion
  CHECK(plan.steps[9].fraction == Approx(0.5));
  CHECK(plan.steps[0].bake == SimTime::Seconds(15));
  CHECK(policy.health->Schedule().failure_limit == 10);
  CHECK(testing::RowFrom(p.value(), "spec.analysis.webhooks[0]")->disposition ==
        import::Disposition::kNotSimulated);
}

}  // namespace fleetsim
}  // namespace fleetsim
