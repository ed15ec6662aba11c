// infrastructure.propagation_delay against exact closed forms, on the noise-free 10,000-host
// scenario of the simulation tests split into two regions (r1 = cluster a, r2 = cluster b, 5,000
// hosts each; deploy 1,000 hosts/min, roll back 2,000 hosts/min; stages 1/5/25/100% judged
// every minute; fault `fatal` = +50% errors). The hosts of a region run what the deploy system
// pushed that region's delay earlier, rollbacks included:
//  - a region with delay d reaches each stage's exposure exactly d later than a region without;
//  - the time to first impact, full exposure and the end of the impact shift by exactly d;
//  - exposed host-minutes fall by exactly d x (hosts of the delayed regions) over a run that ends
//    at 100%;
//  - people's rollback and kill switch reach the hosts a delay after they act;
//  - a zero delay, bypass pushes and feature flags are unaffected.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::kStagesPolicyYaml;
using testing::PolicyFromYaml;
using testing::ReplaceFirst;
using testing::ScenarioFromYaml;

// Two regions of 5,000 hosts; `delay` is the propagation_delay mapping ("" for none).
std::string World(const std::string& injected, const std::string& delay) {
  std::string yaml = testing::TenThousandHostScenarioYaml("propagation", injected);
  yaml = ReplaceFirst(
      yaml, "    - {name: r1, clusters: [{name: a, hosts: 5000}, {name: b, hosts: 5000}]}",
      "    - {name: r1, clusters: [{name: a, hosts: 5000}]}\n    - {name: r2, clusters: [{name: b, "
      "hosts: 5000}]}");
  if (!delay.empty()) yaml += "infrastructure:\n  propagation_delay: " + delay + "\n";
  return yaml;
}

struct ExposureLog : SimObserver {
  std::vector<std::pair<SimTime, int64_t>> points;
  void OnExposure(int64_t change, SimTime t, int64_t hosts) override {
    if (change == 0) points.emplace_back(t, hosts);
  }
  // Exposure at t on the recorded piecewise-linear path (the last point at t wins).
  double At(SimTime t) const {
    double value = 0;
    for (size_t i = 0; i < points.size(); ++i) {
      if (points[i].first == t) value = static_cast<double>(points[i].second);
      if (i + 1 < points.size() && points[i].first < t && t < points[i + 1].first) {
        const double u = static_cast<double>((t - points[i].first).millis()) /
                         static_cast<double>((points[i + 1].first - points[i].first).millis());
        value = static_cast<double>(points[i].second) +
                u * static_cast<double>(points[i + 1].second - points[i].second);
      }
    }
    return value;
  }
};

struct Run {
  ChangeOutcome outcome;
  ExposureLog log;
};

Run RunOne(const std::string& yaml, const std::string& policy_yaml = kStagesPolicyYaml) {
  Scenario scenario = ScenarioFromYaml(yaml);
  Policy policy = PolicyFromYaml(policy_yaml);
  Run run;
  ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0, &run.log);
  REQUIRE(r.outcomes.size() >= 1);
  run.outcome = r.outcomes[0];
  return run;
}

SimTime Min(int64_t m, int64_t s = 0) { return SimTime::Minutes(m) + SimTime::Seconds(s); }

TEST_CASE("a region with propagation delay d reaches each stage's exposure exactly d later",
          "[propagation]") {
  const Run run = RunOne(World("    - {at: 10m}\n", "{regions: {r2: 7m}}"));
  // Canary 1%: 50 hosts per cluster pushed 10m..10m06s (100 hosts at 1,000/min). r1 runs them
  // at 10m06s, r2 exactly 7 minutes later.
  CHECK(run.log.At(Min(10)) == 0);
  CHECK(run.log.At(Min(10, 6)) == 50);
  CHECK(run.log.At(Min(17)) == 50);
  CHECK(run.log.At(Min(17, 3)) == 75);
  CHECK(run.log.At(Min(17, 6)) == 100);
  // 5% (250 per cluster): pushed 40m06s..40m30s; r2 follows 7 minutes later.
  CHECK(run.log.At(Min(40, 30)) == 250 + 50);
  CHECK(run.log.At(Min(47, 6)) == 250 + 50);
  CHECK(run.log.At(Min(47, 30)) == 500);
  // 100%: pushed 2h42m30s..2h50m; every host runs it at 2h57m, which is the full exposure.
  REQUIRE(run.outcome.full_exposure_at.has_value());
  CHECK(run.outcome.full_exposure_at->millis() == Min(177).millis());
  // At 2h50m r1 is done (5,000) and r2 runs what was pushed at 2h43m: 1,250 + 3,750 x 30s/7m30s.
  CHECK(run.log.At(Min(170)) == 5000 + 1500);
  CHECK(run.outcome.final_state == FinalState::kCompleted);

  // Without the delay the same change is on every host at 2h50m.
  const Run plain = RunOne(World("    - {at: 10m}\n", ""));
  CHECK(plain.outcome.full_exposure_at->millis() == Min(170).millis());
  CHECK(plain.log.At(Min(10, 6)) == 100);
  // Host-minutes: r2's path is r1's shifted by 7m, and the run ends with all 5,000 r2 hosts on it.
  CHECK(run.outcome.exposed_host_minutes ==
        Approx(plain.outcome.exposed_host_minutes - 7 * 5000).margin(1e-6));
}

TEST_CASE(
    "a delay everywhere shifts the first impact, the detection and the end of the impact by "
    "exactly d",
    "[propagation]") {
  const Run plain = RunOne(World("    - {at: 10m, fault: fatal}\n", ""));
  const Run late = RunOne(World("    - {at: 10m, fault: fatal}\n", "{default: 7m}"));
  // Without delay: impact at 10m, the first verdict (11m) catches it, 100 hosts back by 11m03s.
  REQUIRE(plain.outcome.impact_start.has_value());
  CHECK(plain.outcome.impact_start->millis() == Min(10).millis());
  CHECK(plain.outcome.impact_end->millis() == Min(11, 3).millis());
  // With 7m everywhere the hosts take the canary at 17m, the verdict at 18m rolls it back, and
  // the revert reaches the hosts at 18m03s + 7m.
  REQUIRE(late.outcome.impact_start.has_value());
  CHECK(late.outcome.impact_start->millis() - plain.outcome.impact_start->millis() ==
        Min(7).millis());
  CHECK(late.outcome.ttd()->millis() == plain.outcome.ttd()->millis());
  CHECK(late.outcome.detected_at->millis() == Min(18).millis());
  CHECK(late.outcome.impact_end->millis() == Min(25, 3).millis());
  CHECK(late.outcome.ttm()->millis() == plain.outcome.ttm()->millis() + Min(7).millis());
  CHECK(late.outcome.peak_exposed_fraction == plain.outcome.peak_exposed_fraction);
  CHECK(late.outcome.final_state == FinalState::kRolledBack);
}

TEST_CASE(
    "a rollback reaches a delayed region only after its delay, so that region is hit after "
    "detection",
    "[propagation]") {
  const Run run = RunOne(World("    - {at: 10m, fault: fatal}\n", "{regions: {r2: 7m}}"));
  // r1 (no delay) shows the fault at 10m; the verdict at 11m rolls back. r2 took the canary at
  // 17m..17m06s and drops it 18m..18m03s: the impact ends at 11m03s + 7m.
  CHECK(run.outcome.impact_start->millis() == Min(10).millis());
  CHECK(run.outcome.detected_at->millis() == Min(11).millis());
  CHECK(run.outcome.impact_end->millis() == Min(18, 3).millis());
  CHECK(run.outcome.regions_impacted == 2);
  // Never more than one region's 50 canary hosts at a time.
  CHECK(run.outcome.peak_exposed_fraction == Approx(0.005).margin(1e-12));
  CHECK(run.log.At(Min(11, 3)) == 0);
  CHECK(run.log.At(Min(17, 6)) == 50);
  CHECK(run.log.At(Min(18, 3)) == 0);
}

TEST_CASE("people's rollback and kill switch reach the hosts a delay after they act",
          "[propagation]") {
  // big_bang, 1,000 hosts/min; a global alert at 1% errors held 5 minutes, response 20m. Without
  // delay (as in the incident tests) the alert fires at 15m, the response comes at 35m and the
  // rollback (10,000 hosts at 2,000/min) ends the impact at 40m, a kill switch at 35m. With 7m
  // everywhere the hosts see the change 7m later (alert 22m, response 42m) and the revert
  // reaches them 7m after it is pushed: every end shifts by 2 x 7m.
  const char* big_bang = "rollout: {kind: big_bang}\n";
  auto people = [](const std::string& delay, const std::string& mitigation) {
    return ReplaceFirst(
        World("    - {at: 10m, fault: fatal}\n", delay), "humans: {enabled: false}",
        "humans: {alert: {error_rate: 0.01, for: 5m}, response_time: {median: 20m, sigma: 0}" +
            mitigation + "}");
  };
  for (const std::string mitigation : {"", ", mitigation: kill_switch"}) {
    INFO("mitigation: " << mitigation);
    const ChangeOutcome plain = RunOne(people("", mitigation), big_bang).outcome;
    const ChangeOutcome late = RunOne(people("{default: 7m}", mitigation), big_bang).outcome;
    const int64_t end = mitigation.empty() ? 40 : 35;
    CHECK(plain.detected_at->millis() == Min(35).millis());
    CHECK(plain.impact_end->millis() == Min(end).millis());
    CHECK(late.impact_start->millis() == Min(17).millis());
    CHECK(late.detected_at->millis() == Min(42).millis());
    CHECK(late.impact_end->millis() == Min(end + 14).millis());
  }
}

TEST_CASE("a zero delay, bypass pushes and feature flags ignore the propagation delay",
          "[propagation]") {
  const Run plain = RunOne(World("    - {at: 10m, fault: fatal}\n", ""));
  const Run zero =
      RunOne(World("    - {at: 10m, fault: fatal}\n", "{default: 0s, regions: {r2: 0s}}"));
  CHECK(zero.log.points == plain.log.points);
  CHECK(zero.outcome.impact_end->millis() == plain.outcome.impact_end->millis());

  const std::string bypass = "    - {at: 10m, fault: fatal, bypass: {propagation: 30s}}\n";
  const Run pushed = RunOne(World(bypass, "{default: 7m}"));
  CHECK(pushed.outcome.full_exposure_at->millis() == Min(10, 30).millis());
  CHECK(pushed.log.points == RunOne(World(bypass, "")).log.points);

  const char* flag =
      "rollout: {kind: feature_flag, propagation: 20s, ramp: [{percent: 10, bake: 1h}, {percent: "
      "100, bake: 0s}]}\n";
  const Run flagged = RunOne(World("    - {at: 10m}\n", "{default: 7m}"), flag);
  CHECK(flagged.log.points == RunOne(World("    - {at: 10m}\n", ""), flag).log.points);
}

}  // namespace
}  // namespace fleetsim
