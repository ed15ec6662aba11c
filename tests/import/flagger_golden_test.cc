// Golden Flagger timelines, run through the importer AND the engine (health.counting: flagger),
// from Flagger's scheduler (fluxcd/flagger@15bd6ad pkg/controller/scheduler.go, advanceCanary,
// runCanary, runAB, runBlueGreen) and its documented timings
// (docs/gitbook/usage/deployment-strategies.md: promotion no sooner than
// interval x maxWeight / stepWeight, or interval x iterations; rollback interval x threshold
// after checks start failing). Flagger's ticker is the verdict grid: the canary is set to its
// first weight at 0 and every tick k (minute k here) first rolls back if failedChecks >=
// threshold, then runs the analysis of the past interval: a failed check increments
// failedChecks and holds the weight; a passing one advances the weight (or the iteration), or
// promotes once maxWeight (the iterations) is reached.
//
// The world: 10,000 hosts, moves take 1 ms, 100 requests/host/min, base error rate 0.1%; checks
// request-success-rate >= 99%. Faults: `fatal` (+50% errors from exposure on) and `blip` (+50%
// errors for one minute from 3m: the tick at 3m samples it, so the check at 3m fails and every
// other one passes).
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "analysis/timeline.h"
#include "tests/import/import_test_support.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

Scenario World(const std::string& fault) {
  std::string yaml = testing::SingleChangeScenarioYaml(
      "name: flagger-golden\nduration: 2h\nfleet: {hosts: 10000, buckets: 100, regions: [{name: "
      "a}]}\n"
      "traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}\n"
      "deploy: {hosts_per_minute: 600000000, rollback_hosts_per_minute: 600000000}\n",
      "0s", fault);
  return testing::ScenarioFromYaml(testing::ReplaceFirst(
      yaml, "faults: [{name: fatal, error_rate_increase: 0.5}]",
      "faults: [{name: fatal, error_rate_increase: 0.5}, {name: blip, error_rate_increase: 0.5, "
      "onset_delay: 3m, flapping: {period: 1000m, bad_share: 0.001}}]"));
}

std::string Canary(const std::string& analysis) {
  return R"(apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis:
    interval: 1m
    metrics:
    - {name: request-success-rate, thresholdRange: {min: 99}, interval: 1m}
)" + analysis;
}

struct Run {
  std::vector<std::pair<double, std::string>> steps;  // (minute started, step name)
  std::optional<double> rollback;                     // minute the rollback started
  std::optional<double> completed;
  int verdicts = 0;
  int failing = 0;
};

double Minutes(SimTime t) { return static_cast<double>(t.millis()) / 60'000.0; }

Run Simulate(const std::string& spec, const std::string& fault,
             const import::ImportOptions& options = {}) {
  const Policy policy = testing::PolicyOf(testing::ImportOk(spec, "podinfo.yaml", options));
  const Scenario scenario = World(fault);
  TimelineRecorder recorder(scenario.faults, 0);
  RunReplica(scenario, policy, 1, 0, &recorder);
  Run run;
  for (const TimelineEvent& e : recorder.timeline().events) {
    if (e.kind == TimelineKind::kStepStarted) run.steps.emplace_back(Minutes(e.time), e.text);
    if (e.kind == TimelineKind::kRollbackStarted) run.rollback = Minutes(e.time);
    if (e.kind == TimelineKind::kCompleted) run.completed = Minutes(e.time);
    if (e.kind == TimelineKind::kVerdict) {
      ++run.verdicts;
      if (e.text.rfind("fail", 0) == 0) ++run.failing;
    }
  }
  return run;
}

std::vector<double> StartMinutes(const Run& run) {
  std::vector<double> out;
  for (const auto& [minute, name] : run.steps) out.push_back(minute);
  return out;
}

const std::string kCanary50 = "    stepWeight: 10\n    maxWeight: 50\n    threshold: 5\n";

TEST_CASE("golden: Flagger stepWeight 10 maxWeight 50: one weight a minute, promotion at 5m",
          "[golden][import][flagger]") {
  // interval x maxWeight / stepWeight = 5m: weights 10..50 at minutes 0..4, promoted at 5.
  const Run run = Simulate(Canary(kCanary50), "");
  CHECK(StartMinutes(run) == std::vector<double>{0, 1, 2, 3, 4, 5});
  CHECK(run.steps.back().second == "all");
  CHECK(run.verdicts == 5);  // the promotion is not analysed
  REQUIRE(run.completed);
  CHECK(*run.completed == Approx(5.0).margin(1e-4));  // + the 1 ms move to 100%
}

TEST_CASE("golden: Flagger holds the weight while a check fails, then resumes",
          "[golden][import][flagger]") {
  // The check at 3m fails: weight 30 (set at 2m) holds through minute 3; the check at 4m
  // passes and sets 40; 50 at 5m; promoted at 6m, one interval late.
  const Run run = Simulate(Canary(kCanary50), "blip");
  CHECK(StartMinutes(run) == std::vector<double>{0, 1, 2, 4, 5, 6});
  CHECK(run.failing == 1);
  CHECK_FALSE(run.rollback);  // 1 failed check < threshold 5
  CHECK(run.completed);
}

TEST_CASE("golden: Flagger rolls back interval x threshold after checks start failing",
          "[golden][import][flagger]") {
  // Every check fails from minute 1: weight 10 holds, failedChecks reaches 5 at 5m, and the
  // tick at 6m rolls back before analysing: 1m + interval x threshold = 6m, at 10%.
  const Run run = Simulate(Canary(kCanary50), "fatal");
  CHECK(StartMinutes(run) == std::vector<double>{0});
  CHECK(run.failing == 5);
  CHECK(run.verdicts == 5);
  REQUIRE(run.rollback);
  CHECK(*run.rollback == 6.0);
  for (int threshold : {1, 2, 10}) {
    INFO("threshold " << threshold);
    const Run t = Simulate(Canary("    stepWeight: 10\n    maxWeight: 50\n    threshold: " +
                                  std::to_string(threshold) + "\n"),
                           "fatal");
    REQUIRE(t.rollback);
    CHECK(*t.rollback == 1.0 + threshold);
    CHECK(t.failing == threshold);
  }
}

TEST_CASE("golden: Flagger failed checks are cumulative, not consecutive",
          "[golden][import][flagger]") {
  // threshold 1: the one failed check at 3m rolls back at 4m, at weight 30.
  const Run run =
      Simulate(Canary("    stepWeight: 10\n    maxWeight: 50\n    threshold: 1\n"), "blip");
  CHECK(StartMinutes(run) == std::vector<double>{0, 1, 2});
  REQUIRE(run.rollback);
  CHECK(*run.rollback == 4.0);
}

TEST_CASE("golden: Flagger maxWeight 100 analyses the canary at 100% once, then promotes",
          "[golden][import][flagger]") {
  // stepWeight 25: 25/50/75 at 0/1/2, 100 at 3, promotion after the passing check at 4m.
  const Run run = Simulate(Canary("    stepWeight: 25\n    threshold: 2\n"), "");
  CHECK(StartMinutes(run) == std::vector<double>{0, 1, 2, 3});
  REQUIRE(run.completed);
  CHECK(*run.completed == 4.0);
  CHECK(run.verdicts == 4);
}

TEST_CASE("golden: Flagger A/B testing promotes after `iterations` passing checks",
          "[golden][import][flagger]") {
  // interval x iterations = 10m; a failed check does not count as an iteration: 11m.
  import::ImportOptions options;
  options.match_share = 0.05;
  const std::string ab =
      "    iterations: 10\n    threshold: 2\n"
      "    match:\n    - headers: {x-canary: {exact: insider}}\n";
  const Run good = Simulate(Canary(ab), "", options);
  CHECK(StartMinutes(good) == std::vector<double>{0, 10});
  const Run blip = Simulate(Canary(ab), "blip", options);
  CHECK(StartMinutes(blip) == std::vector<double>{0, 11});
  CHECK(blip.failing == 1);
}

TEST_CASE("golden: Flagger blue/green switches after `iterations` checks, promotes one later",
          "[golden][import][flagger]") {
  // The canary runs 5 iterations without production traffic (checks without data are not
  // counted: load tests are not simulated), all traffic goes to it at 5m, and the passing check
  // at 6m promotes.
  const Run run = Simulate(Canary("    iterations: 5\n    threshold: 2\n"), "");
  CHECK(StartMinutes(run) == std::vector<double>{0, 5});
  REQUIRE(run.completed);
  CHECK(*run.completed == 6.0);
}

TEST_CASE("golden: Flagger stepWeights: one listed weight per interval, then promotion",
          "[golden][import][flagger]") {
  // deployment-strategies.md, "Canary Release" with stepWeights [1, 2, 10, 80]: maxWeight is the
  // last weight; each passing check takes the next weight (1, 2, 10, 80 at 0..3m), the check
  // at 4m passes at 80 and promotes.
  const Run run = Simulate(Canary("    stepWeights: [1, 2, 10, 80]\n    threshold: 2\n"), "");
  CHECK(StartMinutes(run) == std::vector<double>{0, 1, 2, 3, 4});
  REQUIRE(run.completed);
  CHECK(*run.completed == Approx(4.0).margin(1e-4));
  CHECK(run.verdicts == 4);
  // A failing check holds the listed weight too: 10 (set at 2m) holds through 3m.
  const Run blip = Simulate(Canary("    stepWeights: [1, 2, 10, 80]\n    threshold: 2\n"), "blip");
  CHECK(StartMinutes(blip) == std::vector<double>{0, 1, 2, 4, 5});
}

TEST_CASE("golden: Flagger maxWeight not a multiple of stepWeight is overshot, as Flagger does",
          "[golden][import][flagger]") {
  // advanceCanary: while canaryWeight < maxWeight, canaryWeight += stepWeight (capped at 100);
  // stepWeight 20, maxWeight 50: 20, 40, then 60 (40 < 50), and 60 >= 50 promotes at 3m.
  const Run run = Simulate(Canary("    stepWeight: 20\n    maxWeight: 50\n    threshold: 2\n"), "");
  CHECK(StartMinutes(run) == std::vector<double>{0, 1, 2, 3});
  REQUIRE(run.steps.size() == 4);
  CHECK(run.steps[2].second == "w60");
  REQUIRE(run.completed);
  CHECK(*run.completed == Approx(3.0).margin(1e-4));
}

TEST_CASE("golden: Flagger stepWeightPromotion changes no exposure", "[golden][import][flagger]") {
  // scheduler.go: at maxWeight Flagger first copies the canary's spec to the primary
  // (Promote), so from then on every pod runs the new version; runPromotionTrafficShift then
  // moves traffic from canary to primary by stepWeightPromotion per tick, between two copies
  // of the same version, and no analysis runs while Promoting. The timeline is the one without.
  const import::ImportedPolicy p =
      testing::ImportOk(Canary(kCanary50 + "    stepWeightPromotion: 10\n"), "podinfo.yaml");
  CHECK(testing::RowFrom(p, "spec.analysis.stepWeightPromotion")->disposition ==
        import::Disposition::kNoEffect);
  const Run with = Simulate(Canary(kCanary50 + "    stepWeightPromotion: 10\n"), "");
  const Run without = Simulate(Canary(kCanary50), "");
  CHECK(StartMinutes(with) == StartMinutes(without));
  CHECK(with.completed == without.completed);
}

TEST_CASE("golden: Flagger counts a metric without values as a failed check",
          "[golden][import][flagger]") {
  // scheduler_metrics.go: "Halt advancement no values found ... probably ... is not receiving
  // traffic" fails the analysis, which scheduler.go counts in failedChecks. With no traffic at
  // all, weight 10 holds, checks fail at 1, 2, 3m, and threshold 3 rolls back at 4m.
  const Policy policy = testing::PolicyOf(testing::ImportOk(
      Canary("    stepWeight: 10\n    maxWeight: 50\n    threshold: 3\n"), "podinfo.yaml"));
  CHECK(policy.health->Schedule().on_inconclusive == InconclusiveAction::kFail);
  const Scenario scenario = testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(
      "name: silent\nduration: 2h\nfleet: {hosts: 10000, buckets: 100, regions: [{name: a}]}\n"
      "traffic: {requests_per_host_per_minute: 0, diurnal_amplitude: 0}\n"
      "deploy: {hosts_per_minute: 600000000, rollback_hosts_per_minute: 600000000}\n",
      "0s", ""));
  TimelineRecorder recorder(scenario.faults, 0);
  RunReplica(scenario, policy, 1, 0, &recorder);
  std::vector<double> starts, verdicts;
  std::optional<double> rollback;
  for (const TimelineEvent& e : recorder.timeline().events) {
    if (e.kind == TimelineKind::kStepStarted) starts.push_back(Minutes(e.time));
    if (e.kind == TimelineKind::kVerdict) verdicts.push_back(Minutes(e.time));
    if (e.kind == TimelineKind::kRollbackStarted) rollback = Minutes(e.time);
  }
  CHECK(starts == std::vector<double>{0});
  CHECK(verdicts == std::vector<double>{1, 2, 3});
  REQUIRE(rollback);
  CHECK(*rollback == 4.0);
}

}  // namespace
}  // namespace fleetsim
