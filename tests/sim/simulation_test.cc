// End-to-end behaviour of one replica against closed forms:
//  - timing: a good change under `stages` reaches 100% exactly at arrival + the bakes of the
//    stages before the last + the deploy time of every stage (hosts moved / hosts_per_minute),
//    and completes one final bake later;
//  - a bad change with a large error increase is caught in the first stage, with blast radius
//    equal to the first stage's host fraction; under big_bang its blast radius is 1.0 and it
//    escapes;
//  - conservation: exposure never exceeds the fleet and returns to 0 after a rollback.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::kStagesPolicyYaml;
using testing::PolicyFromYaml;
using testing::ScenarioFromYaml;

// 10,000 hosts in 2 clusters of 100 buckets; no noise; deploy 1,000 hosts per minute.
std::string ScenarioYaml(const std::string& injected) {
  return testing::TenThousandHostScenarioYaml("timing", injected);
}

TEST_CASE("a good change under stages reaches 100% at the sum of bakes plus deploy time",
          "[simulation][timing]") {
  Scenario scenario = ScenarioFromYaml(ScenarioYaml("    - {at: 10m}\n"));
  Policy policy = PolicyFromYaml(kStagesPolicyYaml);
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.outcomes.size() == 1);
  const ChangeOutcome& o = r.outcomes[0];
  // Closed form: hosts moved per stage / 1000 hosts per minute, in ms, rounded up.
  auto deploy_ms = [](int64_t hosts) { return (hosts * 60'000 + 999) / 1000; };
  const int64_t deploy = deploy_ms(100) + deploy_ms(400) + deploy_ms(2000) + deploy_ms(7500);
  const SimTime bakes_before_last = SimTime::Minutes(30) + SimTime::Hours(1) + SimTime::Hours(1);
  const SimTime expected_full = SimTime::Minutes(10) + bakes_before_last + SimTime::Millis(deploy);
  REQUIRE(o.full_exposure_at.has_value());
  CHECK(o.full_exposure_at->millis() == expected_full.millis());
  REQUIRE(o.completed_at.has_value());
  CHECK(o.completed_at->millis() == (expected_full + SimTime::Hours(1)).millis());
  CHECK(o.lead_time()->millis() == (expected_full - SimTime::Minutes(10)).millis());
  CHECK(o.final_state == FinalState::kCompleted);
  CHECK_FALSE(o.false_positive);
  CHECK(o.peak_exposed_fraction == 1.0);
  // Exposure integral: piecewise linear, so the exact area is computable by hand.
  // Holding phases: 100 hosts x 30 min, 500 x 60, 2500 x 60, 10000 x (12h - full).
  const double ramps = 0.5 * (0 + 100) * 0.1 + 0.5 * (100 + 500) * 0.4 + 0.5 * (500 + 2500) * 2.0 +
                       0.5 * (2500 + 10000) * 7.5;
  const double holds = 100 * 30.0 + 500 * 60.0 + 2500 * 60.0 +
                       10000 * (SimTime::Hours(12) - expected_full).minutes();
  CHECK(o.exposed_host_minutes == Approx(ramps + holds).epsilon(1e-9));
}

TEST_CASE("a fatal change is caught in the first stage, with blast radius = the first stage",
          "[simulation][blast_radius]") {
  Scenario scenario = ScenarioFromYaml(ScenarioYaml("    - {at: 10m, fault: fatal}\n"));
  Policy policy = PolicyFromYaml(kStagesPolicyYaml);
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.outcomes.size() == 1);
  const ChangeOutcome& o = r.outcomes[0];
  CHECK(o.bad);
  CHECK(o.detected_by == DetectedBy::kAutomation);
  CHECK(o.detected_stage == 0);
  CHECK(o.detected_stage_name == "canary");
  CHECK(o.peak_exposed_fraction == 100.0 / 10000.0);
  CHECK_FALSE(o.escaped);
  CHECK(o.final_state == FinalState::kRolledBack);
  // Impact starts with the rollout; the first verdict is one interval later.
  CHECK(o.impact_start->millis() == SimTime::Minutes(10).millis());
  CHECK(o.ttd()->millis() == SimTime::Minutes(1).millis());
  // Rollback of 100 hosts at 2000 hosts/minute takes 3 s after the verdict.
  CHECK(o.ttm()->millis() == SimTime::Minutes(1).millis() + 3000);
}

TEST_CASE("under big_bang the same change exposes the whole fleet and escapes",
          "[simulation][blast_radius]") {
  Scenario scenario = ScenarioFromYaml(ScenarioYaml("    - {at: 10m, fault: fatal}\n"));
  Policy policy = PolicyFromYaml("rollout: {kind: big_bang}\n");
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.outcomes.size() == 1);
  const ChangeOutcome& o = r.outcomes[0];
  CHECK(o.bad);
  CHECK(o.peak_exposed_fraction == 1.0);
  CHECK(o.escaped);
  CHECK(o.detected_by == DetectedBy::kNone);  // no checks, humans disabled
  CHECK_FALSE(o.ttm().has_value());
  // Half of all requests fail while the fault is everywhere: about 0.5 of the traffic.
  CHECK(o.impacted_traffic_peak == Approx(1.0).margin(1e-12));
}

TEST_CASE("people roll back what automation missed, after alert and response time",
          "[simulation][humans]") {
  std::string yaml = ScenarioYaml("    - {at: 10m, fault: fatal}\n");
  yaml.replace(
      yaml.find("humans: {enabled: false}"), std::string("humans: {enabled: false}").size(),
      "humans: {alert: {error_rate: 0.01, for: 5m}, response_time: {median: 20m, sigma: 0}}");
  Scenario scenario = ScenarioFromYaml(yaml);
  Policy policy = PolicyFromYaml("rollout: {kind: big_bang}\n");
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  const ChangeOutcome& o = r.outcomes[0];
  CHECK(o.detected_by == DetectedBy::kHuman);
  // Deploy 10,000 hosts at 1,000/min: errors exceed 1% from the first minute after 10m (the
  // tick at 11m), the alert holds 5 minutes (fires at the 15m tick), the response takes 20m.
  CHECK(o.detected_at->millis() == SimTime::Minutes(35).millis());
  // Rollback of 10,000 hosts at 2,000/min: 5 more minutes.
  CHECK(o.impact_end->millis() == SimTime::Minutes(40).millis());
}

}  // namespace
}  // namespace fleetsim
