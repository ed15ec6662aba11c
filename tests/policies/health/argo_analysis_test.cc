// Argo AnalysisRun counting through the engine (health.counting: argo): the truth table of
// failureLimit / consecutiveSuccessLimit / count decides when a step advances, aborts or pauses.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

// 20,000 hosts deployed at 4,000/min; the change arrives at 1h.
Scenario World(const std::string& fault) {
  return testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(
      "name: argo\nduration: 6h\n"
      "fleet: {hosts: 20000, clusters_per_region: 2, regions: [{name: a}, {name: b}]}\n"
      "traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}\n"
      "deploy: {hosts_per_minute: 4000, rollback_hosts_per_minute: 8000}\n",
      "1h", fault));
}

Policy ArgoPolicy(const std::string& counting, const std::string& bake = "0s") {
  return testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{name: w10, percent: 10, bake: " + bake +
      "}, {name: all, percent: 100, bake: " + bake +
      "}]}\n"
      "health: {interval: 1m, counting: argo, " +
      counting + ", checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n");
}

TEST_CASE("an inline analysis of count 3 holds each step for three passing measurements",
          "[argo][analysis]") {
  // Step w10: 2,000 hosts in 30 s, measurements at 1h01, 1h02, 1h03: count reached with
  // failureLimit not violated -> Successful -> advance at 1h03. Step all: 18,000 hosts in 4.5
  // min (full at 1h07m30s); its run (1h04..1h06) has succeeded by then, so it completes at once.
  const ChangeOutcome o =
      RunReplica(World(""), ArgoPolicy("run: per_step, count: 3"), 1, 0).outcomes.at(0);
  REQUIRE(o.full_exposure_at);
  CHECK(*o.full_exposure_at == SimTime::Hours(1) + SimTime::Millis(7 * 60'000 + 30'000));
  REQUIRE(o.completed_at);
  CHECK(*o.completed_at == *o.full_exposure_at);
  CHECK(o.verdicts == 6);
}

TEST_CASE("failureLimit counts failed measurements tolerated", "[argo][analysis]") {
  // A fatal fault fails every measurement from the first. failureLimit 0 aborts on the first
  // failure, failureLimit 2 on the third.
  const ChangeOutcome strict =
      RunReplica(World("fatal"), ArgoPolicy("failure_limit: 0", "30m"), 1, 0).outcomes.at(0);
  const ChangeOutcome tolerant =
      RunReplica(World("fatal"), ArgoPolicy("failure_limit: 2", "30m"), 1, 0).outcomes.at(0);
  CHECK(strict.detected_stage == 0);
  CHECK(strict.final_state == FinalState::kRolledBack);
  CHECK(strict.failing_verdicts == 1);
  CHECK(tolerant.failing_verdicts == 3);
  REQUIRE(strict.ttd());
  REQUIRE(tolerant.ttd());
  // Detection is the first failing verdict in both; the abort comes two measurements later.
  CHECK(tolerant.ttm().value() - strict.ttm().value() == SimTime::Minutes(2));
}

TEST_CASE("a background run that succeeds stops judging (consecutiveSuccessLimit)",
          "[argo][analysis]") {
  const Policy policy = testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{percent: 10, bake: 30m}, {percent: 100, bake: 30m}]}\n"
      "health: {interval: 1m, counting: argo, consecutive_success_limit: 3, failure_limit: 0,"
      " checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n");
  const ChangeOutcome o = RunReplica(World(""), policy, 1, 0).outcomes.at(0);
  CHECK(o.verdicts == 3);
  CHECK(o.completed_at);
}

TEST_CASE("an inconclusive run pauses the rollout for a person", "[argo][analysis]") {
  // min_requests far above the canary's traffic: every measurement is inconclusive; Argo's
  // inconclusiveLimit 0 makes the run Inconclusive at once and the rollout pauses.
  const Policy policy = testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{percent: 10, bake: 30m}, {percent: 100, bake: 30m}]}\n"
      "health: {interval: 1m, counting: argo, min_requests: 1000000000,"
      " checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n");
  const ChangeOutcome o = RunReplica(World(""), policy, 1, 0).outcomes.at(0);
  CHECK(o.pauses >= 1);
  CHECK(o.verdicts >= 1);
  CHECK_FALSE(o.completed_at);  // every run after a resume is inconclusive again
}

TEST_CASE("argo-only keys need counting: argo", "[argo][errors]") {
  auto error = [](const std::string& health) {
    auto st = CatchConfigErrors([&] {
      auto file = std::make_shared<const std::string>("a.yaml");
      ParsePolicyNode(
          ConfigNode{YAML::Load("rollout: {kind: big_bang}\nhealth: " + health), file.get()}, "a");
    });
    REQUIRE_FALSE(st.ok());
    return st.message();
  };
  CHECK_THAT(error("{count: 3, checks: [{kind: threshold, metric: error_rate, max: 1}]}"),
             Catch::Contains("a.yaml:2:") && Catch::Contains("only with counting: argo"));
  CHECK_THAT(error("{counting: argo, failure_limit: -1, checks: [{kind: threshold, metric: "
                   "error_rate, max: 1}]}"),
             Catch::Contains("consecutive_success_limit"));
  CHECK_THAT(error("{counting: kayenta, checks: [{kind: threshold, metric: error_rate, max: 1}]}"),
             Catch::Contains("expected fleetsim, argo or flagger"));
  CHECK_THAT(error("{counting: flagger, consecutive_failure_limit: 2, checks: [{kind: threshold, "
                   "metric: error_rate, max: 1}]}"),
             Catch::Contains("a.yaml:2:") && Catch::Contains("not with counting: flagger"));
  CHECK_THAT(error("{counting: flagger, count: 2, checks: [{kind: threshold, "
                   "metric: error_rate, max: 1}]}"),
             Catch::Contains("only with counting: argo"));
}

}  // namespace
}  // namespace fleetsim
