// Conformance suite run over every registered rollout kind (with the example parameters each
// kind documents): with perfect health a good change reaches 100% exactly at the closed-form
// time of its plan (deploy time of every move at the actuator's speed, or the flag propagation
// delay of every flip for traffic-share plans, or the whole fleet's deploy time for a blue/green
// provisioning step and none for its switch, + the bakes before the last step) and completes one
// final bake later; with a fatal fault and a sensitive check it never gets past its first exposed
// step.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "policies/rollout/rollout_registry.h"
#include "sim/scenario.h"
#include "sim/traffic.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

constexpr int64_t kHosts = 20000;
constexpr int64_t kRate = 4000;  // hosts per minute

Scenario ConformanceScenario(const std::string& injected_fault) {
  const char* world = R"(
name: conformance
duration: 2d
fleet:
  hosts: 20000
  clusters_per_region: 2
  regions: [{name: us-east, utc_offset: -5, traffic_share: 0.6}, {name: eu-west, utc_offset: 0, traffic_share: 0.4}]
traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}
deploy: {hosts_per_minute: 4000, rollback_hosts_per_minute: 8000}
)";
  return testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(world, "1h", injected_fault),
                                   "conformance.yaml");
}

Policy PolicyForKind(const KindDoc& doc, bool with_checks) {
  std::string yaml = "rollout: " + doc.example + "\n";
  if (with_checks)
    yaml += "health: {interval: 1m, checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n";
  return testing::PolicyFromYaml(yaml, doc.kind, doc.kind + ".yaml");
}

// The plan a change arriving at 1h gets in `scenario`.
RolloutPlan PlanFor(const Policy& policy, const Scenario& scenario) {
  const TrafficModel traffic(scenario.traffic, *scenario.fleet);
  ChangeInfo change;
  change.arrival = SimTime::Hours(1);
  return policy.rollout->MakePlan(change,
                                  PlanContext{scenario.fleet.get(), &traffic, change.arrival});
}

// Closed form of the actuator: hosts moved, summed over clusters, at kRate hosts per minute.
int64_t MoveMillis(const Fleet& fleet, const std::vector<double>& from,
                   const std::vector<double>& to) {
  double hosts = 0;
  for (size_t k = 0; k < fleet.clusters().size(); ++k) {
    hosts += std::abs(to[k] - from[k]) * static_cast<double>(fleet.clusters()[k].hosts);
  }
  return (std::llround(hosts) * 60'000 + kRate - 1) / kRate;
}

double HostShare(const Fleet& fleet, const std::vector<double>& targets) {
  double hosts = 0;
  for (size_t k = 0; k < fleet.clusters().size(); ++k)
    hosts += targets[k] * static_cast<double>(fleet.clusters()[k].hosts);
  return hosts / static_cast<double>(fleet.total_hosts());
}

TEST_CASE("every rollout kind brings a good change to 100% at its closed-form time",
          "[conformance]") {
  const Scenario scenario = ConformanceScenario("");
  for (const KindDoc& doc : RolloutKinds().Docs()) {
    INFO("kind " << doc.kind << ": " << doc.example);
    REQUIRE_FALSE(doc.example.empty());
    const Policy policy = PolicyForKind(doc, true);
    CHECK(policy.rollout->Kind() == doc.kind);
    const Fleet& fleet = *scenario.fleet;
    const RolloutPlan plan = PlanFor(policy, scenario);
    REQUIRE_FALSE(plan.steps.empty());
    REQUIRE(plan.steps.back().Full());
    int64_t full_ms = SimTime::Hours(1).millis();
    std::vector<double> at(fleet.clusters().size(), 0.0);
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      const std::vector<double> to = plan.steps[i].Targets(at.size());
      if (plan.unit == ExposureUnit::kTrafficShare) {
        full_ms += to != at ? plan.flag_propagation.millis() : 0;
      } else if (plan.steps[i].provision) {
        full_ms += MoveMillis(fleet, std::vector<double>(at.size(), 0.0),
                              std::vector<double>(at.size(), 1.0));
      } else if (!plan.steps[i].instant) {
        full_ms += MoveMillis(fleet, at, to);
      }
      at = to;
      if (i + 1 < plan.steps.size()) full_ms += plan.steps[i].bake.millis();
    }
    const ReplicaResult r = RunReplica(scenario, policy, 3, 0);
    REQUIRE(r.outcomes.size() == 1);
    const ChangeOutcome& o = r.outcomes[0];
    CHECK_FALSE(o.false_positive);
    REQUIRE(o.full_exposure_at.has_value());
    CHECK(o.full_exposure_at->millis() == full_ms);
    REQUIRE(o.completed_at.has_value());
    CHECK(o.completed_at->millis() == full_ms + plan.steps.back().bake.millis());
    CHECK(o.peak_exposed_fraction == 1.0);
  }
}

TEST_CASE("with a fatal fault and a sensitive check no kind passes its first exposed step",
          "[conformance]") {
  const Scenario scenario = ConformanceScenario("fatal");
  for (const KindDoc& doc : RolloutKinds().Docs()) {
    INFO("kind " << doc.kind);
    const Policy policy = PolicyForKind(doc, true);
    const Fleet& fleet = *scenario.fleet;
    const RolloutPlan plan = PlanFor(policy, scenario);
    size_t first = 0;
    while (HostShare(fleet, plan.steps[first].Targets(fleet.clusters().size())) == 0) ++first;
    const ReplicaResult r = RunReplica(scenario, policy, 3, 0);
    const ChangeOutcome& o = r.outcomes[0];
    CHECK(o.detected_by == DetectedBy::kAutomation);
    CHECK(o.detected_stage == static_cast<int>(first));
    CHECK(o.peak_exposed_fraction <=
          HostShare(fleet, plan.steps[first].Targets(fleet.clusters().size())) + 1e-12);
    CHECK(o.final_state == FinalState::kRolledBack);
  }
}

}  // namespace
}  // namespace fleetsim
