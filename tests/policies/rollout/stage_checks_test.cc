// Per-stage checks (`checks:` on a stage): judged only while that stage is active, on the health
// policy's schedule, and a failure there stops the rollout like the policy's own checks.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

// A subtle fault (+3% errors) is far above a 2% ceiling, but the lenient policy-wide check
// (canary at most 51 x control, i.e. max_increase 50, with control ~0.1%) never fires.
std::string World() {
  std::string yaml = testing::SingleChangeScenarioYaml(
      "name: stage-checks\nduration: 8h\n"
      "fleet: {hosts: 20000, clusters_per_region: 2, regions: [{name: a}, {name: b}]}\n"
      "traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}\n"
      "deploy: {hosts_per_minute: 4000, rollback_hosts_per_minute: 8000}\n",
      "1h", "subtle");
  const std::string catalog = "faults: [{name: fatal, error_rate_increase: 0.5}]";
  yaml.replace(yaml.find(catalog), catalog.size(),
               "faults: [{name: fatal, error_rate_increase: 0.5}, {name: subtle, "
               "error_rate_increase: 0.03}]");
  return yaml;
}

std::string Stages(int strict_stage, bool lenient_health) {
  std::string stages = "rollout:\n  kind: stages\n  stages:\n";
  const char* names[] = {"canary", "p10", "p50", "all"};
  const int percents[] = {1, 10, 50, 100};
  for (int i = 0; i < 4; ++i) {
    stages += "    - {name: " + std::string(names[i]) +
              ", percent: " + std::to_string(percents[i]) + ", bake: 30m";
    if (i == strict_stage) stages += ", checks: [{kind: threshold, metric: error_rate, max: 0.02}]";
    stages += "}\n";
  }
  if (lenient_health) {
    stages +=
        "health: {interval: 5m, checks: [{kind: relative, metric: error_rate, max_increase: "
        "50}]}\n";
  }
  return stages;
}

TEST_CASE("a stricter check on the canary stage catches what the policy-wide check lets through",
          "[stage_checks]") {
  const Scenario scenario = testing::ScenarioFromYaml(World());
  const ChangeOutcome lenient =
      RunReplica(scenario, testing::PolicyFromYaml(Stages(-1, true)), 1, 0).outcomes.at(0);
  CHECK(lenient.escaped);
  const ChangeOutcome strict =
      RunReplica(scenario, testing::PolicyFromYaml(Stages(0, true)), 1, 0).outcomes.at(0);
  CHECK(strict.detected_stage == 0);
  CHECK(strict.peak_exposed_fraction == Approx(0.01));
}

TEST_CASE("a stage's checks apply only in that stage", "[stage_checks]") {
  const Scenario scenario = testing::ScenarioFromYaml(World());
  const ChangeOutcome o =
      RunReplica(scenario, testing::PolicyFromYaml(Stages(2, true)), 1, 0).outcomes.at(0);
  CHECK(o.detected_stage == 2);
  CHECK(o.detected_stage_name == "p50");
}

TEST_CASE("stage checks work without a health section", "[stage_checks]") {
  const Scenario scenario = testing::ScenarioFromYaml(World());
  const ChangeOutcome o =
      RunReplica(scenario, testing::PolicyFromYaml(Stages(1, false)), 1, 0).outcomes.at(0);
  CHECK(o.detected_stage == 1);
  CHECK(o.detected_by == DetectedBy::kAutomation);
}

}  // namespace
}  // namespace fleetsim
