// Per-region evaluation: each region's canary against that region's control, so a regression
// confined to one region is not averaged away; and the engine's per-region windows add up
// exactly to the fleet-wide canary and control windows (conservation).
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "policies/health/check_set_policy.h"
#include "policies/health/health_registry.h"
#include "sim/simulation.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

std::shared_ptr<const HealthPolicy> RelativeErrors(EvaluationScope scope) {
  std::vector<std::unique_ptr<HealthCheck>> checks;
  checks.push_back(
      testing::HealthCheckFromYaml("{kind: relative, metric: error_rate, max_increase: 0.5}"));
  return std::make_shared<CheckSetPolicy>(HealthSchedule{}, std::move(checks), CombineRule::kAny, 0,
                                          scope);
}

TEST_CASE("a regression in one small region fails per-region evaluation but not fleet-wide",
          "[per_region]") {
  const std::vector<std::string> names = {"big", "small", "idle"};
  HealthObservation o;
  o.region_names = &names;
  // big: canary 1.0% vs control 1.0%; small: canary 3.0% vs control 1.0%; idle: no canary yet.
  o.canary_by_region = {SignalWindow{90'000, 900, 0, 0}, SignalWindow{10'000, 300, 0, 0},
                        SignalWindow{}};
  o.control_by_region = {SignalWindow{900'000, 9'000, 0, 0}, SignalWindow{100'000, 1'000, 0, 0},
                         SignalWindow{50'000, 500, 0, 0}};
  for (size_t g = 0; g < names.size(); ++g) {
    o.canary.Add(o.canary_by_region[g]);
    o.control.Add(o.control_by_region[g]);
  }
  // Fleet-wide: canary 1,200/100,000 = 1.2% vs control 10,500/1,050,000 = 1.0%: +20% < +50%.
  CHECK(RelativeErrors(EvaluationScope::kFleet)->Judge(o).kind == VerdictKind::kPass);
  const Verdict v = RelativeErrors(EvaluationScope::kPerRegion)->Judge(o);
  CHECK(v.kind == VerdictKind::kFail);
  CHECK_THAT(v.reason, Catch::StartsWith("region small: relative:"));
  // Nothing to judge anywhere: inconclusive.
  HealthObservation empty = o;
  empty.canary_by_region.assign(3, SignalWindow{});
  CHECK(RelativeErrors(EvaluationScope::kPerRegion)->Judge(empty).kind ==
        VerdictKind::kInconclusive);
}

// Records every observation it is asked to judge; always passes.
class RecordingHealth : public HealthPolicy {
 public:
  std::string_view Kind() const override { return "recording"; }
  HealthSchedule Schedule() const override { return schedule_; }
  HealthSchedule schedule_;
  Verdict Judge(const HealthObservation& o) const override {
    observations_.push_back(o);
    return Verdict{};
  }
  mutable std::vector<HealthObservation> observations_;
};

TEST_CASE("per-region and per-cluster windows add up to the fleet-wide canary and control",
          "[per_region]") {
  const Scenario scenario = testing::ScenarioFromYaml(R"(
name: conservation
duration: 3h
fleet: {hosts: 6000, clusters_per_region: 2, regions: [{name: a, utc_offset: -5}, {name: b, utc_offset: 1}, {name: c, utc_offset: 8}]}
traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0.4}
signals: {base_error_rate: 0.01, overdispersion: 0.5, cell_heterogeneity: 0.3}
deploy: {hosts_per_minute: 2000}
faults: [{name: f, error_rate_increase: 0.02}]
humans: {enabled: false}
changes: {injected: [{at: 10m, fault: f}, {at: 20m}, {at: 30m}]}
)");
  const Policy rollout = testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{percent: 3, bake: 20m}, {percent: 40, bake: 20m}, "
      "{percent: 100, bake: 20m}]}\n");
  RecordingHealth health;
  size_t groups = 3;
  SECTION("by region") {}
  SECTION("by cluster (evaluate: per_cluster)") {
    health.schedule_.group_by = HealthSchedule::GroupBy::kCluster;
    groups = 6;
  }
  Simulation sim(scenario, PolicySet{rollout.rollout.get(), &health}, 0, nullptr);
  sim.Run();
  REQUIRE(health.observations_.size() > 50);
  if (groups == 6)
    CHECK((*health.observations_[0].region_names)[1] == scenario.fleet->clusters()[1].name);
  for (const HealthObservation& o : health.observations_) {
    REQUIRE(o.canary_by_region.size() == groups);
    REQUIRE(o.region_names->size() == groups);
    SignalWindow canary, control;
    for (size_t g = 0; g < groups; ++g) {
      canary.Add(o.canary_by_region[g]);
      control.Add(o.control_by_region[g]);
    }
    CHECK(canary.requests == o.canary.requests);
    CHECK(canary.errors == o.canary.errors);
    CHECK(canary.host_minutes == o.canary.host_minutes);
    CHECK(control.requests == o.control.requests);
    CHECK(control.errors == o.control.errors);
    CHECK(control.host_minutes == o.control.host_minutes);
  }
}

TEST_CASE("per_cluster evaluation names the failing cluster", "[per_region]") {
  const Policy policy = testing::PolicyFromYaml(
      "rollout: {kind: big_bang}\n"
      "health: {evaluate: per_cluster, checks: [{kind: relative, metric: error_rate, max_increase: "
      "0.5}]}\n");
  const std::vector<std::string> names = {"c1", "c2"};
  HealthObservation o;
  o.region_names = &names;
  o.canary_by_region = {SignalWindow{90'000, 900, 0, 0}, SignalWindow{10'000, 300, 0, 0}};
  o.control_by_region = {SignalWindow{900'000, 9'000, 0, 0}, SignalWindow{100'000, 1'000, 0, 0}};
  for (size_t g = 0; g < 2; ++g) {
    o.canary.Add(o.canary_by_region[g]);
    o.control.Add(o.control_by_region[g]);
  }
  CHECK(policy.health->Schedule().group_by == HealthSchedule::GroupBy::kCluster);
  const Verdict v = policy.health->Judge(o);
  CHECK(v.kind == VerdictKind::kFail);
  CHECK_THAT(v.reason, Catch::StartsWith("cluster c2: relative:"));
}

}  // namespace
}  // namespace fleetsim
