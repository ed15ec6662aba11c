// Change scope (sim/fleet_target.h; `changes.config.scope`, `changes.injected[].target`): a
// change targeting some regions or clusters runs on their hosts only, its canary and control
// are drawn from them only, and its exposure is a share of the whole service.
//  - the target as a fleet of its own: maps from its clusters and cells to the fleet's;
//  - a change scoped to region A never exposes a host of B, and every window judged for it
//    holds A's hosts only (canary + control = A's host-minutes), even while a fatal change in
//    B fails half of B's requests; its exposure peaks at A's share of the fleet;
//  - a change scoped to one cluster of a two-cluster region is judged against that cluster;
//  - a fatal change scoped to B is caught there, with blast radius = its canary in B;
//  - bad names and empty targets are errors at file:line:col.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "analysis/monte_carlo.h"
#include "loader/scenario_loader.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::PolicyFromYaml;
using testing::ScenarioFromYaml;

// Region a: clusters a1 (4,000 hosts) and a2 (2,000); region b: b1 (4,000). Flat traffic, no
// noise; `injected` as in TenThousandHostScenarioYaml.
std::string TwoRegionYaml(const std::string& injected) {
  return R"(
name: scoped
duration: 8h
seed: 11
fleet:
  regions:
    - {name: a, clusters: [{name: a1, hosts: 4000}, {name: a2, hosts: 2000}]}
    - {name: b, clusters: [{name: b1, hosts: 4000}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
signals: {base_error_rate: 0.001, latency_noise: 0}
deploy: {hosts_per_minute: 1000, rollback_hosts_per_minute: 2000}
faults:
  - {name: fatal, error_rate_increase: 0.5}
humans: {enabled: false}
changes:
  injected:
)" + injected;
}

// A health policy that records what it is shown (per change id) and passes everything
// except a canary error rate above 5%.
struct Seen {
  int64_t change = 0;
  int64_t ticks = 0;  // in the window
  SignalWindow canary, control;
  std::vector<SignalWindow> canary_by_group, control_by_group;
};
class RecordingHealth : public HealthPolicy {
 public:
  explicit RecordingHealth(std::shared_ptr<std::vector<Seen>> seen) : seen_(std::move(seen)) {}
  std::string_view Kind() const override { return "recording"; }
  HealthSchedule Schedule() const override { return HealthSchedule{}; }
  Verdict Judge(const HealthObservation& o) const override {
    seen_->push_back(Seen{o.change->id, static_cast<int64_t>(o.window_ticks), o.canary, o.control,
                          o.canary_by_region, o.control_by_region});
    if (o.canary.error_rate() > 0.05) return Verdict{VerdictKind::kFail, "canary errors"};
    return Verdict{};
  }

 private:
  std::shared_ptr<std::vector<Seen>> seen_;
};

// Exposure per change and tick, from the engine's ground truth.
class ExposureLog : public SimObserver {
 public:
  void OnTick(const FleetTickSample&, std::span<const ChangeTickSample> samples) override {
    for (const ChangeTickSample& s : samples) {
      if (static_cast<size_t>(s.change_id) >= peak.size()) peak.resize(s.change_id + 1, 0);
      peak[s.change_id] = std::max(peak[s.change_id], s.exposed_hosts);
    }
  }
  std::vector<int64_t> peak;
};

struct ScopedRun {
  ReplicaResult result;
  std::vector<Seen> seen;
  ExposureLog log;
};

ScopedRun RunScoped(const std::string& injected) {
  Scenario scenario = ScenarioFromYaml(TwoRegionYaml(injected));
  Policy policy = PolicyFromYaml(R"(
rollout:
  kind: stages
  stages:
    - {name: canary, percent: 5, bake: 20m}
    - {name: half, percent: 50, bake: 20m}
    - {name: all, percent: 100, bake: 20m}
)");
  auto seen = std::make_shared<std::vector<Seen>>();
  policy.health = std::make_shared<RecordingHealth>(seen);
  ScopedRun run;
  run.result = RunReplica(scenario, policy, scenario.seed, 0, &run.log);
  run.seen = *seen;
  return run;
}

TEST_CASE("a target is a fleet of its own, mapped onto the fleet's clusters and cells", "[scope]") {
  Scenario s = ScenarioFromYaml(TwoRegionYaml("    - {at: 1h, target: {clusters: [a2, b1]}}\n"));
  REQUIRE(s.targets.size() == 2);
  const FleetTarget& whole = (*s.fleet_targets)[0];
  CHECK(whole.whole());
  CHECK(&whole.view() == s.fleet.get());
  const FleetTarget& t = (*s.fleet_targets)[1];
  CHECK_FALSE(t.whole());
  CHECK_FALSE(t.whole_regions());  // a2 without a1
  CHECK(t.name() == "clusters a2, b1");
  REQUIRE(t.view().clusters().size() == 2);
  CHECK(t.view().total_hosts() == 6000);
  CHECK(t.FleetCluster(0) == 1);
  CHECK(t.FleetCluster(1) == 2);
  CHECK(t.ViewCluster(0) == -1);
  CHECK(t.ViewCluster(2) == 1);
  CHECK(t.FleetRegion(1) == 1);
  // Bucket j of a view cluster is bucket j of its fleet cluster, with the same hosts.
  for (int cell = 0; cell < static_cast<int>(t.view().cells().size()); ++cell) {
    const Cell& v = t.view().cells()[static_cast<size_t>(cell)];
    const Cell& f = s.fleet->cells()[static_cast<size_t>(t.FleetCell(cell))];
    CHECK(f.bucket == v.bucket);
    CHECK(f.hosts == v.hosts);
    CHECK(f.cluster == t.FleetCluster(static_cast<size_t>(v.cluster)));
  }
  CHECK(s.changes.injected[0].target == 1);
}

TEST_CASE("a change scoped to region a never exposes or judges a host of region b", "[scope]") {
  // Change 0: good, region a. Change 1: fatal, pushed big-bang-like into region b at the same
  // time (its own rollout; it fails half of b's requests while it lasts).
  ScopedRun run = RunScoped(
      "    - {at: 30m, target: {regions: [a]}}\n"
      "    - {at: 30m, fault: fatal, target: {regions: [b]}}\n");
  REQUIRE(run.result.outcomes.size() == 2);
  const ChangeOutcome& good = run.result.outcomes[0];
  CHECK(good.final_state == FinalState::kCompleted);
  CHECK_FALSE(good.false_positive);
  CHECK_FALSE(good.misattributed);
  // Exposure: all of a (6,000 hosts) and nothing else; as a share of the fleet, a's 60%.
  CHECK(run.log.peak[0] == 6000);
  CHECK(good.peak_exposed_fraction == Approx(0.6).epsilon(1e-12));
  int judged = 0;
  for (const Seen& w : run.seen) {
    if (w.change != 0) continue;
    ++judged;
    // One tick per window: canary + control are a's 6,000 hosts, never b's 4,000.
    CHECK(w.canary.host_minutes + w.control.host_minutes == 6000 * w.ticks);
    // b's fault never reaches them (b fails half its requests meanwhile).
    CHECK(w.control.error_rate() < 0.005);
    REQUIRE(w.canary_by_group.size() == 2);
    CHECK(w.canary_by_group[1].requests == 0);
    CHECK(w.control_by_group[1].requests == 0);
    CHECK(w.control_by_group[0].host_minutes == w.control.host_minutes);
  }
  CHECK(judged > 30);
  // The fatal change in b: caught in its 5% canary of b (200 hosts), 2% of the fleet.
  const ChangeOutcome& fatal = run.result.outcomes[1];
  CHECK(fatal.detected_by == DetectedBy::kAutomation);
  CHECK(fatal.detected_stage == 0);
  CHECK(run.log.peak[1] == 200);
  CHECK(fatal.peak_exposed_fraction == Approx(0.02).epsilon(1e-12));
  for (const Seen& w : run.seen) {
    if (w.change == 1) CHECK(w.canary.host_minutes + w.control.host_minutes == 4000 * w.ticks);
  }
}

TEST_CASE("a change scoped to one cluster of a region is judged against that cluster only",
          "[scope]") {
  ScopedRun run = RunScoped("    - {at: 30m, target: {clusters: [a2]}}\n");
  REQUIRE(run.result.outcomes.size() == 1);
  CHECK(run.log.peak[0] == 2000);
  CHECK(run.result.outcomes[0].peak_exposed_fraction == Approx(0.2).epsilon(1e-12));
  int judged = 0;
  for (const Seen& w : run.seen) {
    ++judged;
    CHECK(w.canary.host_minutes + w.control.host_minutes == 2000 * w.ticks);
    CHECK(w.control_by_group[0].host_minutes == w.control.host_minutes);
    CHECK(w.control_by_group[1].host_minutes == 0);
  }
  CHECK(judged > 30);
  // 5% of a2 is 100 hosts: the canary's first windows.
  CHECK(run.seen.front().canary.host_minutes <= 100 * run.seen.front().ticks);
}

TEST_CASE("a stream's scope applies to each of its changes", "[scope]") {
  Scenario s = ScenarioFromYaml(
      testing::ReplaceFirst(TwoRegionYaml("    - {at: 1h}\n"), "changes:\n",
                            "changes:\n  config: {per_day: 48, scope: {regions: [b]}}\n"));
  Policy policy = PolicyFromYaml("rollout: {kind: big_bang}\n");
  ExposureLog log;
  ReplicaResult r = RunReplica(s, policy, s.seed, 0, &log);
  REQUIRE(r.outcomes.size() > 5);
  int scoped = 0;
  for (const ChangeOutcome& o : r.outcomes) {
    if (o.label.empty() && o.arrival != SimTime::Hours(1)) {
      ++scoped;
      CHECK(o.peak_exposed_fraction == Approx(0.4).epsilon(1e-12));
      CHECK(log.peak[static_cast<size_t>(o.id)] <= 4000);
    }
  }
  CHECK(scoped > 5);
}

TEST_CASE("an unknown or empty target is an error at file:line:col", "[scope][yaml]") {
  auto error = [](const std::string& injected) {
    Result<Scenario> r = ParseScenario(TwoRegionYaml(injected), "scope.yaml");
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  CHECK_THAT(error("    - {at: 1h, target: {regions: [c]}}\n"),
             Catch::Contains("scope.yaml:17:") && Catch::Contains("unknown region 'c'") &&
                 Catch::Contains("expected one of a, b"));
  CHECK_THAT(error("    - {at: 1h, target: {regions: [a], clusters: [b1]}}\n"),
             Catch::Contains("scope.yaml:17:") && Catch::Contains("no listed cluster"));
  CHECK_THAT(error("    - {at: 1h, target: {}}\n"), Catch::Contains("expected service:, regions:"));
  CHECK_THAT(error("    - {at: 1h, target: {region: [a]}}\n"), Catch::Contains("region"));
}

}  // namespace
}  // namespace fleetsim
