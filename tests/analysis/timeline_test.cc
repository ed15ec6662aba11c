// TimelineRecorder, ObserverFanout / RunReplica's extra observer, and the readable timeline text.
//
// Scenario and policy (tests/test_support.h, as in tests/sim/simulation_test.cc): 10,000 hosts
// in 2 clusters of 100 buckets, deploy 1,000 hosts/min, roll back 2,000 hosts/min, stages
// 1 -> 5 -> 25 -> 100% with a 5% error-rate threshold judged every minute. Change #0 (fatal:
// +50% errors) arrives at 10m, change #1 (good) at 1h. Closed forms:
//  - #0: canary starts at 10m and reaches 100 hosts at 10m + 100/1000 min = 10m06s; the fault
//    manifests at 10m (no onset delay); the first verdict (11m) fails; the rollback of 100 hosts
//    at 2,000/min ends 3 s later, at 11m03s, and the impact with it.
//  - #1: reaches 1/5/25/100% at 1h00m06s, 1h30m30s, 2h32m30s, 3h40m00s (deploy of 100, 400,
//    2,000, 7,500 hosts after bakes of 30m, 1h, 1h) and completes at 4h40m; it is judged every
//    minute from 1h01m to 4h39m: 219 passing verdicts.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analysis/monte_carlo.h"
#include "analysis/observer_fanout.h"
#include "analysis/report.h"
#include "analysis/timeline.h"
#include "analysis/timeline_text.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::PolicyFromYaml;
using testing::ScenarioFromYaml;

// Change #0 (fatal) at 10m, change #1 (good) at 1h.
const std::string kScenario = testing::TenThousandHostScenarioYaml(
    "timeline", "    - {at: 10m, fault: fatal}\n    - {at: 1h}\n");

const std::string kStages = "\nname: stages" + std::string(testing::kStagesPolicyYaml);

SimTime At(int64_t minutes, int64_t seconds = 0) {
  return SimTime::Minutes(minutes) + SimTime::Seconds(seconds);
}

struct Expected {
  TimelineKind kind;
  SimTime time;
  int step = -1;
  double value = 0;
  std::string text;  // prefix
};

std::vector<const TimelineEvent*> EventsOf(const Timeline& t, int64_t change) {
  std::vector<const TimelineEvent*> out;
  for (const TimelineEvent& e : t.events) {
    if (e.change == change && e.kind != TimelineKind::kAlert &&
        e.kind != TimelineKind::kHumanResponse) {
      out.push_back(&e);
    }
  }
  return out;
}

void CheckSequence(const std::vector<const TimelineEvent*>& got,
                   const std::vector<Expected>& want) {
  REQUIRE(got.size() >= want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("event " << i << ": got " << TimelineKindName(got[i]->kind) << " at "
                  << got[i]->time.millis() << " ms, want " << TimelineKindName(want[i].kind)
                  << " at " << want[i].time.millis() << " ms");
    CHECK(got[i]->kind == want[i].kind);
    CHECK(got[i]->time.millis() == want[i].time.millis());
    if (want[i].step >= 0) CHECK(got[i]->step == want[i].step);
    CHECK(got[i]->value == want[i].value);
    CHECK(got[i]->text.rfind(want[i].text, 0) == 0);
  }
}

std::string Csv(const Scenario& scenario, const Policy& policy, const ReplicaResult& result) {
  Report report;
  report.scenario = &scenario;
  report.seed = scenario.seed;
  report.replicas = 1;
  PolicyRun run;
  run.policy = &policy;
  run.replicas.push_back(result);
  report.runs.push_back(std::move(run));
  return RenderCsv(report);
}

TEST_CASE("timeline kinds have snake_case names", "[timeline]") {
  CHECK(std::string(TimelineKindName(TimelineKind::kArrived)) == "arrived");
  CHECK(std::string(TimelineKindName(TimelineKind::kStepStarted)) == "step_started");
  CHECK(std::string(TimelineKindName(TimelineKind::kRollbackStarted)) == "rollback_started");
  CHECK(std::string(TimelineKindName(TimelineKind::kImpactEnded)) == "impact_ended");
  CHECK(std::string(TimelineKindName(TimelineKind::kHumanResponse)) == "human_response");
}

TEST_CASE("the timeline recorder sees arrival, steps, verdict and rollback at closed-form times",
          "[timeline]") {
  Scenario scenario = ScenarioFromYaml(kScenario);
  Policy policy = PolicyFromYaml(kStages);
  TimelineRecorder recorder(scenario.faults, 0);
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0, &recorder);
  const Timeline& t = recorder.timeline();
  CHECK(t.replica == 0);
  CHECK(t.scope_hosts == 10000);

  // Call order is simulated-time order.
  for (size_t i = 1; i < t.events.size(); ++i) CHECK(t.events[i - 1].time <= t.events[i].time);

  // The fatal change, event by event (exposure breakpoints included).
  CheckSequence(EventsOf(t, 0), {
                                    {TimelineKind::kArrived, At(10), -1, 0, "fatal"},
                                    {TimelineKind::kStepStarted, At(10), 0, 0, "canary"},
                                    {TimelineKind::kExposure, At(10), -1, 0, ""},
                                    {TimelineKind::kImpactBegan, At(10), -1, 0, ""},
                                    {TimelineKind::kExposure, At(10, 6), -1, 100, ""},
                                    {TimelineKind::kStepReached, At(10, 6), 0, 100, ""},
                                    {TimelineKind::kRegionImpacted, At(11), -1, 0, ""},
                                    {TimelineKind::kVerdict, At(11), 0, 0, "fail: "},
                                    {TimelineKind::kRollbackStarted, At(11), 0, 0, "automation"},
                                    {TimelineKind::kExposure, At(11), -1, 100, ""},
                                    {TimelineKind::kExposure, At(11, 3), -1, 0, ""},
                                    {TimelineKind::kRollbackFinished, At(11, 3), -1, 0, ""},
                                    {TimelineKind::kImpactEnded, At(11, 3), -1, 0, ""},
                                });
  CHECK(EventsOf(t, 0).size() == 13);

  // The good change: step starts, targets reached, full exposure, completion.
  std::vector<const TimelineEvent*> good;
  int passes = 0;
  for (const TimelineEvent* e : EventsOf(t, 1)) {
    if (e->kind == TimelineKind::kVerdict) {
      CHECK(e->text == "pass");
      ++passes;
    } else if (e->kind != TimelineKind::kExposure) {
      good.push_back(e);
    }
  }
  CHECK(passes == 219);
  CheckSequence(good, {
                          {TimelineKind::kArrived, At(60), -1, 0, "good"},
                          {TimelineKind::kStepStarted, At(60), 0, 0, "canary"},
                          {TimelineKind::kStepReached, At(60, 6), 0, 100, ""},
                          {TimelineKind::kStepStarted, At(90, 6), 1, 0, "p5"},
                          {TimelineKind::kStepReached, At(90, 30), 1, 500, ""},
                          {TimelineKind::kStepStarted, At(150, 30), 2, 0, "p25"},
                          {TimelineKind::kStepReached, At(152, 30), 2, 2500, ""},
                          {TimelineKind::kStepStarted, At(212, 30), 3, 1, "all"},
                          {TimelineKind::kStepReached, At(220), 3, 10000, ""},
                          {TimelineKind::kFullExposure, At(220), -1, 0, ""},
                          {TimelineKind::kCompleted, At(280), -1, 0, ""},
                      });
  CHECK(good.size() == 11);

  // One error rate per tick: 12h of 1-minute ticks, base error rate about 0.1% when quiet.
  REQUIRE(t.tick_times.size() == 720);
  REQUIRE(t.fleet_error_rate.size() == 720);
  CHECK(t.tick_times.front().millis() == At(1).millis());
  CHECK(t.tick_times.back().millis() == SimTime::Hours(12).millis());
  CHECK(t.fleet_error_rate[300] == Approx(0.001).margin(0.0005));
  // The tick at 11m covers the minute the canary (1% of hosts) ran the fatal change: +0.5% errors.
  CHECK(t.fleet_error_rate[10] == Approx(0.001 + 0.005).margin(0.001));

  // The run behind the timeline is the same as the one the outcomes describe.
  REQUIRE(r.outcomes.size() == 2);
  CHECK(r.outcomes[0].impact_end->millis() == At(11, 3).millis());
  CHECK(r.outcomes[1].completed_at->millis() == At(280).millis());
}

TEST_CASE("results are identical with and without an extra observer", "[timeline][monte_carlo]") {
  // A noisier scenario with a change stream and people, so every hook fires.
  std::string yaml = kScenario;
  yaml.replace(
      yaml.find("humans: {enabled: false}"), std::string("humans: {enabled: false}").size(),
      "humans: {alert: {error_rate: 0.003, for: 3m}, response_time: {median: 20m, sigma: 0.5}}");
  yaml.replace(yaml.find("latency_noise: 0}"), std::string("latency_noise: 0}").size(),
               "latency_noise: 0.05, overdispersion: 0.5, cell_heterogeneity: 0.25}");
  yaml += "  config: {per_day: 60, bad_fraction: 0.3}\n";
  Scenario scenario = ScenarioFromYaml(yaml);
  Policy policy = PolicyFromYaml(kStages);
  for (uint32_t replica = 0; replica < 3; ++replica) {
    const ReplicaResult plain = RunReplica(scenario, policy, 11, replica);
    TimelineRecorder recorder(scenario.faults, replica);
    const ReplicaResult observed = RunReplica(scenario, policy, 11, replica, &recorder);
    const ReplicaResult null_extra = RunReplica(scenario, policy, 11, replica, nullptr);
    CHECK(plain.replica == observed.replica);
    CHECK(plain.fleet_requests == observed.fleet_requests);
    CHECK(plain.fleet_errors == observed.fleet_errors);
    CHECK(plain.alerts == observed.alerts);
    CHECK(plain.outcomes.size() == observed.outcomes.size());
    CHECK(plain.outcomes.size() > 5);
    CHECK(Csv(scenario, policy, plain) == Csv(scenario, policy, observed));
    CHECK(Csv(scenario, policy, plain) == Csv(scenario, policy, null_extra));
    // The recorder saw the same run: one arrival per outcome, one error rate per tick.
    int arrivals = 0;
    for (const TimelineEvent& e : recorder.timeline().events)
      arrivals += e.kind == TimelineKind::kArrived;
    CHECK(arrivals == static_cast<int>(observed.outcomes.size()));
    CHECK(recorder.timeline().tick_times.size() == 720);
  }
}

TEST_CASE("the fanout forwards every hook to every observer in order", "[timeline][observer]") {
  struct Probe : SimObserver {
    Probe(std::vector<std::string>& log, std::string name) : log(&log), name(std::move(name)) {}
    void OnAlert(SimTime) override { log->push_back(name + ":alert"); }
    void OnRunEnded(SimTime) override { log->push_back(name + ":end"); }
    void OnPaused(int64_t, int, SimTime) override { log->push_back(name + ":paused"); }
    void OnResumed(int64_t, SimTime) override { log->push_back(name + ":resumed"); }
    void OnDryRunStop(int64_t, int, SimTime) override { log->push_back(name + ":dry_run"); }
    void OnDeployFailed(int64_t, int, SimTime, const std::string&) override {
      log->push_back(name + ":deploy_failed");
    }
    std::vector<std::string>* log;
    std::string name;
  };
  std::vector<std::string> log;
  Probe a(log, "a"), b(log, "b");
  ObserverFanout fanout{&a, nullptr, &b};
  CHECK(fanout.size() == 2);
  fanout.OnAlert(SimTime::Minutes(1));
  fanout.OnRunEnded(SimTime::Minutes(2));
  CHECK(log == std::vector<std::string>{"a:alert", "b:alert", "a:end", "b:end"});
  log.clear();
  // The hooks of pauses, dry runs and deploy failures too (missing them once made a traced
  // run's outcomes miss every pause).
  fanout.OnPaused(0, 0, SimTime::Minutes(3));
  fanout.OnResumed(0, SimTime::Minutes(4));
  fanout.OnDryRunStop(0, 0, SimTime::Minutes(5));
  fanout.OnDeployFailed(0, 0, SimTime::Minutes(6), "why");
  CHECK(log == std::vector<std::string>{"a:paused", "b:paused", "a:resumed", "b:resumed",
                                        "a:dry_run", "b:dry_run", "a:deploy_failed",
                                        "b:deploy_failed"});
}

TEST_CASE("the text timeline tells the fatal change's story at minute resolution",
          "[timeline][text]") {
  Scenario scenario = ScenarioFromYaml(kScenario);
  Policy policy = PolicyFromYaml(kStages);
  TimelineRecorder recorder(scenario.faults, 0);
  RunReplica(scenario, policy, scenario.seed, 0, &recorder);
  const std::string text = RenderTimelineText(recorder.timeline(), scenario);
  INFO(text);
  auto has = [&](const std::string& line) { return text.find(line + "\n") != std::string::npos; };
  auto has_prefix = [&](const std::string& line) {
    return text.find("\n" + line) != std::string::npos;
  };
  CHECK(has("  0d 00:10  change #0  arrived (bad: fatal)"));
  CHECK(has("  0d 00:10  change #0  stage canary started (target 1.0% of 10,000 hosts)"));
  CHECK(has("  0d 00:10  change #0  fault manifests"));
  // Reached within the minute it started: no line of its own. p25 takes 2 minutes to deploy.
  CHECK(text.find("stage canary reached") == std::string::npos);
  CHECK(has("  0d 02:30  change #1  stage p25 started (target 25.0% of 10,000 hosts)"));
  CHECK(has("  0d 02:32  change #1  stage p25 reached 25.0% (2,500 hosts)"));
  CHECK(has_prefix("  0d 00:11  change #0  verdict FAIL: "));
  CHECK(has("  0d 00:11  change #0  rollback started by automation (exposed 100 hosts)"));
  CHECK(has("  0d 00:11  change #0  rollback finished; impact ended"));
  CHECK(has("  0d 01:00  change #1  arrived (good)"));
  CHECK(
      has("  0d 03:32  change #1  stage all started (final stage; target 100.0% of 10,000 hosts)"));
  CHECK(has("  0d 03:40  change #1  running on 100% of 10,000 hosts"));
  CHECK(has("  0d 04:40  change #1  rollout completed"));
  CHECK(has("  0d 12:00  fleet      run ended"));
  // Passing verdicts get no line, only a count per change.
  CHECK(text.find("verdict PASS") == std::string::npos);
  CHECK(text.find("verdict pass") == std::string::npos);
  CHECK(has("passing verdicts (not listed above):"));
  CHECK(has("  change #0  0"));
  CHECK(has("  change #1  219"));
  // Lines appear in time order: the fatal change's story in sequence.
  const size_t arrived = text.find("change #0  arrived");
  const size_t fail = text.find("change #0  verdict FAIL");
  const size_t rollback = text.find("change #0  rollback started");
  const size_t finished = text.find("change #0  rollback finished");
  CHECK(arrived < fail);
  CHECK(fail < rollback);
  CHECK(rollback < finished);
  // Deterministic.
  CHECK(text == RenderTimelineText(recorder.timeline(), scenario));
}

TEST_CASE("clock times are day and hh:mm, truncated to the minute", "[timeline][text]") {
  CHECK(FormatClock(SimTime::Zero()) == "0d 00:00");
  CHECK(FormatClock(SimTime::Minutes(130) + SimTime::Seconds(59)) == "0d 02:10");
  CHECK(FormatClock(SimTime::Hours(26) + SimTime::Minutes(5)) == "1d 02:05");
}

TEST_CASE("the text timeline reports alerts and human responses on the fleet line",
          "[timeline][text]") {
  std::string yaml = kScenario;
  yaml.replace(
      yaml.find("humans: {enabled: false}"), std::string("humans: {enabled: false}").size(),
      "humans: {alert: {error_rate: 0.01, for: 5m}, response_time: {median: 20m, sigma: 0}}");
  Scenario scenario = ScenarioFromYaml(yaml);
  Policy policy = PolicyFromYaml("name: bb\nrollout: {kind: big_bang}\n");
  TimelineRecorder recorder(scenario.faults, 0);
  RunReplica(scenario, policy, scenario.seed, 0, &recorder);
  const std::string text = RenderTimelineText(recorder.timeline(), scenario);
  INFO(text);
  // As in simulation_test.cc: the alert fires at the 15m tick, people respond 20 minutes later
  // and roll back 10,000 hosts at 2,000/min.
  CHECK(text.find("  0d 00:15  fleet      alert fired\n") != std::string::npos);
  CHECK(text.find("  0d 00:35  fleet      human response: rolled back change #0\n") !=
        std::string::npos);
  CHECK(text.find("  0d 00:35  change #0  rollback started by human (exposed 10,000 hosts)\n") !=
        std::string::npos);
  CHECK(text.find("  0d 00:40  change #0  rollback finished; impact ended\n") != std::string::npos);
}

}  // namespace
}  // namespace fleetsim
