// Mitigation under the fault model's infrastructure and people keys, against exact closed forms
// on the noise-free 10,000-host scenario of the simulation tests (deploy 1,000 hosts/min, roll
// back 2,000 hosts/min, fault `fatal` = +50% errors, stages 1/5/25/100% judged every minute):
//  - blocks_rollback extends time to mitigate by exactly the (sigma 0) repair time;
//  - a bypass push reaches 100% at its propagation delay whatever the policy, unjudged;
//  - broken automation: disabled, delayed or failing rollbacks;
//  - people: misdiagnosis adds its delay, a kill switch mitigates at once.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::kStagesPolicyYaml;
using testing::PolicyFromYaml;
using testing::ReplaceFirst;
using testing::ScenarioFromYaml;

std::string World(const std::string& injected,
                  const std::string& fault = "{name: fatal, error_rate_increase: 0.5}",
                  const std::string& extra = "") {
  std::string yaml = testing::TenThousandHostScenarioYaml("incident", injected);
  yaml = ReplaceFirst(yaml, "  - {name: fatal, error_rate_increase: 0.5}", "  - " + fault);
  return yaml + extra;
}

ChangeOutcome RunOne(const std::string& yaml, const std::string& policy_yaml = kStagesPolicyYaml) {
  Scenario scenario = ScenarioFromYaml(yaml);
  Policy policy = PolicyFromYaml(policy_yaml);
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.outcomes.size() >= 1);
  return r.outcomes[0];
}

TEST_CASE("blocks-rollback extends time to mitigate by the repair time", "[incident]") {
  const ChangeOutcome plain = RunOne(World("    - {at: 10m, fault: fatal}\n"));
  const ChangeOutcome blocked =
      RunOne(World("    - {at: 10m, fault: fatal}\n",
                   "{name: fatal, error_rate_increase: 0.5, blocks_rollback: {repair: 2h}}"));
  // Caught by the first verdict (1m); rolling back 100 hosts at 2,000/min takes 3 s.
  REQUIRE(plain.ttm().has_value());
  CHECK(plain.ttm()->millis() == SimTime::Minutes(1).millis() + 3000);
  REQUIRE(blocked.ttm().has_value());
  CHECK(blocked.ttm()->millis() == (SimTime::Hours(2) + SimTime::Minutes(1)).millis() + 3000);
  CHECK(blocked.detected_at->millis() == plain.detected_at->millis());
}

TEST_CASE("a global bypass push exposes 100% within its propagation delay whatever the policy",
          "[incident]") {
  for (const char* policy : {kStagesPolicyYaml, "rollout: {kind: big_bang}\n",
                             "rollout: {kind: canary, percent: 1, bake: 5h}\n"}) {
    INFO(policy);
    const ChangeOutcome o =
        RunOne(World("    - {at: 10m, fault: fatal, bypass: {propagation: 30s}}\n"), policy);
    REQUIRE(o.full_exposure_at.has_value());
    CHECK(o.full_exposure_at->millis() == (SimTime::Minutes(10) + SimTime::Seconds(30)).millis());
    CHECK(o.peak_exposed_fraction == 1.0);
    // No automated check judges it (people are off here): it is never stopped.
    CHECK(o.detected_by == DetectedBy::kNone);
    CHECK(o.final_state == FinalState::kCompleted);
  }
}

TEST_CASE("a bypass push reaches each region after that region's propagation delay", "[incident]") {
  std::string yaml =
      World("    - {at: 10m, fault: fatal, bypass: {propagation: 30s, regions: {r2: 5m}}}\n");
  yaml = ReplaceFirst(
      yaml, "    - {name: r1, clusters: [{name: a, hosts: 5000}, {name: b, hosts: 5000}]}",
      "    - {name: r1, clusters: [{name: a, hosts: 5000}]}\n    - {name: r2, clusters: [{name: b, "
      "hosts: 5000}]}");
  Scenario scenario = ScenarioFromYaml(yaml);
  Policy policy = PolicyFromYaml(kStagesPolicyYaml);
  struct Exposure : SimObserver {
    std::vector<std::pair<SimTime, int64_t>> points;
    void OnExposure(int64_t, SimTime t, int64_t hosts) override { points.emplace_back(t, hosts); }
  } log;
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0, &log);
  const ChangeOutcome& o = r.outcomes.at(0);
  CHECK(o.full_exposure_at->millis() == (SimTime::Minutes(15)).millis());
  // r1 (5,000 hosts) at 10m30s, all 10,000 at 15m; nothing before 10m30s.
  bool half_seen = false;
  for (const auto& [t, hosts] : log.points) {
    if (t < SimTime::Minutes(10) + SimTime::Seconds(30)) CHECK(hosts == 0);
    if (hosts == 5000) {
      half_seen = true;
      CHECK(t >= SimTime::Minutes(10) + SimTime::Seconds(30));
      CHECK(t <= SimTime::Minutes(15));
    }
  }
  CHECK(half_seen);
}

TEST_CASE("broken automation: a verdict that never reaches the push, a late or a lost rollback",
          "[incident]") {
  const std::string change = "    - {at: 10m, fault: fatal}\n";
  const ChangeOutcome disabled = RunOne(
      World(change, "{name: fatal, error_rate_increase: 0.5}", "automation: {enabled: false}\n"));
  CHECK(disabled.final_state == FinalState::kCompleted);
  CHECK(disabled.peak_exposed_fraction == 1.0);
  CHECK(disabled.failing_verdicts > 0);

  const ChangeOutcome late = RunOne(World(change, "{name: fatal, error_rate_increase: 0.5}",
                                          "automation: {rollback_delay: 10m}\n"));
  CHECK(late.final_state == FinalState::kRolledBack);
  // The verdict at 1m, the orchestrator acts 10 minutes later, 100 hosts back in 3 s.
  CHECK(late.ttm()->millis() == SimTime::Minutes(11).millis() + 3000);

  const ChangeOutcome lost = RunOne(World(change, "{name: fatal, error_rate_increase: 0.5}",
                                          "automation: {rollback_failure_probability: 1}\n"));
  CHECK(lost.final_state == FinalState::kCompleted);
  CHECK(lost.peak_exposed_fraction == 1.0);
}

std::string PeopleWorld(const std::string& humans) {
  std::string yaml = World("    - {at: 10m, fault: fatal}\n");
  return ReplaceFirst(
      yaml, "humans: {enabled: false}",
      "humans: {alert: {error_rate: 0.01, for: 5m}, response_time: {median: 20m, sigma: 0}" +
          humans + "}");
}

TEST_CASE("people: misdiagnosis adds its delay, a kill switch mitigates at once", "[incident]") {
  const char* big_bang = "rollout: {kind: big_bang}\n";
  // As in the simulation tests: the alert fires at 15m, the response comes at 35m, and rolling
  // 10,000 hosts back at 2,000/min ends the impact at 40m.
  const ChangeOutcome right = RunOne(PeopleWorld(""), big_bang);
  CHECK(right.detected_at->millis() == SimTime::Minutes(35).millis());
  CHECK(right.impact_end->millis() == SimTime::Minutes(40).millis());
  // A certain misdiagnosis costs exactly its (sigma 0) 30 minutes more.
  const ChangeOutcome wrong = RunOne(
      PeopleWorld(", misdiagnosis: {probability: 1, delay: {median: 30m, sigma: 0}}"), big_bang);
  CHECK(wrong.detected_at->millis() == SimTime::Minutes(65).millis());
  CHECK(wrong.impact_end->millis() == SimTime::Minutes(70).millis());
  // Never misdiagnosed: as without the key.
  const ChangeOutcome never =
      RunOne(PeopleWorld(", misdiagnosis: {probability: 0, delay: {median: 30m}}"), big_bang);
  CHECK(never.impact_end->millis() == SimTime::Minutes(40).millis());
  // A kill switch takes the change off every host at the response.
  const ChangeOutcome killed = RunOne(PeopleWorld(", mitigation: kill_switch"), big_bang);
  CHECK(killed.impact_end->millis() == SimTime::Minutes(35).millis());
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

TEST_CASE("the SEV level follows from impact by the scenario's thresholds", "[incident]") {
  // big_bang: the fatal change reaches every host, so its impacted traffic peaks at 100%.
  std::string yaml = World(
      "    - {at: 10m, fault: fatal}\n    - {at: 20m}\n", "{name: fatal, error_rate_increase: 0.5}",
      "severity:\n  - {level: 1, impacted_traffic: 0.9}\n  - {level: 3, failed_requests: 1}\n");
  Scenario scenario = ScenarioFromYaml(yaml);
  ReplicaResult r =
      RunReplica(scenario, PolicyFromYaml("rollout: {kind: big_bang}\n"), scenario.seed, 0);
  CHECK(r.outcomes.at(0).impacted_traffic_peak == Approx(1.0));
  CHECK(r.outcomes.at(0).sev == 1);
  CHECK(r.outcomes.at(1).sev == 0);  // good change: no SEV
  // Under stages the canary (1% of hosts) holds the impact below 90% of traffic: only SEV 3.
  ReplicaResult staged = RunReplica(scenario, PolicyFromYaml(kStagesPolicyYaml), scenario.seed, 0);
  CHECK(staged.outcomes.at(0).impacted_traffic_peak < 0.9);
  CHECK(staged.outcomes.at(0).sev == 3);
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

TEST_CASE("unreachable hosts count against the deploy system's fault tolerance", "[incident]") {
  // 1% tolerance; the first stage updates 100 hosts. With 20% of hosts unreachable the failed
  // updates are Binomial(100, 0.2) (mean 20, sd 4): above 1 host with probability 1 - 1e-8, so
  // the deploy system fails the rollout. With 0.01% unreachable, more than 1 failure among the
  // 100 first-stage hosts has probability < 5e-5 and every later stage allows more.
  auto run = [](const std::string& unreachable) {
    std::string yaml = World("    - {at: 10m}\n", "{name: fatal, error_rate_increase: 0.5}",
                             "infrastructure: {unreachable_hosts: " + unreachable + "}\n");
    yaml = ReplaceFirst(
        yaml, "deploy: {hosts_per_minute: 1000, rollback_hosts_per_minute: 2000}",
        "deploy: {hosts_per_minute: 1000, rollback_hosts_per_minute: 2000, fault_tolerance: 1%}");
    return RunOne(yaml);
  };
  const ChangeOutcome many = run("20%");
  CHECK(many.stopped_by == StopSource::kDeployFailure);
  CHECK(many.final_state == FinalState::kRolledBack);
  const ChangeOutcome few = run("0.01%");
  CHECK_FALSE(few.stopped_by.has_value());
  CHECK(few.final_state == FinalState::kCompleted);
}

}  // namespace
}  // namespace fleetsim
