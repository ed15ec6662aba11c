// Health lookback windows (interval, growing, sliding) against exact request counts, the
// status_2xx metric against its closed form, threshold min, and the instagram-canary policy
// end to end.
#include <catch2/catch.hpp>

#include <cmath>

#include "analysis/monte_carlo.h"
#include "sim/simulation.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

// Records every observation it is asked to judge; always passes.
class RecordingHealth : public HealthPolicy {
 public:
  explicit RecordingHealth(HealthSchedule schedule) : schedule_(schedule) {}
  std::string_view Kind() const override { return "recording"; }
  HealthSchedule Schedule() const override { return schedule_; }
  Verdict Judge(const HealthObservation& o) const override {
    observations_.push_back(o);
    return Verdict{};
  }
  HealthSchedule schedule_;
  mutable std::vector<HealthObservation> observations_;
};

// 10,000 hosts, 100 requests per host-minute exactly (no Poisson noise), flat traffic; one good
// change at 10m held at 1% (100 hosts, reached within the first minute) for 2 hours.
const char* const kExactWorld = R"(
name: exact
duration: 3h
fleet: {regions: [{name: r1, clusters: [{name: a, hosts: 10000}]}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
signals: {base_error_rate: 0.01, requests: expected, other_status_share: 0.05}
deploy: {hosts_per_minute: 100000}
humans: {enabled: false}
changes: {injected: [{at: 10m}]}
)";

std::vector<HealthObservation> Observe(HealthSchedule schedule) {
  const Scenario scenario = testing::ScenarioFromYaml(kExactWorld);
  const Policy rollout = testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{percent: 1, bake: 2h}, {percent: 100, bake: 0s}]}\n");
  RecordingHealth health(schedule);
  Simulation sim(scenario, PolicySet{rollout.rollout.get(), &health}, 0, nullptr);
  sim.Run();
  return health.observations_;
}

TEST_CASE("lookback windows hold exactly the requests of their span", "[lookback]") {
  // The canary (100 hosts) serves 10,000 requests a minute; evaluations every 5 minutes.
  HealthSchedule schedule;
  schedule.interval = SimTime::Minutes(5);
  SECTION("interval: the 5 minutes since the previous verdict") {
    const auto obs = Observe(schedule);
    REQUIRE(obs.size() > 10);
    for (size_t i = 1; i < 10; ++i) CHECK(obs[i].canary.requests == 50'000);
  }
  SECTION("growing: everything since the rollout began") {
    schedule.lookback = HealthSchedule::Lookback::kGrowing;
    const auto obs = Observe(schedule);
    REQUIRE(obs.size() > 10);
    for (size_t i = 0; i < 10; ++i) {
      CHECK(obs[i].canary.requests == obs[i].canary_since_start.requests);
      CHECK(obs[i].canary.requests == static_cast<int64_t>(50'000 * (i + 1)));
    }
  }
  SECTION("sliding 15m: the last 15 minutes once 15 minutes have passed") {
    schedule.lookback = HealthSchedule::Lookback::kSliding;
    schedule.lookback_window = SimTime::Minutes(15);
    const auto obs = Observe(schedule);
    REQUIRE(obs.size() > 10);
    CHECK(obs[0].canary.requests == 50'000);
    CHECK(obs[1].canary.requests == 100'000);
    for (size_t i = 2; i < 10; ++i) CHECK(obs[i].canary.requests == 150'000);
    // Per-region windows slide with it (one region: the same numbers).
    CHECK(obs[5].canary_by_region.at(0).requests == 150'000);
  }
}

TEST_CASE("status_2xx: successes thinned by other_status_share, (1 - e)(1 - s) on average",
          "[status_2xx]") {
  HealthSchedule schedule;
  schedule.interval = SimTime::Minutes(5);
  const auto obs = Observe(schedule);
  int64_t requests = 0, errors = 0, other = 0;
  for (const HealthObservation& o : obs) {
    for (const SignalWindow* w : {&o.canary, &o.control}) {
      requests += w->requests;
      errors += w->errors;
      other += w->other_status;
      CHECK(w->status_2xx_share() ==
            Approx(static_cast<double>(w->requests - w->errors - w->other_status) /
                   static_cast<double>(w->requests)));
    }
  }
  // Given the successes, other ~ Binomial(successes, 0.05): within 5 standard deviations.
  const double successes = static_cast<double>(requests - errors);
  const double sd = std::sqrt(successes * 0.05 * 0.95);
  CHECK(std::abs(static_cast<double>(other) - 0.05 * successes) < 5 * sd);
  CHECK(static_cast<double>(errors) / static_cast<double>(requests) == Approx(0.01).margin(0.001));
}

TEST_CASE("threshold min fails a canary below it, and max and min can bound together",
          "[status_2xx][threshold]") {
  HealthObservation o;
  o.canary = SignalWindow{1000, 10, 0, 10, 80};  // 2xx = 910 / 1000
  CHECK(testing::HealthCheckFromYaml("{kind: threshold, metric: status_2xx, min: 0.9}")
            ->Evaluate(o)
            .kind == VerdictKind::kPass);
  const Verdict v =
      testing::HealthCheckFromYaml("{kind: threshold, metric: status_2xx, min: 0.92}")->Evaluate(o);
  CHECK(v.kind == VerdictKind::kFail);
  CHECK_THAT(v.reason, Catch::Contains("< min 0.92"));
  CHECK(testing::HealthCheckFromYaml("{kind: threshold, metric: error_rate, min: 0.0, max: 0.005}")
            ->Evaluate(o)
            .kind == VerdictKind::kFail);
  CHECK_THAT(testing::HealthCheckError("{kind: threshold, metric: status_2xx}"),
             Catch::Contains("expected max, min or both"));
  CHECK_THAT(testing::HealthCheckError("{kind: sprt, metric: status_2xx}"),
             Catch::Contains("expected error_rate"));
}

TEST_CASE("relative status_2xx fails on a relative drop, not a rise", "[status_2xx][relative]") {
  HealthObservation o;
  o.control = SignalWindow{10000, 10, 0, 100, 0};  // 2xx 99.9%
  o.canary = SignalWindow{1000, 100, 0, 10, 0};    // 2xx 90%: a 9.9% relative drop
  auto check = [](double max) {
    return testing::HealthCheckFromYaml(
        "{kind: relative, metric: status_2xx, max_increase: " + std::to_string(max) + "}");
  };
  CHECK(check(0.05)->Evaluate(o).kind == VerdictKind::kFail);
  CHECK(check(0.10)->Evaluate(o).kind == VerdictKind::kPass);
  std::swap(o.canary, o.control);  // canary better than control
  CHECK(check(0.0)->Evaluate(o).kind == VerdictKind::kPass);
}

TEST_CASE("instagram-canary: a fatal change stops at its one machine, a good one ships",
          "[instagram][policies]") {
  auto policy = LoadPolicyFile(std::string(FLEETSIM_SOURCE_DIR) +
                               "/scenarios/policies/instagram-canary.yaml");
  REQUIRE(policy.ok());
  const testing::FatalAndGood run = testing::RunFatalAndGood(policy.value());
  CHECK(run.fatal.peak_exposed_fraction == Approx(1.0 / 20000));
  CHECK(run.fatal.detected_stage == 0);
  CHECK(run.good.peak_exposed_fraction == 1.0);
  CHECK_FALSE(run.good.stopped_by);
}

}  // namespace
}  // namespace fleetsim
