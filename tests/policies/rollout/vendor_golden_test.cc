// Golden timings from vendor documentation (shared/reference/rollout-systems.md, A2 and A5):
//  - Flagger canary: promotion no sooner than interval x maxWeight / stepWeight; rollback on a
//    persistent failure after interval x threshold (failedChecks is cumulative);
//  - AppConfig linear 20% over 10 h: 0/20/40/60/80/100% at hours 0/2/4/6/8/10;
//  - AppConfig exponential G = 2: 2%, 4%, 8%, ... until every target has it.
// The actuator here is fast (a whole move takes at most a few ms), and the expected times add
// its exact closed-form move durations so that the comparisons are exact.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "analysis/timeline.h"
#include "sim/scenario.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

constexpr int64_t kHosts = 10000;
constexpr int64_t kRate = 600'000'000;  // hosts per minute: 10,000 hosts move in 1 ms

Scenario GoldenScenario(const std::string& fault) {
  const char* world = R"(
name: golden
duration: 1d
fleet: {hosts: 10000, buckets: 100, regions: [{name: a}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
deploy: {hosts_per_minute: 600000000, rollback_hosts_per_minute: 600000000}
)";
  return testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(world, "0s", fault),
                                   "golden.yaml");
}

Policy Load(const std::string& yaml) {
  return testing::PolicyFromYaml(yaml, "golden", "golden-policy.yaml");
}

int64_t MoveMillis(double from, double to) {
  const int64_t hosts = std::llround(std::abs(to - from) * kHosts);
  return hosts == 0 ? 0 : (hosts * 60'000 + kRate - 1) / kRate;
}

// (time reached, exposed fraction) for every kStepReached of change 0.
std::vector<std::pair<int64_t, double>> StepsReached(const Scenario& scenario,
                                                     const Policy& policy) {
  TimelineRecorder recorder(scenario.faults, 0);
  RunReplica(scenario, policy, 1, 0, &recorder);
  std::vector<std::pair<int64_t, double>> out;
  double exposed = 0;
  for (const TimelineEvent& e : recorder.timeline().events) {
    if (e.kind == TimelineKind::kExposure) exposed = e.value / kHosts;
    if (e.kind == TimelineKind::kStepReached) out.emplace_back(e.time.millis(), exposed);
  }
  return out;
}

TEST_CASE("Flagger canary promotes after interval x maxWeight / stepWeight", "[golden][flagger]") {
  // stepWeight 10, maxWeight 50, interval 1m: weights 10..50 each analysed for one interval,
  // then promotion: no sooner than 1m x 50/10 = 5m.
  const Policy p = Load(
      "rollout: {kind: linear, step: 10, max: 50, interval: 1m}\n"
      "health: {interval: 1m, failure_limit: 1, checks: [{kind: threshold, metric: error_rate, "
      "max: 0.05}]}\n");
  const ReplicaResult r = RunReplica(GoldenScenario(""), p, 1, 0);
  const ChangeOutcome& o = r.outcomes[0];
  const int64_t moves = 5 * MoveMillis(0, 0.1) + MoveMillis(0.5, 1.0);
  CHECK(o.full_exposure_at->millis() == SimTime::Minutes(5).millis() + moves);
}

TEST_CASE("Flagger rolls back after interval x threshold on a persistent failure",
          "[golden][flagger]") {
  for (int threshold : {1, 2, 5}) {
    const Policy p = Load(
        "rollout: {kind: linear, step: 10, max: 50, interval: 1m}\n"
        "health: {interval: 1m, failure_limit: " +
        std::to_string(threshold) +
        ", checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n");
    const ReplicaResult r = RunReplica(GoldenScenario("fatal"), p, 1, 0);
    const ChangeOutcome& o = r.outcomes[0];
    INFO("threshold " << threshold);
    // The first failing check is one interval after the start; the rollback starts at the
    // threshold-th failing check and takes one move back to 0.
    REQUIRE(o.final_state == FinalState::kRolledBack);
    CHECK(o.impact_end.has_value());
    CHECK(o.failing_verdicts == threshold);
    const double exposed_at_rollback = std::min(0.5, 0.1 * threshold);
    CHECK(o.impact_end->millis() ==
          SimTime::Minutes(threshold).millis() + MoveMillis(exposed_at_rollback, 0));
  }
}

TEST_CASE("AppConfig linear 20% over 10 hours: 20/40/60/80/100% at hours 2/4/6/8/10",
          "[golden][appconfig]") {
  const Scenario scenario = GoldenScenario("");
  const Policy p = Load(
      "rollout: {kind: linear, step: 20, interval: 2h, start_at_zero: true, final_bake: 30m}\n");
  const auto reached = StepsReached(scenario, p);
  // The first "step" is the hold at 0% (reached at once); then one step per 2 hours.
  REQUIRE(reached.size() == 6);
  CHECK(reached[0] == std::make_pair<int64_t, double>(0, 0.0));
  int64_t moves = 0;
  for (int k = 1; k <= 5; ++k) {
    moves += MoveMillis(0.2 * (k - 1), 0.2 * k);
    INFO("step " << k);
    CHECK(reached[k].first == SimTime::Hours(2 * k).millis() + moves);
    CHECK(reached[k].second == Approx(0.2 * k).epsilon(1e-12));
  }
}

TEST_CASE("AppConfig exponential G = 2 goes 2, 4, 8, 16, 32, 64, 100%", "[golden][appconfig]") {
  const Policy p = Load("rollout: {kind: exponential, initial: 2, interval: 10m}\n");
  const auto reached = StepsReached(GoldenScenario(""), p);
  const std::vector<double> expected = {0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.0};
  REQUIRE(reached.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("step " << i);
    CHECK(reached[i].second == Approx(expected[i]).epsilon(1e-12));
    // Each step is reached one interval after the previous one (plus its move).
    if (i > 0)
      CHECK(reached[i].first - reached[i - 1].first ==
            SimTime::Minutes(10).millis() + MoveMillis(expected[i - 1], expected[i]));
  }
}

}  // namespace
}  // namespace fleetsim
