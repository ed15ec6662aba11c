// feature_flag rollouts (traffic share on code already deployed): the flagged share of requests
// against its binomial closed form, the fault's damage proportional to the share, canary and
// control on the same hosts, and the kill switch's propagation delay.
#include <catch2/catch.hpp>

#include <cmath>

#include "analysis/monte_carlo.h"
#include "sim/simulation.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

// 20,000 hosts with strong per-cell heterogeneity (lognormal sigma 1): a host canary would see
// different hosts than its control; a flag's canary sees the same hosts.
const char* const kWorld = R"(
name: flags
duration: 4h
fleet: {hosts: 20000, clusters_per_region: 2, regions: [{name: a}, {name: b}]}
traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}
signals: {base_error_rate: 0.01, cell_heterogeneity: 1.0, requests: expected}
)";

class RecordingHealth : public HealthPolicy {
 public:
  std::string_view Kind() const override { return "recording"; }
  HealthSchedule Schedule() const override {
    HealthSchedule s;
    s.interval = SimTime::Minutes(10);
    s.lookback = HealthSchedule::Lookback::kGrowing;
    return s;
  }
  Verdict Judge(const HealthObservation& o) const override {
    last_ = o;
    return Verdict{};
  }
  mutable HealthObservation last_;
};

// The flag is flipped at 9m30s and reaches every host at 9m45s, before the first tick it is
// judged on (10m): every judged tick runs at exactly the ramp's share.
TEST_CASE("a flag at 10% flags 10% of requests on the same hosts as its control",
          "[feature_flag]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "9m30s", ""));
  const Policy policy = testing::PolicyFromYaml(
      "rollout: {kind: feature_flag, ramp: [{percent: 10, bake: 3h}, {percent: 100, bake: 0s}]}\n");
  RecordingHealth health;
  Simulation sim(scenario, PolicySet{policy.rollout.get(), &health}, 0, nullptr);
  sim.Run();
  const SignalWindow& canary = health.last_.canary;
  const SignalWindow& control = health.last_.control;
  const double total = static_cast<double>(canary.requests + control.requests);
  REQUIRE(total > 1e8);
  // Each request flagged independently with p = 0.1: Binomial(total, 0.1).
  CHECK(std::abs(static_cast<double>(canary.requests) - 0.1 * total) <
        5 * std::sqrt(total * 0.1 * 0.9));
  // Same hosts: the error rates differ only by binomial noise, even with cell heterogeneity.
  const double pooled = static_cast<double>(canary.errors + control.errors) / total;
  const double se = std::sqrt(
      pooled * (1 - pooled) *
      (1.0 / static_cast<double>(canary.requests) + 1.0 / static_cast<double>(control.requests)));
  CHECK(std::abs(canary.error_rate() - control.error_rate()) < 5 * se);
}

TEST_CASE("a bad flag fails requests in proportion to its share, and its blast radius is the share",
          "[feature_flag]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "9m30s", "fatal"));
  const Policy held = testing::PolicyFromYaml(
      "rollout: {kind: feature_flag, ramp: [{percent: 10, bake: 5h}, {percent: 100, bake: 0s}]}\n");
  const ReplicaResult r = RunReplica(scenario, held, 1, 0);
  const ChangeOutcome& o = r.outcomes.at(0);
  CHECK(o.impacted_traffic_peak == Approx(0.1).margin(0.002));
  // Held at 10% from the tick at 10m to the end (231 ticks of exactly 1,000,000 requests), the
  // fault (+50%) fails flagged requests that would have succeeded: mean
  // 231e6 x 0.1 x E[1 - e] x 0.5 with E[e] = 1%. The spread: binomial (sd ~ 3,400, 0.03%) and
  // the cells' heterogeneity draws moving the fleet's mean error rate (sd ~ 0.07% relative).
  const double expected = 231 * 1e6 * 0.1 * 0.99 * 0.5;
  CHECK(static_cast<double>(o.failed_requests) == Approx(expected).epsilon(0.005));
}

TEST_CASE("the kill switch ends a bad flag's impact one propagation delay after the verdict",
          "[feature_flag]") {
  const Scenario scenario =
      testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(kWorld, "10m", "fatal"));
  const Policy policy = testing::PolicyFromYaml(
      "rollout: {kind: feature_flag, propagation: 20s, ramp: [{percent: 1, bake: 1h}, {percent: "
      "100, bake: 0s}]}\n"
      "health: {interval: 1m, checks: [{kind: relative, metric: error_rate, max_increase: "
      "1.0}]}\n");
  const ChangeOutcome o = RunReplica(scenario, policy, 1, 0).outcomes.at(0);
  CHECK(o.peak_exposed_fraction == Approx(0.01));
  CHECK(o.detected_stage == 0);
  REQUIRE(o.ttd());
  REQUIRE(o.ttm());
  CHECK(*o.ttm() - *o.ttd() == SimTime::Seconds(20));
  CHECK(o.final_state == FinalState::kRolledBack);
}

TEST_CASE("feature_flag rejects host-count stages", "[feature_flag][errors]") {
  auto st = CatchConfigErrors([] {
    auto file = std::make_shared<const std::string>("f.yaml");
    ParsePolicyNode(ConfigNode{YAML::Load("rollout: {kind: feature_flag, ramp: [{hosts: 1, bake: "
                                          "1m}, {percent: 100, bake: 0s}]}"),
                               file.get()},
                    "f");
  });
  REQUIRE_FALSE(st.ok());
  CHECK_THAT(st.message(), Catch::Contains("f.yaml:1:") && Catch::Contains("expected percent"));
}

}  // namespace
}  // namespace fleetsim
