// blue_green (Argo blueGreen): the switch exposes everything at once; while the old fleet is
// kept a rollback is an instant switch back; after scale-down it is a redeploy at the rollback
// speed; without auto-promotion a person promotes.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

// 20,000 hosts deployed at 4,000/min (the green fleet takes 5 minutes), rolled back at
// 8,000/min; people alert on 5% fleet errors held 2 minutes and respond in exactly 10 minutes.
std::string World(const std::string& fault, bool people) {
  return std::string(R"(
name: blue-green
duration: 6h
fleet: {hosts: 20000, clusters_per_region: 2, regions: [{name: a}, {name: b}]}
traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}
deploy: {hosts_per_minute: 4000, rollback_hosts_per_minute: 8000}
signals: {base_error_rate: 0.001}
faults: [{name: fatal, error_rate_increase: 0.5}]
)") +
         (people ? "humans: {alert: {error_rate: 0.05, for: 2m}, response_time: {median: 10m, "
                   "sigma: 0}}\n"
                 : "humans: {enabled: false}\n") +
         "changes: {injected: [{at: 1h" + (fault.empty() ? "" : ", fault: " + fault) + "}]}\n";
}

const char* const kChecks =
    "health: {interval: 1m, checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n";

TEST_CASE("blue_green switches all traffic once the green fleet is up", "[blue_green]") {
  const Policy policy =
      testing::PolicyFromYaml("rollout: {kind: blue_green, auto_promotion_seconds: 2m}\n");
  const ChangeOutcome o =
      RunReplica(testing::ScenarioFromYaml(World("", false)), policy, 1, 0).outcomes.at(0);
  REQUIRE(o.full_exposure_at);
  CHECK(*o.full_exposure_at == SimTime::Hours(1) + SimTime::Minutes(5 + 2));
  REQUIRE(o.completed_at);
  CHECK(*o.completed_at - *o.full_exposure_at == SimTime::Seconds(30));  // scaleDownDelaySeconds
}

TEST_CASE("a failed post-promotion verdict switches back at once", "[blue_green]") {
  const Policy policy = testing::PolicyFromYaml(
      std::string("rollout: {kind: blue_green, post_promotion_bake: 10m}\n") + kChecks);
  const ChangeOutcome o =
      RunReplica(testing::ScenarioFromYaml(World("fatal", false)), policy, 1, 0).outcomes.at(0);
  CHECK(o.peak_exposed_fraction == 1.0);  // no canary: everything is exposed at the switch
  CHECK(o.detected_by == DetectedBy::kAutomation);
  REQUIRE(o.ttd());
  REQUIRE(o.ttm());
  CHECK(*o.ttm() == *o.ttd());
  CHECK(o.final_state == FinalState::kRolledBack);
}

TEST_CASE("after scale-down a rollback is a redeploy at the rollback speed", "[blue_green]") {
  // No automated checks: people find the fault after the old fleet is gone (30 s after the
  // switch) and roll back 20,000 hosts at 8,000/min: 2.5 minutes.
  const Policy policy = testing::PolicyFromYaml("rollout: {kind: blue_green}\n");
  const ChangeOutcome o =
      RunReplica(testing::ScenarioFromYaml(World("fatal", true)), policy, 1, 0).outcomes.at(0);
  CHECK(o.detected_by == DetectedBy::kHuman);
  REQUIRE(o.ttd());
  REQUIRE(o.ttm());
  CHECK(*o.ttm() - *o.ttd() == SimTime::Millis(150'000));
}

TEST_CASE("without auto-promotion a person promotes after the response time", "[blue_green]") {
  const Policy policy =
      testing::PolicyFromYaml("rollout: {kind: blue_green, auto_promotion: false}\n");
  const ChangeOutcome o =
      RunReplica(testing::ScenarioFromYaml(World("", true)), policy, 1, 0).outcomes.at(0);
  REQUIRE(o.full_exposure_at);
  CHECK(*o.full_exposure_at == SimTime::Hours(1) + SimTime::Minutes(5 + 10));
}

}  // namespace
}  // namespace fleetsim
