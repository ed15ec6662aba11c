// Golden timelines from the vendors' documentation, run through the importer AND the engine:
// a vendor spec is imported, parsed as --policy parses it, and simulated; the times and
// exposures must be the documented ones (shared/reference/rollout-systems.md §A1-A5):
//  - AppConfig LINEAR 20% over 10 h: 20/40/60/80/100% at hours 2/4/6/8/10 (0% at 0);
//  - AppConfig EXPONENTIAL G = 2: 2, 4, 8, 16, 32, 64, 100%;
//  - CodeDeploy minimum healthy hosts on 9 instances: HOST_COUNT 6 -> at most 3 at a time,
//    FLEET_PERCENT 40 -> at most 5 at a time;
//  - Flagger: in flagger_golden_test.cc;
//  - Argo: failureLimit counts Failed when failed > failureLimit; pause {} waits for a person.
// Deploys are fast (moves take milliseconds) and the expected times add the exact move times.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "analysis/timeline.h"
#include "tests/import/import_test_support.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

constexpr int64_t kHosts = 10000;
constexpr int64_t kRate = 600'000'000;  // hosts per minute: 10,000 hosts move in 1 ms

// 10,000 hosts; people respond in exactly 20 minutes; alerts effectively off.
Scenario World(const std::string& fault) {
  std::string yaml = testing::SingleChangeScenarioYaml(
      "name: golden\nduration: 1d\nfleet: {hosts: 10000, buckets: 100, regions: [{name: a}]}\n"
      "traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}\n"
      "deploy: {hosts_per_minute: 600000000, rollback_hosts_per_minute: 600000000}\n",
      "0s", fault);
  return testing::ScenarioFromYaml(testing::ReplaceFirst(
      yaml, "humans: {enabled: false}",
      "humans: {alert: {error_rate: 0.99, for: 1h}, response_time: {median: 20m, sigma: 0}}"));
}

int64_t MoveMillis(double from, double to) {
  const int64_t hosts = std::llround(std::abs(to - from) * kHosts);
  return hosts == 0 ? 0 : (hosts * 60'000 + kRate - 1) / kRate;
}

Policy Imported(const std::string& spec, const std::string& file,
                const import::ImportOptions& options = {}) {
  return testing::PolicyOf(testing::ImportOk(spec, file, options));
}

// (time reached, exposed fraction) for every step reached by change 0.
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

TEST_CASE("golden: AppConfig LINEAR 20% over 10 h reaches 20/40/60/80/100% at hours 2..10",
          "[golden][import][appconfig]") {
  const Policy p = Imported(
      R"({"Name": "Linear20Over10h", "GrowthType": "LINEAR", "GrowthFactor": 20,
          "DeploymentDurationInMinutes": 600, "FinalBakeTimeInMinutes": 0})",
      "strategy.json");
  const auto reached = StepsReached(World(""), p);
  REQUIRE(reached.size() == 6);
  CHECK(reached[0] == std::make_pair<int64_t, double>(0, 0.0));  // 0% at hour 0
  int64_t moves = 0;
  for (int k = 1; k <= 5; ++k) {
    moves += MoveMillis(0.2 * (k - 1), 0.2 * k);
    INFO("step " << k);
    CHECK(reached[k].first == SimTime::Hours(2 * k).millis() + moves);
    CHECK(reached[k].second == Approx(0.2 * k).epsilon(1e-12));
  }
}

TEST_CASE("golden: AppConfig EXPONENTIAL G = 2 goes 2, 4, 8, 16, 32, 64, 100%",
          "[golden][import][appconfig]") {
  // Seven steps spread over 70 minutes: one every 10 minutes, the first at 10 minutes.
  const Policy p =
      Imported("GrowthType: EXPONENTIAL\nGrowthFactor: 2\nDeploymentDurationInMinutes: 70\n",
               "strategy.yaml");
  const auto reached = StepsReached(World(""), p);
  const std::vector<double> expected = {0, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.0};
  REQUIRE(reached.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("step " << i);
    CHECK(reached[i].second == Approx(expected[i]).epsilon(1e-12));
    if (i > 0) {
      CHECK(reached[i].first - reached[i - 1].first ==
            SimTime::Minutes(10).millis() + MoveMillis(expected[i - 1], expected[i]));
    }
  }
}

// When a change is on all of CodeDeploy's 9-instance example fleet, updated in one-minute
// waves from 10 minutes on.
SimTime NineHostFullExposure(const Policy& policy) {
  const Scenario scenario = testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(
      "name: nine\nduration: 2h\nseed: 3\n"
      "fleet: {regions: [{name: r1, clusters: [{name: a, hosts: 9}]}]}\n"
      "traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}\n"
      "deploy: {host_update_time: 1m}\n",
      "10m", ""));
  const ChangeOutcome o = RunReplica(scenario, policy, 1, 0).outcomes.at(0);
  REQUIRE(o.full_exposure_at);
  return *o.full_exposure_at;
}

TEST_CASE("golden: CodeDeploy on 9 instances: HOST_COUNT 6 -> 3 at a time, FLEET_PERCENT 40 -> 5",
          "[golden][import][codedeploy]") {
  const Policy host_count = Imported(
      R"({"deploymentConfigInfo": {"deploymentConfigName": "Six",
          "computePlatform": "Server", "minimumHealthyHosts": {"type": "HOST_COUNT", "value": 6}}})",
      "six.json");
  REQUIRE(host_count.deploy);
  CHECK(host_count.deploy->Apply(DeploySpec{}).WaveSize(9) == 3);
  CHECK(NineHostFullExposure(host_count) == SimTime::Minutes(10 + 3));  // three waves of 3
  const Policy percent =
      Imported("computePlatform: Server\nminimumHealthyHosts: {type: FLEET_PERCENT, value: 40}\n",
               "forty.yaml");
  CHECK(percent.deploy->Apply(DeploySpec{}).WaveSize(9) == 5);       // H = ceil(3.6) = 4
  CHECK(NineHostFullExposure(percent) == SimTime::Minutes(10 + 2));  // waves of 5 and 4
}

std::string ArgoRollout(const std::string& steps, const std::string& failure_limit) {
  return R"(apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  strategy:
    canary:
      analysis: {templates: [{templateName: error-rate}]}
      steps:
)" + steps +
         R"(---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: error-rate}
spec:
  metrics:
  - name: error-rate
    interval: 1m
    failureLimit: )" +
         failure_limit + R"(
    successCondition: result[0] <= 0.05
    provider: {prometheus: {address: http://prom, query: errors / requests}}
)";
}

TEST_CASE("golden: Argo's failureLimit fails the run when failed measurements exceed it",
          "[golden][import][argo]") {
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("error-rate=error_rate").ok());
  for (int limit : {0, 1, 3}) {
    INFO("failureLimit " << limit);
    const Policy p = Imported(ArgoRollout("      - setWeight: 10\n      - pause: {duration: 1h}\n",
                                          std::to_string(limit)),
                              "web.yaml", options);
    const ChangeOutcome o = RunReplica(World("fatal"), p, 1, 0).outcomes.at(0);
    REQUIRE(o.final_state == FinalState::kRolledBack);
    CHECK(o.failing_verdicts == limit + 1);  // Failed when failed > failureLimit
    REQUIRE(o.impact_end);
    CHECK(o.impact_end->millis() == SimTime::Minutes(limit + 1).millis() + MoveMillis(0.1, 0));
  }
}

TEST_CASE("golden: Argo's pause {} waits for a person to promote", "[golden][import][argo]") {
  import::ImportOptions options;
  options.metrics.AddIgnore("error-rate");
  const Policy p = Imported(
      ArgoRollout("      - setWeight: 10\n      - pause: {}\n      - setWeight: 60\n", "0"),
      "web.yaml", options);
  const ChangeOutcome o = RunReplica(World(""), p, 1, 0).outcomes.at(0);
  // 10% at once; the person promotes after their 20-minute response time; 60% is a step of no
  // duration, then 100%.
  REQUIRE(o.full_exposure_at);
  CHECK(o.full_exposure_at->millis() == SimTime::Minutes(20).millis() + MoveMillis(0, 0.1) +
                                            MoveMillis(0.1, 0.6) + MoveMillis(0.6, 1.0));
}

TEST_CASE("golden: Argo's background analysis starts at startingStep", "[golden][import][argo]") {
  // setWeight 20 / pause 10m / setWeight 40 / pause 10m, startingStep 2 (setWeight 40): a
  // fault from the first host on is not judged during the 20% stage; the run starts with the
  // 40% stage at 10m + the 1 ms move, its first measurement is due one interval later and taken
  // at the next tick (12m), which fails (failureLimit 0) and aborts.
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("error-rate=error_rate").ok());
  std::string spec = ArgoRollout(
      "      - setWeight: 20\n      - pause: {duration: 10m}\n      - setWeight: 40\n"
      "      - pause: {duration: 10m}\n",
      "0");
  spec = testing::ReplaceFirst(spec, "analysis: {templates: [{templateName: error-rate}]}",
                               "analysis: {templates: [{templateName: error-rate}], "
                               "startingStep: 2}");
  const Policy p = Imported(spec, "web.yaml", options);
  REQUIRE(p.health);
  CHECK(p.health->Schedule().start_at_step == 1);
  const ChangeOutcome o = RunReplica(World("fatal"), p, 1, 0).outcomes.at(0);
  REQUIRE(o.final_state == FinalState::kRolledBack);
  CHECK(o.verdicts == 1);
  CHECK(o.detected_stage == 1);
  REQUIRE(o.detected_at);
  CHECK(*o.detected_at == SimTime::Minutes(12));
}

TEST_CASE("golden: Argo's blueGreen postPromotionAnalysis runs from the switch",
          "[golden][import][argo]") {
  // autoPromotionSeconds 300: the switch at 5m (+ the 1 ms preview); the post-promotion run
  // (interval 1m, failureLimit 0) measures first at the tick 1m later (7m, as the switch came
  // just after 5m) and aborts: traffic goes back to the kept old stack at once.
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("error-rate=error_rate").ok());
  std::string spec = ArgoRollout("      - setWeight: 10\n", "0");
  spec = testing::ReplaceFirst(
      spec,
      "    canary:\n      analysis: {templates: [{templateName: error-rate}]}\n      steps:\n"
      "      - setWeight: 10\n",
      "    blueGreen:\n      activeService: active\n      autoPromotionSeconds: 300\n"
      "      postPromotionAnalysis: {templates: [{templateName: error-rate}]}\n");
  spec = testing::ReplaceFirst(spec, "    interval: 1m\n", "    interval: 1m\n    count: 3\n");
  const Policy p = Imported(spec, "bg.yaml", options);
  const ChangeOutcome good = RunReplica(World(""), p, 1, 0).outcomes.at(0);
  CHECK(good.verdicts == 3);  // Successful after count 3: the run ends
  CHECK(good.completed_at);
  const ChangeOutcome bad = RunReplica(World("fatal"), p, 1, 0).outcomes.at(0);
  REQUIRE(bad.final_state == FinalState::kRolledBack);
  CHECK(bad.verdicts == 1);
  CHECK(bad.detected_stage == 1);
  REQUIRE(bad.detected_at);
  CHECK(*bad.detected_at == SimTime::Minutes(7));
}

}  // namespace
}  // namespace fleetsim
