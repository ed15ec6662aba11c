// Health policy counting rules and actions in the engine: consecutive failure limits,
// inconclusive handling (ignore / fail / pause), pausing for a person's review (who rolls back
// a change at fault and resumes a healthy one), and dry runs that judge but never act (and so
// detect nothing).
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

// 10,000 hosts, fast deploys; people respond in exactly 20 minutes; alerts effectively off.
const char* kWorld = R"(
name: actions
duration: 8h
fleet: {hosts: 10000, clusters_per_region: 2, regions: [{name: a}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
deploy: {hosts_per_minute: 1000000, rollback_hosts_per_minute: 1000000}
)";

Scenario World(const std::string& fault) {
  std::string yaml = testing::SingleChangeScenarioYaml(kWorld, "1h", fault);
  const std::string off = "humans: {enabled: false}";
  yaml.replace(
      yaml.find(off), off.size(),
      "humans: {alert: {error_rate: 0.99, for: 1h}, response_time: {median: 20m, sigma: 0}}");
  return testing::ScenarioFromYaml(yaml);
}

Policy WithHealth(const std::string& health) {
  return testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{name: canary, percent: 10, bake: 30m}, {name: all, "
      "percent: 100, bake: 30m}]}\n"
      "health: " +
      health + "\n");
}

// Moves of 1,000 and 10,000 hosts at 1,000,000 hosts/minute take 60 and 600 ms.
constexpr int64_t kCanaryMove = 60;

TEST_CASE("a consecutive failure limit stops a change after that many failures in a row",
          "[health_actions]") {
  const Policy p = WithHealth(
      "{interval: 1m, failure_limit: 100, consecutive_failure_limit: 3, "
      "checks: [{kind: threshold, metric: error_rate, max: 0.05}]}");
  const ChangeOutcome o = RunReplica(World("fatal"), p, 1, 0).outcomes[0];
  CHECK(o.failing_verdicts == 3);
  // Detection is the stop the three counted towards (DESIGN §5: detection means acted on).
  CHECK(o.ttd()->millis() == SimTime::Minutes(3).millis());
  CHECK(o.unacted_verdicts == 0);
  // Verdicts at 1h01, 1h02, 1h03: the third starts the rollback of 1,000 hosts (60 ms).
  CHECK(o.impact_end->millis() == (SimTime::Hours(1) + SimTime::Minutes(3)).millis() + kCanaryMove);
}

TEST_CASE("pause pages a person who rolls back a change at fault", "[health_actions]") {
  const Policy p = WithHealth(
      "{interval: 1m, on_failure: pause, checks: [{kind: threshold, metric: error_rate, max: "
      "0.05}]}");
  const ChangeOutcome o = RunReplica(World("fatal"), p, 1, 0).outcomes[0];
  CHECK(o.pauses == 1);
  CHECK(o.detected_by == DetectedBy::kAutomation);
  CHECK(o.peak_exposed_fraction == 0.1);
  // Paused at the first failing verdict (1h01), reviewed 20 minutes later, rolled back.
  CHECK(o.impact_end->millis() ==
        (SimTime::Hours(1) + SimTime::Minutes(21)).millis() + kCanaryMove);
  CHECK(o.final_state == FinalState::kRolledBack);
}

TEST_CASE("pause lets a person resume a healthy change, which counts as a false positive",
          "[health_actions]") {
  // A check that always fails (any error at all) on a good change.
  const Policy p = WithHealth(
      "{interval: 1m, on_failure: pause, checks: [{kind: threshold, metric: error_rate, max: 0}]}");
  const ChangeOutcome o = RunReplica(World(""), p, 1, 0).outcomes[0];
  CHECK(o.false_positive);
  CHECK(o.pauses >= 2);  // resumed, failed again, paused again...
  CHECK(o.final_state != FinalState::kRolledBack);
  CHECK(o.peak_exposed_fraction == 0.1);
}

TEST_CASE("inconclusive verdicts are ignored, failed or paused as configured", "[health_actions]") {
  const std::string starved =
      "min_requests: 1000000000, checks: [{kind: threshold, metric: error_rate, max: 0.05}]";
  const ChangeOutcome ignored =
      RunReplica(World(""), WithHealth("{interval: 1m, " + starved + "}"), 1, 0).outcomes[0];
  CHECK(ignored.final_state == FinalState::kCompleted);
  CHECK_FALSE(ignored.false_positive);
  const ChangeOutcome failed =
      RunReplica(World(""), WithHealth("{interval: 1m, on_inconclusive: fail, " + starved + "}"), 1,
                 0)
          .outcomes[0];
  CHECK(failed.false_positive);
  CHECK(failed.final_state == FinalState::kRolledBack);
  const ChangeOutcome paused =
      RunReplica(World(""), WithHealth("{interval: 1m, on_inconclusive: pause, " + starved + "}"),
                 1, 0)
          .outcomes[0];
  CHECK(paused.pauses >= 1);
  CHECK(paused.false_positive);
}

TEST_CASE("a dry run judges and reports but never acts", "[health_actions]") {
  const Policy p = WithHealth(
      "{interval: 1m, dry_run: true, checks: [{kind: threshold, metric: error_rate, max: 0.05}]}");
  const ChangeOutcome o = RunReplica(World("fatal"), p, 1, 0).outcomes[0];
  CHECK(o.dry_run_stops >= 1);
  CHECK(o.failing_verdicts >= 1);
  // Nothing acts on the verdicts, so they detect nothing (DESIGN §5): each stop it would have
  // made is an unacted verdict (failure_limit 1: one failing verdict each); no people here...
  CHECK(o.unacted_verdicts == o.dry_run_stops);
  CHECK(o.detected_by == DetectedBy::kNone);
  CHECK(o.escaped);
  // ...and the change reaches everyone and stays.
  CHECK(o.peak_exposed_fraction == 1.0);
  CHECK(o.final_state == FinalState::kCompleted);
  CHECK_FALSE(o.ttm().has_value());
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

TEST_CASE("a manual gate waits for a person to promote (Argo pause without duration)",
          "[manual_gate]") {
  const Policy p = testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{name: canary, percent: 10, bake: manual}, {name: all, "
      "percent: 100, bake: 0s}]}\n");
  const ChangeOutcome o = RunReplica(World(""), p, 1, 0).outcomes[0];
  // Arrives at 1h; 1,000 hosts move in 60 ms; the person promotes 20 minutes later; the
  // remaining 9,000 hosts move in 540 ms.
  REQUIRE(o.full_exposure_at.has_value());
  CHECK(o.full_exposure_at->millis() ==
        (SimTime::Hours(1) + SimTime::Minutes(20)).millis() + 60 + 540);
}

}  // namespace
}  // namespace fleetsim
