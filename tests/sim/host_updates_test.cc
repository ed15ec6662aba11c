// Deploy-system rules (sim/host_updates.h) against AWS CodeDeploy's documentation
// (shared/reference/rollout-systems.md §A4): the 9-instance minimum-healthy-hosts examples, the
// OneAtATime last-host rule and the AllAtOnce one-success rule, with scripted failures; success
// probabilities against their closed forms; then the same rules through the engine.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "analysis/monte_carlo.h"
#include "sim/deploy_spec.h"
#include "sim/host_updates.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

DeploySpec CodeDeploy(MinimumHealthyHosts::Type type, double value) {
  DeploySpec d;
  d.minimum_healthy = MinimumHealthyHosts{type, value};
  d.host_update_time = SimTime::Minutes(1);
  d.host_failure_probability = 0.5;  // any p > 0: the scripts below decide the failures
  return d;
}

// Runs one all-hosts step of a 9-instance deployment with failures taken from `script`, one
// entry per batch; records the batch sizes the deploy system asked for.
struct Scripted {
  StepUpdateResult result;
  std::vector<int64_t> batches;
};
Scripted Run9(const DeploySpec& spec, std::vector<int64_t> script) {
  Scripted s;
  HostUpdateTally tally;
  size_t next = 0;
  s.result = PlanStepUpdate(spec, 9, 9, true, tally, [&](int64_t n) {
    s.batches.push_back(n);
    return next < script.size() ? script[next++] : 0;
  });
  return s;
}

using Type = MinimumHealthyHosts::Type;

TEST_CASE("CodeDeploy HOST_COUNT 6 of 9: up to 3 at a time, succeeds iff at least 6 succeed",
          "[deploy][golden]") {
  const DeploySpec spec = CodeDeploy(Type::kHostCount, 6);
  CHECK(spec.WaveSize(9) == 3);
  Scripted clean = Run9(spec, {0, 0, 0});
  CHECK(clean.batches == std::vector<int64_t>{3, 3, 3});
  CHECK_FALSE(clean.result.failed_at);
  CHECK(clean.result.duration == SimTime::Minutes(3));
  // Three failures in the last wave: 6 succeeded -> success.
  Scripted last = Run9(spec, {0, 0, 3});
  CHECK_FALSE(last.result.failed_at);
  // One failure in the first wave shrinks the next wave to 2; two more there exhaust the
  // allowance with 4 hosts left: at most 5 could succeed -> failed after two waves.
  Scripted early = Run9(spec, {1, 2});
  CHECK(early.batches == std::vector<int64_t>{3, 2});
  REQUIRE(early.result.failed_at);
  CHECK(*early.result.failed_at == SimTime::Minutes(2));
}

TEST_CASE("CodeDeploy FLEET_PERCENT 40 of 9: up to 5 at a time, succeeds iff at least 4 succeed",
          "[deploy][golden]") {
  const DeploySpec spec = CodeDeploy(Type::kFleetPercent, 40);
  CHECK(spec.minimum_healthy.For(9) == 4);  // 3.6 rounded up
  CHECK(spec.WaveSize(9) == 5);
  CHECK(Run9(spec, {0, 0}).batches == std::vector<int64_t>{5, 4});
  // 1 + 4 failures: exactly 4 succeeded -> success.
  CHECK_FALSE(Run9(spec, {1, 4}).result.failed_at);
  // 5 failures in the first wave: no host may go offline, 4 remain -> failure.
  CHECK(Run9(spec, {5}).result.failed_at);
}

TEST_CASE("CodeDeploy OneAtATime fails on any failure but the last host's", "[deploy][golden]") {
  const DeploySpec spec = CodeDeploy(Type::kHostCount, 8);  // N - 1: one instance at a time
  CHECK(spec.WaveSize(9) == 1);
  std::vector<int64_t> last_fails(9, 0);
  last_fails[8] = 1;
  CHECK_FALSE(Run9(spec, last_fails).result.failed_at);
  std::vector<int64_t> fifth_fails(9, 0);
  fifth_fails[4] = 1;
  Scripted s = Run9(spec, fifth_fails);
  REQUIRE(s.result.failed_at);
  CHECK(*s.result.failed_at == SimTime::Minutes(5));
  CHECK(s.batches.size() == 5);
}

TEST_CASE("CodeDeploy AllAtOnce succeeds if at least one instance succeeds", "[deploy][golden]") {
  const DeploySpec spec = CodeDeploy(Type::kHostCount, 0);
  CHECK(spec.WaveSize(9) == 9);
  CHECK_FALSE(Run9(spec, {8}).result.failed_at);
  CHECK(Run9(spec, {9}).result.failed_at);
  CHECK(Run9(spec, {0}).result.duration == SimTime::Minutes(1));
}

TEST_CASE("HalfAtATime (FLEET_PERCENT 50) of 9 keeps 5 healthy: waves of 4", "[deploy][golden]") {
  const DeploySpec spec = CodeDeploy(Type::kFleetPercent, 50);
  CHECK(spec.WaveSize(9) == 4);
  CHECK(Run9(spec, {0, 0, 0}).batches == std::vector<int64_t>{4, 4, 1});
}

// P(success) of random per-host failures against closed forms: OneAtATime needs the first
// N - 1 updates to succeed, (1-p)^(N-1); AllAtOnce needs one success, 1 - p^N.
TEST_CASE("success probabilities match the closed forms of OneAtATime and AllAtOnce",
          "[deploy][statistics]") {
  auto success_rate = [](const DeploySpec& spec, int trials) {
    int ok = 0;
    for (int t = 0; t < trials; ++t) {
      RandomStream rng(StreamKey{99, 0, StreamPurpose::kTest, static_cast<uint64_t>(t)});
      HostUpdateTally tally;
      ok += !PlanStepUpdate(spec, 9, 9, true, tally, rng).failed_at;
    }
    return static_cast<double>(ok) / trials;
  };
  const int trials = 20000;
  for (double p : {0.05, 0.2}) {
    DeploySpec one = CodeDeploy(Type::kHostCount, 8);
    one.host_failure_probability = p;
    const double expected = std::pow(1 - p, 8);
    INFO("OneAtATime p=" << p);
    CHECK(std::abs(success_rate(one, trials) - expected) <
          5 * std::sqrt(expected * (1 - expected) / trials));
  }
  DeploySpec all = CodeDeploy(Type::kHostCount, 0);
  all.host_failure_probability = 0.7;
  const double expected = 1 - std::pow(0.7, 9);
  CHECK(std::abs(success_rate(all, trials) - expected) <
        5 * std::sqrt(expected * (1 - expected) / trials));
}

TEST_CASE("fault tolerance fails a step whose failed share exceeds it", "[deploy]") {
  DeploySpec spec;
  spec.hosts_per_minute = 1000;
  spec.host_failure_probability = 0.5;
  spec.fault_tolerance = 0.05;
  HostUpdateTally tally;
  auto fail_n = [](int64_t k) { return [k](int64_t) { return k; }; };
  CHECK_FALSE(
      PlanStepUpdate(spec, 10000, 1000, false, tally, fail_n(50)).failed_at);  // 5.0%: allowed
  const StepUpdateResult over = PlanStepUpdate(spec, 10000, 1000, false, tally, fail_n(51));
  REQUIRE(over.failed_at);
  CHECK(*over.failed_at == SimTime::Minutes(1));  // judged when the step's updates end
}

// Through the engine: a 9-host fleet under big_bang with CodeDeploy's rules.
std::string NineHostWorld() {
  return "name: nine\nduration: 2h\nseed: 3\n"
         "fleet: {regions: [{name: r1, clusters: [{name: a, hosts: 9}]}]}\n"
         "traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}\n";
}

TEST_CASE("the engine deploys in CodeDeploy waves and rolls back a failed deployment",
          "[deploy][simulation]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(NineHostWorld(), "10m", ""));
  SECTION("HOST_COUNT 6 takes three one-minute waves") {
    const Policy policy = testing::PolicyFromYaml(
        "rollout: {kind: big_bang}\n"
        "deploy: {minimum_healthy_hosts: {host_count: 6}, host_update_time: 1m}\n");
    const ChangeOutcome o = RunReplica(scenario, policy, 1, 0).outcomes.at(0);
    REQUIRE(o.full_exposure_at);
    CHECK(*o.full_exposure_at == SimTime::Minutes(13));
  }
  SECTION(
      "every update failing fails the deployment in its first wave, stopped by the deploy system") {
    const Policy policy = testing::PolicyFromYaml(
        "rollout: {kind: big_bang}\n"
        "deploy: {minimum_healthy_hosts: {host_count: 6}, host_update_time: 1m, "
        "host_failure_probability: 1,"
        " rollback: instant}\n");
    const ChangeOutcome o = RunReplica(scenario, policy, 1, 0).outcomes.at(0);
    CHECK_FALSE(o.full_exposure_at);
    REQUIRE(o.stopped_by);
    CHECK(*o.stopped_by == StopSource::kDeployFailure);
    CHECK(o.final_state == FinalState::kRolledBack);
    CHECK_FALSE(o.false_positive);  // not a health verdict
  }
}

TEST_CASE("the policy's deploy block sets first-stage extra bake and instant rollback",
          "[deploy][simulation]") {
  const std::string world =
      "name: flat\nduration: 6h\nseed: 5\n"
      "fleet: {regions: [{name: r1, clusters: [{name: a, hosts: 10000}]}]}\n"
      "traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}\n"
      "deploy: {hosts_per_minute: 1000, rollback_hosts_per_minute: 100}\n";
  const std::string stages =
      "rollout: {kind: stages, stages: [{name: c, percent: 10, bake: 10m}, {name: all, percent: "
      "100, bake: 0s}]}\n";
  SECTION("extra bake of the first stage") {
    const Scenario scenario =
        testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(world, "10m", ""));
    const ChangeOutcome plain =
        RunReplica(scenario, testing::PolicyFromYaml(stages), 1, 0).outcomes.at(0);
    const ChangeOutcome extra =
        RunReplica(scenario,
                   testing::PolicyFromYaml(stages + "deploy: {first_stage_extra_bake: 1h}\n"), 1, 0)
            .outcomes.at(0);
    REQUIRE(plain.full_exposure_at);
    REQUIRE(extra.full_exposure_at);
    // 1,000 hosts in 1 minute, bake 10m, 9,000 hosts in 9 minutes.
    CHECK(*plain.full_exposure_at == SimTime::Minutes(10 + 1 + 10 + 9));
    CHECK(*extra.full_exposure_at - *plain.full_exposure_at == SimTime::Hours(1));
  }
  SECTION("instant rollback ends the impact when the verdict fails") {
    const Scenario scenario =
        testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(world, "10m", "fatal"));
    const std::string health =
        "health: {interval: 1m, checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n";
    const ChangeOutcome slow =
        RunReplica(scenario, testing::PolicyFromYaml(stages + health), 1, 0).outcomes.at(0);
    const ChangeOutcome fast =
        RunReplica(scenario,
                   testing::PolicyFromYaml(stages + health + "deploy: {rollback: instant}\n"), 1, 0)
            .outcomes.at(0);
    REQUIRE(slow.ttm());
    REQUIRE(fast.ttm());
    REQUIRE(fast.ttd());
    CHECK(*fast.ttm() == *fast.ttd());  // impact ends the moment it is detected
    CHECK(*slow.ttm() - *slow.ttd() >= SimTime::Minutes(9));  // ~1,000 hosts at 100/min
  }
}

TEST_CASE("a Conveyor phase fails when more host updates fail than its fault tolerance",
          "[deploy][simulation]") {
  // 10,000 hosts, 10% of updates fail: the 1,000-host first phase fails far more than 5% of its
  // updates (P(Binomial(1000, 0.1) <= 50) < 1e-8) and never more than 20% (P > 200 < 1e-20).
  const std::string world =
      "name: conveyor\nduration: 6h\nseed: 11\n"
      "fleet: {regions: [{name: r1, clusters: [{name: a, hosts: 10000}]}]}\n"
      "traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}\n"
      "deploy: {hosts_per_minute: 1000, host_failure_probability: 0.1}\n";
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(world, "10m", ""));
  auto run = [&](const std::string& tolerance) {
    return RunReplica(scenario,
                      testing::PolicyFromYaml(
                          "rollout: {kind: conveyor, phases: [{name: p1, scope: \"*\", amount: 10,"
                          " bake: 10m, fault_tolerance: " +
                          tolerance + "}]}\n"),
                      1, 0)
        .outcomes.at(0);
  };
  const ChangeOutcome strict = run("5%");
  REQUIRE(strict.stopped_by);
  CHECK(*strict.stopped_by == StopSource::kDeployFailure);
  CHECK(strict.detected_stage == -1);
  const ChangeOutcome lenient = run("20%");
  CHECK_FALSE(lenient.stopped_by);
  CHECK(lenient.full_exposure_at);
}

}  // namespace
}  // namespace fleetsim
