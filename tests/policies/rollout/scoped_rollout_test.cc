// Rollout kinds that target parts of the fleet: rings (cumulative named groups, bake growth,
// minimum gap between phases) and rcv (whole canary regions chosen by a fixed list, by current
// traffic, or by local time, then a nested policy for the rest), and their validation against
// the scenario's fleet.
#include <catch2/catch.hpp>

#include "analysis/experiment.h"
#include "analysis/monte_carlo.h"
#include "sim/deploy_actuator.h"
#include "sim/traffic.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

// Three regions with different sizes and time zones; 100-host buckets make shares exact.
const char* kWorld = R"(
name: regions
duration: 3d
fleet:
  buckets: 100
  regions:
    - {name: americas, utc_offset: -6, clusters: [{name: am1, hosts: 10000}, {name: am2, hosts: 10000}]}
    - {name: europe,   utc_offset: 1,  clusters: [{name: eu1, hosts: 10000}]}
    - {name: asia,     utc_offset: 8,  clusters: [{name: as1, hosts: 10000}]}
traffic: {requests_per_host_per_minute: 60, diurnal_amplitude: 0.5, peak_hour: 14}
deploy: {hosts_per_minute: 1000000, rollback_hosts_per_minute: 1000000}
)";

RolloutPlan PlanAt(const Policy& policy, const Scenario& scenario, SimTime now) {
  const TrafficModel traffic(scenario.traffic, *scenario.fleet);
  ChangeInfo change;
  change.arrival = now;
  return policy.rollout->MakePlan(change, PlanContext{scenario.fleet.get(), &traffic, now});
}

TEST_CASE("rings are cumulative, grow their bake and respect the minimum gap", "[rings]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", ""));
  const Policy policy = testing::PolicyFromYaml(R"(
rollout:
  kind: rings
  bake_growth: 2
  min_gap: 90m
  rings:
    - {name: canary, percent: 1, bake: 30m}
    - {name: europe, regions: [europe], bake: 1h}
    - {name: cluster, clusters: [am1], bake: 1h}
    - {name: global, bake: 1h}
)");
  const RolloutPlan plan = PlanAt(policy, scenario, SimTime::Hours(1));
  REQUIRE(plan.steps.size() == 4);
  // Cluster order: am1, am2, eu1, as1.
  CHECK(plan.steps[0].cluster_fractions == std::vector<double>{0.01, 0.01, 0.01, 0.01});
  CHECK(plan.steps[1].cluster_fractions == std::vector<double>{0.01, 0.01, 1.0, 0.01});
  CHECK(plan.steps[2].cluster_fractions == std::vector<double>{1.0, 0.01, 1.0, 0.01});
  CHECK(plan.steps[3].Full());
  // Bakes: 30m x 1 -> raised to the 90m gap; 1h x 2; 1h x 4; 1h x 8.
  CHECK(plan.steps[0].bake == SimTime::Minutes(90));
  CHECK(plan.steps[1].bake == SimTime::Hours(2));
  CHECK(plan.steps[2].bake == SimTime::Hours(4));
  CHECK(plan.steps[3].bake == SimTime::Hours(8));

  // A fatal change is stopped in the first ring: 1% of hosts.
  const Scenario fatal =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", "fatal"));
  const Policy checked = testing::PolicyFromYaml(R"(
rollout: {kind: rings, rings: [{name: canary, percent: 1, bake: 30m}, {name: europe, regions: [europe], bake: 1h}, {name: global, bake: 1h}]}
health: {interval: 1m, checks: [{kind: threshold, metric: error_rate, max: 0.05}]}
)");
  const ChangeOutcome o = RunReplica(fatal, checked, 1, 0).outcomes[0];
  CHECK(o.detected_stage_name == "canary");
  CHECK(o.peak_exposed_fraction == Approx(0.01).epsilon(1e-12));
}

TEST_CASE("rcv exposes whole canary regions first, then the nested policy elsewhere", "[rcv]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", ""));
  const Policy fixed = testing::PolicyFromYaml(R"(
rollout:
  kind: rcv
  canary_regions: {choose: fixed, regions: [asia]}
  bake: 2h
  then: {kind: stages, stages: [{name: p10, percent: 10, bake: 30m}, {name: all, percent: 100, bake: 30m}]}
)");
  const RolloutPlan plan = PlanAt(fixed, scenario, SimTime::Hours(1));
  REQUIRE(plan.steps.size() == 3);
  CHECK(plan.steps[0].cluster_fractions == std::vector<double>{0, 0, 0, 1});
  CHECK(plan.steps[0].bake == SimTime::Hours(2));
  CHECK(plan.steps[1].cluster_fractions == std::vector<double>{0.1, 0.1, 0.1, 1});
  CHECK(plan.steps[2].Full());
  CHECK(RunReplica(scenario, fixed, 1, 0).outcomes[0].full_exposure_at.has_value());
  // Caught in the canary region: asia is 10,000 of 40,000 hosts.
  const Scenario fatal =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", "fatal"));
  const Policy checked = testing::PolicyFromYaml(R"(
rollout: {kind: rcv, canary_regions: {choose: fixed, regions: [asia]}, bake: 2h, then: {kind: big_bang}}
health: {interval: 1m, checks: [{kind: threshold, metric: error_rate, max: 0.05}]}
)");
  const ChangeOutcome caught = RunReplica(fatal, checked, 1, 0).outcomes[0];
  CHECK(caught.detected_stage_name == "canary-regions");
  CHECK(caught.peak_exposed_fraction == 0.25);
}

TEST_CASE("rcv picks the busiest region, or the busiest one in business hours", "[rcv]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", ""));
  const Policy busiest = testing::PolicyFromYaml(
      "rollout: {kind: rcv, canary_regions: {choose: highest_traffic, count: 1}, bake: 1h, then: "
      "{kind: big_bang}}\n");
  const Policy office = testing::PolicyFromYaml(
      "rollout: {kind: rcv, canary_regions: {choose: local_time, count: 1, from_hour: 9, to_hour: "
      "17}, bake: 1h, "
      "then: {kind: big_bang}}\n");
  // Traffic ~ hosts x (1 + 0.5 cos(2 pi (local hour - 14) / 24)). At 20:00 UTC: americas 14:00
  // local (20,000 hosts x 1.5), europe 21:00, asia 04:00: americas is busiest and in office hours.
  CHECK(PlanAt(busiest, scenario, SimTime::Hours(20)).steps[0].cluster_fractions ==
        std::vector<double>{1, 1, 0, 0});
  // At 06:00 UTC: americas 00:00 (20,000 x 0.567 = 11,340), europe 07:00 (10,000 x 0.871),
  // asia 14:00 (10,000 x 1.5 = 15,000): asia is busiest.
  CHECK(PlanAt(busiest, scenario, SimTime::Hours(6)).steps[0].cluster_fractions ==
        std::vector<double>{0, 0, 0, 1});
  // At 10:00 UTC: europe 11:00 and asia 18:00; americas 04:00. Office hours: europe only.
  CHECK(PlanAt(office, scenario, SimTime::Hours(10)).steps[0].cluster_fractions ==
        std::vector<double>{0, 0, 1, 0});
}

TEST_CASE("rings can start with the smallest regions without naming them", "[rings]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", ""));
  // americas has 20,000 hosts, europe and asia 10,000 each: the smallest is europe (fleet order
  // breaks the tie), the two smallest europe and asia.
  const Policy policy = testing::PolicyFromYaml(R"(
rollout:
  kind: rings
  rings:
    - {name: canary, regions: {smallest: 1}, bake: 1h}
    - {name: pilot, regions: {smallest: 2}, bake: 1h}
    - {name: broad, bake: 1h}
)");
  const RolloutPlan plan = PlanAt(policy, scenario, SimTime::Hours(1));
  REQUIRE(plan.steps.size() == 3);
  CHECK(plan.steps[0].cluster_fractions == std::vector<double>{0, 0, 1, 0});
  CHECK(plan.steps[1].cluster_fractions == std::vector<double>{0, 0, 1, 1});
  const Policy too_many = testing::PolicyFromYaml(
      "rollout: {kind: rings, rings: [{regions: {smallest: 4}, bake: 1h}, {bake: 1h}]}\n");
  CHECK_THAT(too_many.rollout->Validate(*scenario.fleet).message(),
             Catch::Contains("the fleet has 3 regions"));
}

TEST_CASE("conveyor phases are cumulative and the completion phase always reaches 100%",
          "[conveyor]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", ""));
  // A plan that, without the implicit completion phase, would leave asia and am2 unpushed.
  const Policy policy = testing::PolicyFromYaml(R"(
rollout:
  kind: conveyor
  completion_bake: 15m
  phases:
    - {name: one-percent, scope: "*", amount: 1, bake: 30m}
    - {name: europe, scope: europe, bake: 1h}
    - {name: cluster, scope: [am1], amount: 50, bake: 1h}
)");
  const RolloutPlan plan = PlanAt(policy, scenario, SimTime::Hours(1));
  REQUIRE(plan.steps.size() == 4);
  CHECK(plan.steps[0].cluster_fractions == std::vector<double>{0.01, 0.01, 0.01, 0.01});
  CHECK(plan.steps[1].cluster_fractions == std::vector<double>{0.01, 0.01, 1.0, 0.01});
  CHECK(plan.steps[2].cluster_fractions == std::vector<double>{0.5, 0.01, 1.0, 0.01});
  CHECK(plan.steps[3].name == "completion");
  CHECK(plan.steps[3].Full());
  CHECK(plan.steps[3].bake == SimTime::Minutes(15));
  const ChangeOutcome o = RunReplica(scenario, policy, 1, 0).outcomes[0];
  CHECK(o.peak_exposed_fraction == 1.0);
  CHECK(o.final_state == FinalState::kCompleted);
  const Policy typo =
      testing::PolicyFromYaml("rollout: {kind: conveyor, phases: [{scope: eurpoe, bake: 1h}]}\n");
  CHECK_THAT(typo.rollout->Validate(*scenario.fleet).message(),
             Catch::Contains("'eurpoe' is neither a region nor a cluster of the fleet"));
}

TEST_CASE("scoped policies naming regions the fleet lacks are rejected before a run",
          "[rcv][rings]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", ""));
  const Policy bad = testing::PolicyFromYaml(
      "rollout: {kind: rings, rings: [{name: r, regions: [antarctica], bake: 1h}, {name: all, "
      "bake: 1h}]}\n");
  const Status st = bad.rollout->Validate(*scenario.fleet);
  REQUIRE_FALSE(st.ok());
  CHECK_THAT(
      st.message(),
      Catch::Contains("unknown region 'antarctica' (the fleet has: americas, europe, asia)"));
  const Policy rcv = testing::PolicyFromYaml(
      "rollout: {kind: rcv, canary_regions: {choose: highest_traffic, count: 3}, bake: 1h, then: "
      "{kind: big_bang}}\n");
  CHECK_THAT(rcv.rollout->Validate(*scenario.fleet).message(),
             Catch::Contains("leaves no region for the rest"));
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

TEST_CASE("rcv lowest_failure_history picks the regions with the fewest incidents", "[rcv]") {
  const std::string world = std::string(kWorld).replace(std::string(kWorld).find("utc_offset: -6,"),
                                                        15, "utc_offset: -6, failure_history: 3,");
  std::string with_history = world;
  with_history.replace(with_history.find("utc_offset: 8,"), 14,
                       "utc_offset: 8, failure_history: 1,");
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(with_history, "1h", ""));
  auto policy = [](int count) {
    return testing::PolicyFromYaml(
        "rollout: {kind: rcv, canary_regions: {choose: lowest_failure_history, count: " +
        std::to_string(count) + "}, bake: 1h, then: {kind: big_bang}}\n");
  };
  // americas 3 incidents, europe 0, asia 1: europe first, then asia.
  CHECK(PlanAt(policy(1), scenario, SimTime::Hours(1)).steps[0].cluster_fractions ==
        std::vector<double>{0, 0, 1, 0});
  CHECK(PlanAt(policy(2), scenario, SimTime::Hours(1)).steps[0].cluster_fractions ==
        std::vector<double>{0, 0, 1, 1});
}

TEST_CASE("incidents during the run move the next change's canary region elsewhere", "[rcv]") {
  // Two fatal changes; the first one's canary region counts an incident, so the second change
  // (equal history otherwise) validates in another region.
  struct RegionProbe : SimObserver {
    void OnRegionImpacted(int64_t change, int region, SimTime) override {
      hits.emplace_back(change, region);
    }
    std::vector<std::pair<int64_t, int>> hits;
  };
  std::string yaml =
      std::string(kWorld) +
      "signals: {base_error_rate: 0.001}\nfaults: [{name: fatal, error_rate_increase: 0.5}]\n"
      "humans: {enabled: false}\nchanges: {injected: [{at: 1h, fault: fatal}, {at: 5h, fault: "
      "fatal}]}\n";
  const Scenario scenario = testing::ScenarioFromYaml(yaml);
  const Policy policy = testing::PolicyFromYaml(
      "rollout: {kind: rcv, canary_regions: {choose: lowest_failure_history, count: 1}, bake: 1h, "
      "then: {kind: big_bang}}\n"
      "health: {interval: 1m, checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n");
  RegionProbe probe;
  RunReplica(scenario, policy, 1, 0, &probe);
  REQUIRE(probe.hits.size() == 2);
  CHECK(probe.hits[0].first == 0);
  CHECK(probe.hits[1].first == 1);
  CHECK(probe.hits[0].second != probe.hits[1].second);
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

TEST_CASE("a first ring of N canary hosts is kept by the later rings", "[rings][hosts_step]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "1h", ""));
  const Policy policy = testing::PolicyFromYaml(R"(
rollout:
  kind: rings
  rings:
    - {name: dogfood, hosts: 50, bake: 30m}
    - {name: europe, regions: [europe], bake: 1h}
    - {name: global, bake: 1h}
)");
  const RolloutPlan plan = PlanAt(policy, scenario, SimTime::Hours(1));
  REQUIRE(plan.steps.size() == 3);
  const Fleet& fleet = *scenario.fleet;
  for (double offset : {0.0, 0.3, 0.6, 0.9}) {
    INFO("offset " << offset);
    const ClusterFractions dogfood = StepTargets(fleet, plan.steps[0], offset);
    const ClusterFractions europe = StepTargets(fleet, plan.steps[1], offset);
    CHECK(ExposedHosts(fleet, dogfood, offset) == 50);
    // europe (10,000 hosts) plus the 50 dogfood hosts unless they already sit in europe.
    const bool in_europe = dogfood[2] > 0;
    CHECK(ExposedHosts(fleet, europe, offset) == (in_europe ? 10000 : 10050));
    for (size_t k = 0; k < dogfood.size(); ++k) CHECK(europe[k] >= dogfood[k]);
  }
  CHECK(plan.steps[2].Full());
  CHECK_FALSE(plan.steps[1].Full());
}

}  // namespace
}  // namespace fleetsim
