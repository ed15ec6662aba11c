// Detection means acted on (DESIGN §5): a failing verdict alone never detects a fault. Detection is
// the first moment something acted: an automated rollback or pause that took effect, a hold
// (Flagger's scheduler), or a person's rollback; failing verdicts nothing acted on are counted in
// ChangeOutcome::unacted_verdicts and shown on the timeline as "verdict lost"; a change escapes
// when it reached its final stage before any acting detection.
//
// One fatal change (+50% errors, from its first host) on 10,000 noiseless hosts, deploys at
// 1,000,000 hosts/min (a move of 2,000 hosts takes 120 ms), people who answer an alert in exactly
// 20 minutes. Every time below follows from those numbers.
#include <catch2/catch.hpp>

#include <string>

#include "analysis/monte_carlo.h"
#include "analysis/outage_replay.h"
#include "analysis/timeline.h"
#include "analysis/timeline_text.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

// `extra`: more top-level keys (automation:), one a line.
Scenario World(const std::string& alert, const std::string& extra = "") {
  std::string yaml = testing::SingleChangeScenarioYaml(R"(
name: acted
duration: 4h
fleet: {hosts: 10000, clusters_per_region: 2, regions: [{name: a}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
signals: {base_error_rate: 0.001, latency_noise: 0}
deploy: {hosts_per_minute: 1000000, rollback_hosts_per_minute: 1000000}
)" + extra,
                                                       "1h", "fatal");
  const std::string off = "humans: {enabled: false}";
  yaml.replace(yaml.find(off), off.size(),
               "humans: {alert: " + alert + ", response_time: {median: 20m, sigma: 0}}");
  return testing::ScenarioFromYaml(yaml);
}

// Flagger-style linear weights 20 -> 40 -> 60 -> 80% a minute each, then 100%; the check fails
// every minute the fault is on any host.
Policy Linear(const std::string& health_extra) {
  return testing::PolicyFromYaml(
      "rollout: {kind: linear, step: 20, max: 80, interval: 1m}\n"
      "health: {interval: 1m, " +
      health_extra + " checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n");
}

SimTime At(int minutes_after_arrival) {
  return SimTime::Hours(1) + SimTime::Minutes(minutes_after_arrival);
}

struct Run {
  ChangeOutcome o;
  Timeline timeline;
};

Run RunOne(const Scenario& s, const Policy& p) {
  TimelineRecorder recorder(s.faults, 0);
  Run run;
  run.o = RunReplica(s, p, 1, 0, &recorder).outcomes.at(0);
  run.timeline = recorder.TakeTimeline();
  return run;
}

TEST_CASE("a linear policy stepping on through failing verdicts is detected by the person",
          "[acted_detection]") {
  // failure_limit 100: the run never stops it. Verdicts at T+1..T+4 (steps 20..80%) fail; the
  // 80% step's bake ends at T+4m 480 ms and the 100% step completes 120 ms later, so the four
  // failures end with the rollout, unacted. The fleet error rate passes 35% once 80% run it (0.4
  // at T+4, 0.5 at T+5): the alert (2 minutes) fires at T+5, the person rolls back at T+25.
  const Run run = RunOne(World("{error_rate: 0.35, for: 2m}"), Linear("failure_limit: 100,"));
  const ChangeOutcome& o = run.o;
  CHECK(o.failing_verdicts == 4);
  CHECK(o.unacted_verdicts == 4);
  CHECK(o.detected_by == DetectedBy::kHuman);
  CHECK(o.escaped);
  CHECK(o.peak_exposed_fraction == 1.0);
  REQUIRE(o.detected_at.has_value());
  CHECK(o.detected_at->millis() == At(25).millis());
  CHECK(o.ttd()->millis() == SimTime::Minutes(25).millis());
  // The timeline says the verdicts were lost, and why.
  int lost = 0;
  for (const TimelineEvent& e : run.timeline.events) {
    if (e.kind != TimelineKind::kVerdictsLost) continue;
    ++lost;
    CHECK(e.value == 4);
    CHECK(e.text == UnactedReasonText(UnactedReason::kCompleted));
  }
  CHECK(lost == 1);
  const std::string text = RenderTimelineText(run.timeline, World("{error_rate: 0.35, for: 2m}"));
  CHECK(text.find("verdict lost: 4 failing verdicts acted on nothing") != std::string::npos);
}

TEST_CASE("a halting policy detects at the first held step", "[acted_detection]") {
  // Flagger's scheduler: the first failed check (T+1) holds the 20% step; that is the detection,
  // by automation, in the first step; the rollback follows at the threshold, before any escape.
  const Run run =
      RunOne(World("{error_rate: 0.99, for: 1h}"), Linear("counting: flagger, failure_limit: 3,"));
  const ChangeOutcome& o = run.o;
  CHECK(o.detected_by == DetectedBy::kAutomation);
  REQUIRE(o.detected_at.has_value());
  CHECK(o.detected_at->millis() == At(1).millis());
  CHECK(o.detected_stage == 0);
  CHECK(o.unacted_verdicts == 0);
  CHECK_FALSE(o.escaped);
  CHECK(o.peak_exposed_fraction == 0.2);
  CHECK(o.stopped_by == StopSource::kAutomation);
}

TEST_CASE("a failure limit detects at the stop its failures counted towards", "[acted_detection]") {
  // failure_limit 3 (cumulative): verdicts at T+1, T+2 count, T+3 rolls back (in the 60% step).
  // Detection is the rollback; the first two failures acted through it: none unacted.
  const Run run = RunOne(World("{error_rate: 0.99, for: 1h}"), Linear("failure_limit: 3,"));
  const ChangeOutcome& o = run.o;
  CHECK(o.failing_verdicts == 3);
  CHECK(o.unacted_verdicts == 0);
  CHECK(o.detected_by == DetectedBy::kAutomation);
  REQUIRE(o.detected_at.has_value());
  CHECK(o.detected_at->millis() == At(3).millis());
  CHECK(o.detected_stage == 2);
  CHECK_FALSE(o.escaped);
}

TEST_CASE("a late orchestrator detects when its stop takes effect", "[acted_detection]") {
  // automation.rollback_delay 2m: the first failing verdict (T+1) asks for the stop, which
  // starts at T+3 (in the 60% step); the verdict in between waits for it and acts through it.
  const Run run = RunOne(World("{error_rate: 0.99, for: 1h}", "automation: {rollback_delay: 2m}\n"),
                         Linear("failure_limit: 1,"));
  const ChangeOutcome& o = run.o;
  CHECK(o.detected_by == DetectedBy::kAutomation);
  REQUIRE(o.detected_at.has_value());
  CHECK(o.detected_at->millis() == At(3).millis());
  CHECK(o.failing_verdicts == 2);
  CHECK(o.unacted_verdicts == 0);
  CHECK_FALSE(o.escaped);
}

TEST_CASE("a stop later than the rollout's end acts on nothing", "[acted_detection]") {
  // rollback_delay 5m: the stop would start at T+6, but the rollout completed at T+4m 600 ms;
  // its four failing verdicts were acted on by nothing and the person's rollback (T+25) detects.
  const Run run = RunOne(World("{error_rate: 0.35, for: 2m}", "automation: {rollback_delay: 5m}\n"),
                         Linear("failure_limit: 1,"));
  const ChangeOutcome& o = run.o;
  CHECK(o.unacted_verdicts == 4);
  CHECK(o.detected_by == DetectedBy::kHuman);
  REQUIRE(o.detected_at.has_value());
  CHECK(o.detected_at->millis() == At(25).millis());
  CHECK(o.escaped);
}

TEST_CASE("with automation disabled, detection is the person's, not the lost verdict",
          "[acted_detection]") {
  // Every failing verdict asks for a rollback that never reaches the push (one lost stop each).
  // The alert (35% for 2 minutes) fires at T+5 and the person rolls back at T+25.
  const Scenario s = World("{error_rate: 0.35, for: 2m}", "automation: {enabled: false}\n");
  const Policy p = Linear("failure_limit: 1,");
  const Run run = RunOne(s, p);
  const ChangeOutcome& o = run.o;
  CHECK(o.failing_verdicts == 4);
  CHECK(o.unacted_verdicts == 4);
  CHECK(o.detected_by == DetectedBy::kHuman);
  REQUIRE(o.detected_at.has_value());
  CHECK(o.detected_at->millis() == At(25).millis());
  CHECK(o.escaped);
  int lost = 0;
  for (const TimelineEvent& e : run.timeline.events) {
    if (e.kind != TimelineKind::kVerdictsLost) continue;
    ++lost;
    CHECK(e.value == 1);
    CHECK(e.text == UnactedReasonText(UnactedReason::kAutomationDisabled));
  }
  CHECK(lost == 4);
  // The replay's detection moment is the people's (the page that led to the person's rollback),
  // not the first failing verdict at T+1; the mitigation is the person's rollback.
  const std::vector<Policy> policies{p};
  const OutageReplay replay = ReplayOutage(s, policies, 1);
  const ReplayRun& r = replay.runs.at(0);
  const ReplayMoment& detection = r.Moment(OutageMoment::kDetection);
  const ReplayMoment& mitigation = r.Moment(OutageMoment::kMitigationStart);
  REQUIRE(detection.at.has_value());
  CHECK(detection.by == "alert");
  CHECK(detection.at->millis() == SimTime::Minutes(5).millis());
  REQUIRE(mitigation.at.has_value());
  CHECK(mitigation.by == "human");
  CHECK(mitigation.at->millis() == SimTime::Minutes(25).millis());
}

TEST_CASE("a dry run's failing verdicts are all unacted and detect nothing", "[acted_detection]") {
  const Run run =
      RunOne(World("{error_rate: 0.99, for: 1h}"), Linear("dry_run: true, failure_limit: 1,"));
  const ChangeOutcome& o = run.o;
  CHECK(o.failing_verdicts >= 4);
  CHECK(o.dry_run_stops == o.failing_verdicts);
  CHECK(o.unacted_verdicts == o.failing_verdicts);
  CHECK(o.detected_by == DetectedBy::kNone);
  CHECK(o.escaped);
}

}  // namespace
}  // namespace fleetsim
