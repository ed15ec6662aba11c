// `fleetsim import` and vendor specs as policies, as a user meets them: the written policy is
// the one --policy reads from the spec directly (byte-identical run reports), the mapping table
// is printed, bad input is file:line:col with exit 2 and nothing written, and validate reads
// vendor files.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

const char* const kCanary = R"(apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis:
    interval: 1m
    threshold: 3
    maxWeight: 30
    stepWeight: 10
    metrics:
    - name: request-success-rate
      thresholdRange: {min: 99}
    - name: error-budget
      templateRef: {name: error-budget}
      thresholdRange: {max: 1}
---
apiVersion: flagger.app/v1beta1
kind: MetricTemplate
metadata: {name: error-budget}
spec:
  provider: {type: prometheus, address: http://prometheus:9090}
  query: 100 * sum(rate(http_requests_total{status=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))
)";

fs::path Write(const fs::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
  return dir / name;
}

TEST_CASE("import writes the policy --policy reads from the spec itself", "[cli][import]") {
  const fs::path dir = FreshTempDir("import");
  const fs::path spec = Write(dir, "canary.yaml", kCanary);
  const fs::path table = Write(dir, "metrics.yaml",
                               "metrics:\n  - {name: error-budget, measures: error_rate, unit: "
                               "percent}\n");
  const fs::path out = dir / "policy.yaml";
  const std::string flags = " --metrics " + table.string();
  CommandResult r = RunFleetsim("import " + spec.string() + flags + " -o " + out.string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("Flagger -> fleetsim policy 'podinfo'") &&
                           Catch::Contains("spec.analysis.threshold") &&
                           Catch::Contains("health.failure_limit") &&
                           Catch::Contains("no effect in simulation:") &&
                           Catch::Contains("spec.targetRef"));
  const std::string policy = ReadFile(out);
  CHECK_THAT(policy, Catch::Contains("kind: linear") &&
                         Catch::Contains("# spec.analysis.stepWeight (canary.yaml:11)") &&
                         Catch::Contains("max: 0.01"));
  CHECK_THAT(policy, !Catch::Contains(dir.string()));  // no machine path in the output
  // Without -o the policy goes to stdout.
  CommandResult to_stdout = RunFleetsim("import " + spec.string() + flags + " -q");
  REQUIRE(to_stdout.exit_code == 0);
  CHECK(to_stdout.output == policy);
  // The written file and the spec itself run identically.
  CHECK(RunFleetsim("validate " + out.string()).exit_code == 0);
  CommandResult v = RunFleetsim("validate " + spec.string() + flags);
  CHECK_THAT(v.output, Catch::Contains("ok, policy 'podinfo' (linear) imported from Flagger"));
  const std::string run = "run scenarios/examples/quickstart.yaml --replicas 2 -q --json ";
  REQUIRE(RunFleetsim(run + (dir / "a.json").string() + " --policy " + out.string()).exit_code ==
          0);
  REQUIRE(RunFleetsim(run + (dir / "b.json").string() + " --policy " + spec.string() + flags)
              .exit_code == 0);
  std::string a = ReadFile(dir / "a.json"), b = ReadFile(dir / "b.json");
  REQUIRE_FALSE(a.empty());
  // The reports differ only in the policy's file name.
  a = ReplaceFirst(a, out.string(), "P");
  b = ReplaceFirst(b, spec.string(), "P");
  CHECK(a == b);
  fs::remove_all(dir);
}

TEST_CASE("import: bad input is file:line:col, exit 2, nothing written", "[cli][import][errors]") {
  const fs::path dir = FreshTempDir("import-errors");
  const fs::path spec = Write(dir, "canary.yaml", kCanary);
  const fs::path out = dir / "policy.yaml";
  CommandResult r = RunFleetsim("import " + spec.string() + " -o " + out.string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains(spec.string() + ":15:") &&
                           Catch::Contains("'error-budget'") &&
                           Catch::Contains("--metric error-budget=") &&
                           Catch::Contains("--ignore-metric error-budget"));
  CHECK_FALSE(fs::exists(out));
  // The same error through --policy and validate.
  CommandResult run = RunFleetsim("run scenarios/examples/quickstart.yaml -q --policy " +
                                  spec.string() + " --json " + (dir / "x.json").string());
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.output, Catch::Contains(spec.string() + ":15:"));
  CHECK_FALSE(fs::exists(dir / "x.json"));
  CHECK(RunFleetsim("validate " + spec.string()).exit_code == 2);
  // Ignoring it is explicit and reported.
  CommandResult ignored =
      RunFleetsim("import " + spec.string() + " --ignore-metric error-budget -o " + out.string());
  REQUIRE(ignored.exit_code == 0);
  CHECK_THAT(ignored.output,
             Catch::Contains("cannot be simulated:") && Catch::Contains("--ignore-metric"));
  // A value only the native parser rejects (Argo's failureLimit -1 needs a
  // consecutiveSuccessLimit) is reported at the vendor field that produced it.
  const fs::path argo = Write(dir, "argo.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r}
spec:
  strategy:
    canary:
      analysis: {templates: [{templateName: t}]}
      steps: [{setWeight: 10}]
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: t}
spec:
  metrics:
  - name: m
    interval: 1m
    failureLimit: -1
    successCondition: result < 0.05
    provider: {prometheus: {query: q}}
)");
  CommandResult invalid = RunFleetsim("import " + argo.string() + " --metric m=error_rate -o " +
                                      (dir / "argo-policy.yaml").string());
  CHECK(invalid.exit_code == 2);
  CHECK_THAT(invalid.output, Catch::Contains(argo.string() + ":17:19: health: with counting: "
                                                             "argo, failure_limit -1") &&
                                 Catch::Contains("in the policy imported from it, line"));
  CHECK_FALSE(fs::exists(dir / "argo-policy.yaml"));
  CHECK_THAT(RunFleetsim("import missing.yaml").output,
             Catch::Contains("missing.yaml: cannot open file"));
  CHECK(RunFleetsim("import --metric oops " + spec.string()).exit_code == 2);
  fs::remove_all(dir);
}

TEST_CASE("import: predefined AWS names and --help", "[cli][import]") {
  CommandResult r = RunFleetsim("import AppConfig.Linear20PercentEvery6Minutes -q");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("kind: linear") && Catch::Contains("interval: 6m") &&
                           Catch::Contains("final_bake: 30m"));
  CommandResult run = RunFleetsim(
      "run scenarios/examples/quickstart.yaml --replicas 1 -q --policy "
      "CodeDeployDefault.LambdaCanary10Percent5Minutes");
  CHECK(run.exit_code == 0);
  CommandResult help = RunFleetsim("--help");
  CHECK_THAT(help.output, Catch::Contains("import"));
  CommandResult import_help = RunFleetsim("import --help");
  CHECK_THAT(import_help.output, Catch::Contains("--metrics") &&
                                     Catch::Contains("--ignore-template") &&
                                     Catch::Contains("--match-share"));
}

}  // namespace
}  // namespace fleetsim::testing
