// Chrome trace export: valid trace-event JSON (what Perfetto and chrome://tracing need), one
// named thread per change, steps and rollbacks as complete events at closed-form times, the
// failing verdict as an instant event, and counters for exposure and fleet error rate.
//
// Scenario and closed forms as in tests/analysis/timeline_test.cc: change #0 (fatal) arrives at
// 10m, its canary is judged failing at 11m and rolled back by 11m03s; change #1 (good) arrives
// at 1h and completes at 4h40m.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "analysis/monte_carlo.h"
#include "analysis/timeline.h"
#include "analysis/trace_export.h"
#include "loader/scenario_loader.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using nlohmann::json;

using testing::PolicyFromYaml;
using testing::ScenarioFromYaml;

// Change #0 (fatal) at 10m, change #1 (good) at 1h.
const std::string kScenario = testing::TenThousandHostScenarioYaml(
    "trace", "    - {at: 10m, fault: fatal}\n    - {at: 1h}\n");

const std::string kStages = "\nname: stages" + std::string(testing::kStagesPolicyYaml);

int64_t Us(int64_t minutes, int64_t seconds = 0) { return (minutes * 60 + seconds) * 1'000'000; }

// Structural rules every trace must satisfy; returns the parsed trace.
json CheckTraceStructure(const std::string& text, size_t changes) {
  json trace;
  REQUIRE_NOTHROW(trace = json::parse(text));
  REQUIRE(trace.is_object());
  REQUIRE(trace.contains("traceEvents"));
  REQUIRE(trace["traceEvents"].is_array());
  CHECK(trace["displayTimeUnit"] == "ms");
  REQUIRE(trace.contains("metadata"));
  int64_t last_ts = 0;
  std::set<int64_t> named_threads;
  bool process_named = false;
  for (const json& e : trace["traceEvents"]) {
    REQUIRE(e.is_object());
    REQUIRE(e.contains("name"));
    REQUIRE(e["name"].is_string());
    REQUIRE(e.contains("ph"));
    REQUIRE(e.contains("ts"));
    REQUIRE(e["ts"].is_number_integer());
    CHECK(e["pid"] == 1);
    const int64_t ts = e["ts"].get<int64_t>();
    CHECK(ts >= last_ts);  // sorted
    last_ts = ts;
    const std::string ph = e["ph"];
    CHECK((ph == "X" || ph == "i" || ph == "C" || ph == "M"));
    if (ph == "X") {
      REQUIRE(e.contains("dur"));
      REQUIRE(e["dur"].is_number_integer());
      CHECK(e["dur"].get<int64_t>() >= 0);
    }
    if (ph == "C") {
      REQUIRE(e["args"].is_object());
      for (const auto& [key, value] : e["args"].items()) CHECK(value.is_number());
    }
    if (ph == "M" && e["name"] == "thread_name") named_threads.insert(e["tid"].get<int64_t>());
    if (ph == "M" && e["name"] == "process_name") process_named = true;
  }
  CHECK(process_named);
  CHECK(named_threads.count(0) == 1);
  for (size_t id = 0; id < changes; ++id)
    CHECK(named_threads.count(static_cast<int64_t>(id) + 1) == 1);
  return trace;
}

TEST_CASE("the chrome trace of a replica is valid trace-event JSON with closed-form spans",
          "[trace]") {
  Scenario scenario = ScenarioFromYaml(kScenario);
  Policy policy = PolicyFromYaml(kStages);
  TimelineRecorder recorder(scenario.faults, 0);
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0, &recorder);
  const std::string text = RenderChromeTrace(recorder.timeline(), scenario, policy, uint64_t{7});
  INFO(text.substr(0, 4000));
  const json trace = CheckTraceStructure(text, r.outcomes.size());

  CHECK(trace["metadata"]["seed"] == 7);
  CHECK(trace["metadata"]["scenario"] == "trace");
  CHECK(trace["metadata"]["policy"] == "stages");
  CHECK(trace["metadata"]["replica"] == 0);

  std::map<int64_t, std::string> thread_names;
  std::string process_name;
  std::vector<json> x1, x2, verdict_fails, counters_exposure0, error_rate, impact;
  for (const json& e : trace["traceEvents"]) {
    const std::string ph = e["ph"];
    if (ph == "M" && e["name"] == "thread_name") thread_names[e["tid"]] = e["args"]["name"];
    if (ph == "M" && e["name"] == "process_name") process_name = e["args"]["name"];
    if (ph == "X" && e["tid"] == 1) x1.push_back(e);
    if (ph == "X" && e["tid"] == 2) x2.push_back(e);
    if (ph == "i" && e["name"] == "verdict fail") verdict_fails.push_back(e);
    if (ph == "i" && e["tid"] == 1 && std::string(e["name"]).rfind("impact", 0) == 0)
      impact.push_back(e);
    if (ph == "C" && e["name"] == "exposure #0") counters_exposure0.push_back(e);
    if (ph == "C" && e["name"] == "fleet error rate") error_rate.push_back(e);
  }
  CHECK(process_name == "trace / stages / replica 0");
  CHECK(thread_names[0] == "fleet");
  CHECK(thread_names[1] == "change #0 (bad: fatal)");
  CHECK(thread_names[2] == "change #1 (good)");

  // Change #0: canary from 10m until the rollback at 11m, rollback until 11m03s.
  REQUIRE(x1.size() == 2);
  CHECK(x1[0]["name"] == "canary");
  CHECK(x1[0]["ts"] == Us(10));
  CHECK(x1[0]["dur"] == Us(1));
  CHECK(x1[0]["args"]["ended_by"] == "rollback");
  CHECK(x1[0]["args"]["target_hosts"] == 100);
  CHECK(x1[1]["name"] == "rollback");
  CHECK(x1[1]["ts"] == Us(11));
  CHECK(x1[1]["dur"] == Us(0, 3));
  CHECK(x1[1]["args"]["source"] == "automation");
  CHECK(x1[1]["args"]["exposed_hosts_at_start"] == 100);

  // The failing verdict, with its reason.
  REQUIRE(verdict_fails.size() == 1);
  CHECK(verdict_fails[0]["tid"] == 1);
  CHECK(verdict_fails[0]["ts"] == Us(11));
  CHECK(verdict_fails[0]["s"] == "t");
  CHECK(verdict_fails[0]["args"]["verdict"] == "fail");
  CHECK(verdict_fails[0]["args"]["step_name"] == "canary");
  CHECK_FALSE(verdict_fails[0]["args"]["reason"].get<std::string>().empty());

  // Impact began with the rollout and ended with the rollback.
  REQUIRE(impact.size() == 3);  // began, region r1, ended
  CHECK(impact.front()["name"] == "impact began");
  CHECK(impact.front()["ts"] == Us(10));
  CHECK(impact[1]["name"] == "impact in region r1");
  CHECK(impact.back()["name"] == "impact ended");
  CHECK(impact.back()["ts"] == Us(11, 3));

  // Change #1: four steps back to back, the last until completion at 4h40m.
  REQUIRE(x2.size() == 4);
  const int64_t starts[] = {Us(60), Us(90, 6), Us(150, 30), Us(212, 30)};
  const int64_t ends[] = {Us(90, 6), Us(150, 30), Us(212, 30), Us(280)};
  const char* names[] = {"canary", "p5", "p25", "all"};
  for (int i = 0; i < 4; ++i) {
    CHECK(x2[i]["name"] == names[i]);
    CHECK(x2[i]["ts"] == starts[i]);
    CHECK(x2[i]["dur"].get<int64_t>() == ends[i] - starts[i]);
  }
  CHECK(x2[3]["args"]["ended_by"] == "completed");
  CHECK(x2[3]["args"]["final_step"] == true);
  CHECK(x2[3]["args"]["target_fraction"] == 1.0);

  // Exposure counter of #0: 0 -> 1% -> 0.
  REQUIRE(counters_exposure0.size() >= 3);
  CHECK(counters_exposure0.front()["args"]["fraction"] == 0.0);
  double peak = 0;
  for (const json& c : counters_exposure0)
    peak = std::max(peak, c["args"]["fraction"].get<double>());
  CHECK(peak == 0.01);
  CHECK(counters_exposure0.back()["args"]["fraction"] == 0.0);
  CHECK(counters_exposure0.back()["ts"] == Us(11, 3));

  // Fleet error rate: downsampled (fewer points than ticks) but never silent for 10 minutes.
  REQUIRE(error_rate.size() >= 72);
  CHECK(error_rate.size() <= 720);
  for (size_t i = 1; i < error_rate.size(); ++i) {
    CHECK(error_rate[i]["ts"].get<int64_t>() - error_rate[i - 1]["ts"].get<int64_t>() <= Us(10));
  }
  CHECK(error_rate.front()["tid"] == 0);

  // Deterministic.
  CHECK(text == RenderChromeTrace(recorder.timeline(), scenario, policy, uint64_t{7}));
}

TEST_CASE("the chrome trace without a seed has no seed in its metadata", "[trace]") {
  Scenario scenario = ScenarioFromYaml(kScenario);
  Policy policy = PolicyFromYaml(kStages);
  TimelineRecorder recorder(scenario.faults, 3);
  RunReplica(scenario, policy, scenario.seed, 3, &recorder);
  const json trace =
      CheckTraceStructure(RenderChromeTrace(recorder.timeline(), scenario, policy), 2);
  CHECK_FALSE(trace["metadata"].contains("seed"));
  CHECK(trace["metadata"]["replica"] == 3);
}

TEST_CASE("the chrome trace of a busy day stays well formed", "[trace]") {
  // The flagship example: hundreds of changes, noise, people; steps cut short by rollbacks and
  // rollouts still running when the run ends.
  Result<Scenario> loaded =
      LoadScenario(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/config-day.yaml");
  INFO(loaded.status().message());
  REQUIRE(loaded.ok());
  const Scenario& scenario = loaded.value();
  Result<Policy> policy =
      LoadPolicyFile(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/policies/configerator.yaml");
  INFO(policy.status().message());
  REQUIRE(policy.ok());
  TimelineRecorder recorder(scenario.faults, 0);
  ReplicaResult r = RunReplica(scenario, policy.value(), scenario.seed, 0, &recorder);
  const json trace = CheckTraceStructure(
      RenderChromeTrace(recorder.timeline(), scenario, policy.value()), r.outcomes.size());
  // Every change has as many step/rollback spans as its timeline has step starts and rollbacks.
  std::map<int64_t, int> spans, expected;
  for (const json& e : trace["traceEvents"]) {
    if (e["ph"] == "X") ++spans[e["tid"].get<int64_t>() - 1];
  }
  for (const TimelineEvent& e : recorder.timeline().events) {
    if (e.kind == TimelineKind::kStepStarted || e.kind == TimelineKind::kRollbackStarted)
      ++expected[e.change];
  }
  CHECK(spans == expected);
  CHECK(r.outcomes.size() > 100);
}

}  // namespace
}  // namespace fleetsim
