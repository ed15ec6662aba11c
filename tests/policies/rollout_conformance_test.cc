// Conformance suite run over every registered rollout kind (with the example parameters each
// kind documents): with perfect health a good change reaches 100% exactly at the closed-form
// time of its plan (deploy time of every move at the actuator's speed + the bakes before the
// last step) and completes one final bake later; with a fatal fault and a sensitive check it
// never gets past its first exposed step.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "policies/rollout/rollout_registry.h"
#include "sim/scenario.h"
#include "sim/yaml_reader.h"

namespace fleetsim {
namespace {

constexpr int64_t kHosts = 20000;
constexpr int64_t kRate = 4000;  // hosts per minute

Scenario ConformanceScenario(const std::string& injected_fault) {
  const std::string yaml = R"(
name: conformance
duration: 2d
fleet: {hosts: 20000, clusters_per_region: 2, regions: [{name: a}, {name: b}]}
traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}
signals: {base_error_rate: 0.001}
deploy: {hosts_per_minute: 4000, rollback_hosts_per_minute: 8000}
faults: [{name: fatal, error_rate_increase: 0.5}]
humans: {enabled: false}
changes: {injected: [{at: 1h)" + (injected_fault.empty() ? std::string("") : ", fault: " + injected_fault) + "}]}\n";
  Result<Scenario> s = ParseScenario(yaml, "conformance.yaml");
  INFO(s.status().message());
  REQUIRE(s.ok());
  return std::move(s).value();
}

Policy PolicyForKind(const KindDoc& doc, bool with_checks) {
  std::string file = doc.kind + ".yaml";
  std::string yaml = "rollout: " + doc.example + "\n";
  if (with_checks) yaml += "health: {interval: 1m, checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n";
  Policy p;
  Status st = CatchConfigErrors([&] { p = ParsePolicyNode(ParseYamlText(yaml, &file), doc.kind); });
  INFO(st.message());
  REQUIRE(st.ok());
  return p;
}

int64_t MoveMillis(double from, double to) {
  const int64_t hosts = std::llround(std::abs(to - from) * kHosts);
  return (hosts * 60'000 + kRate - 1) / kRate;
}

TEST_CASE("every rollout kind brings a good change to 100% at its closed-form time", "[conformance]") {
  const Scenario scenario = ConformanceScenario("");
  for (const KindDoc& doc : RolloutKinds().Docs()) {
    INFO("kind " << doc.kind << ": " << doc.example);
    REQUIRE_FALSE(doc.example.empty());
    const Policy policy = PolicyForKind(doc, true);
    const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
    REQUIRE(plan.steps.back().fraction == 1.0);
    int64_t full_ms = SimTime::Hours(1).millis();
    double at = 0;
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      full_ms += MoveMillis(at, plan.steps[i].fraction);
      at = plan.steps[i].fraction;
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

TEST_CASE("with a fatal fault and a sensitive check no kind passes its first exposed step", "[conformance]") {
  const Scenario scenario = ConformanceScenario("fatal");
  for (const KindDoc& doc : RolloutKinds().Docs()) {
    INFO("kind " << doc.kind);
    const Policy policy = PolicyForKind(doc, true);
    const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
    size_t first = 0;
    while (plan.steps[first].fraction == 0) ++first;
    const ReplicaResult r = RunReplica(scenario, policy, 3, 0);
    const ChangeOutcome& o = r.outcomes[0];
    CHECK(o.detected_by == DetectedBy::kAutomation);
    CHECK(o.detected_stage == static_cast<int>(first));
    CHECK(o.peak_exposed_fraction <= plan.steps[first].fraction + 1e-12);
    CHECK(o.final_state == FinalState::kRolledBack);
  }
}

}  // namespace
}  // namespace fleetsim
