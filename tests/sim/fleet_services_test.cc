// Services as members of the fleet (sim/fleet.h, loader/service_yaml.h, issue #20):
//  - every cluster's hosts are split among the services placed on it (one host each, the rest
//    by share / clusters placed on), each slice an engine cluster of its own with its cells;
//  - the generator places, sizes and links N services deterministically and covers every
//    cluster;
//  - each config change of the stream targets one service, drawn by change_share, and is
//    exposed, canaried and judged on that service's hosts only (exposure as a share of it);
//  - two services with independent faults: no change of one is ever misattributed to a fault
//    of the other, nor judged on its hosts;
//  - per-service traffic and base error rate reach the signals, and the aggregated path still
//    has the per-cell reference's distribution with services.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "analysis/monte_carlo.h"
#include "loader/scenario_loader.h"
#include "sim/simulation.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::PolicyFromYaml;
using testing::ScenarioFromYaml;

// Two regions of two clusters, 10,000 hosts; `services` is the services: block (YAML), `changes`
// the changes: block.
std::string World(const std::string& services, const std::string& changes,
                  const std::string& signals = "base_error_rate: 0.001, latency_noise: 0") {
  return R"(
name: services
duration: 6h
seed: 5
fleet:
  buckets: 20
  regions:
    - {name: a, clusters: [{name: a1, hosts: 3000}, {name: a2, hosts: 2000}]}
    - {name: b, clusters: [{name: b1, hosts: 3000}, {name: b2, hosts: 2000}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
signals: {)" +
         signals + R"(}
deploy: {hosts_per_minute: 100000, rollback_hosts_per_minute: 100000}
faults:
  - {name: fatal, error_rate_increase: 0.5}
humans: {enabled: false}
services: )" +
         services + "\nchanges: " + changes + "\n";
}

const char* const kTwoServices =
    "[{name: web, share: 3}, {name: db, share: 1, regions: [b], buckets: 10, "
    "base_error_rate: 0.004, traffic_factor: 2}]";

TEST_CASE("each cluster's hosts are split among the services placed on it", "[services]") {
  Scenario s = ScenarioFromYaml(World(kTwoServices, "{injected: [{at: 1h}]}"));
  const Fleet& fleet = *s.fleet;
  REQUIRE(fleet.services().size() == 2);
  REQUIRE(fleet.sites().size() == 4);
  // a1, a2: web only. b1: one host each, the other 2,998 by share / clusters placed on (web
  // 3 / 4 = 0.75, db 1 / 2 = 0.5: 60% and 40%): 1 + 1798.8 and 1 + 1199.2, the spare host to
  // the larger remainder: 1,800 and 1,200. b2 likewise: 1,200 and 800.
  REQUIRE(fleet.clusters().size() == 6);
  const std::vector<std::pair<int, int64_t>> slices = {{0, 3000}, {0, 2000}, {0, 1800},
                                                       {1, 1200}, {0, 1200}, {1, 800}};
  int64_t total = 0;
  for (size_t k = 0; k < slices.size(); ++k) {
    INFO("cluster " << k);
    CHECK(fleet.clusters()[k].service == slices[k].first);
    CHECK(fleet.clusters()[k].hosts == slices[k].second);
    total += fleet.clusters()[k].hosts;
  }
  CHECK(total == 10000);
  CHECK(fleet.total_hosts() == 10000);
  CHECK(fleet.clusters()[3].name == "b1");
  CHECK(fleet.clusters()[3].site == 2);
  CHECK(fleet.clusters()[3].cell_count == 10);  // db's own buckets
  CHECK(fleet.clusters()[2].cell_count == 20);
  CHECK(fleet.services()[0].hosts == 8000);
  CHECK(fleet.services()[1].hosts == 2000);
  CHECK(fleet.services()[1].clusters == std::vector<int>{3, 5});
  CHECK(fleet.sites()[2].cluster_count == 2);
  // A target per service for the stream, and service_hosts is what exposure is a share of.
  const FleetTarget db = FleetTarget::Build(s.fleet, TargetSpec{"db", {}, {}}).value();
  CHECK(db.view().total_hosts() == 2000);
  CHECK(db.service_hosts() == 2000);
  CHECK(db.FleetCluster(1) == 5);
}

TEST_CASE("the generator places, sizes and links services deterministically", "[services]") {
  const std::string gen =
      "{count: 40, size: zipf(1.1), change_share: zipf(1.2), seed: 3, buckets: 5, placement: "
      "{spread: 0.5, clusters_per_region: 1}, dependencies: {per_service: 2, weight: 0.3}}";
  Scenario s = ScenarioFromYaml(World(gen, "{config: {per_day: 200}}"));
  Scenario again = ScenarioFromYaml(World(gen, "{config: {per_day: 200}}"));
  const Fleet& fleet = *s.fleet;
  REQUIRE(fleet.services().size() == 40);
  CHECK(fleet.services()[0].name == "svc-0001");
  CHECK(fleet.services()[39].name == "svc-0040");
  for (size_t k = 0; k < fleet.clusters().size(); ++k)
    CHECK(fleet.clusters()[k].hosts == again.fleet->clusters()[k].hosts);
  for (const Site& site : fleet.sites()) CHECK(site.cluster_count >= 1);  // every cluster runs one
  // The largest service runs in every region, the smallest in one.
  std::set<int> regions_of_first, regions_of_last;
  for (int k : fleet.services()[0].clusters) regions_of_first.insert(fleet.clusters()[k].region);
  for (int k : fleet.services()[39].clusters) regions_of_last.insert(fleet.clusters()[k].region);
  CHECK(regions_of_first.size() == 2);
  CHECK(regions_of_last.size() == 1);
  CHECK(fleet.services()[0].hosts > 5 * fleet.services()[39].hosts);
  // Dependencies only on larger services: acyclic; the first has none.
  CHECK(s.services.services[0].depends_on.empty());
  CHECK(s.services.services[10].depends_on.size() >= 1);
  // One stream target per service with a change share.
  CHECK(s.changes.config.service_targets.size() == 40);
  CHECK(s.service_change_shares.size() == 40);
}

TEST_CASE("each stream change targets one service, drawn by change_share", "[services]") {
  Scenario s = ScenarioFromYaml(
      World("[{name: web, share: 3, change_share: 1}, {name: db, share: 1, change_share: 3}]",
            "{config: {per_day: 4000}}"));
  const std::vector<Change> changes = GenerateChanges(s.changes, s.faults, s.duration, 1, 0);
  std::map<int, int> per_target;
  for (const Change& c : changes) ++per_target[c.info.target];
  REQUIRE(per_target.size() == 2);
  const double n = static_cast<double>(changes.size());
  const double db = per_target[s.changes.config.service_targets[1]];
  // Binomial(n, 3/4): within 5 sd.
  CHECK(std::abs(db - 0.75 * n) < 5 * std::sqrt(n * 0.75 * 0.25));
}

// Records, per change, every window judged and whether a foreign fault hit its canary.
class Judged : public SimObserver {
 public:
  void OnVerdict(int64_t change, int, SimTime, const Verdict& v, bool foreign) override {
    if (v.kind == VerdictKind::kFail) ++failing[change];
    if (foreign) ++foreign_in_canary[change];
  }
  void OnTick(const FleetTickSample&, std::span<const ChangeTickSample> samples) override {
    for (const ChangeTickSample& s : samples)
      peak[s.change_id] = std::max(peak[s.change_id], s.exposed_hosts);
  }
  std::map<int64_t, int> failing, foreign_in_canary;
  std::map<int64_t, int64_t> peak;
};

TEST_CASE("two services with independent faults: nothing is misattributed across them",
          "[services]") {
  // Every 20 minutes a fatal change to db and a good change to web arrive together; web's
  // canary-vs-control checks see only web's hosts, so db's faults never reach them.
  std::string injected;
  for (int i = 0; i < 12; ++i) {
    const std::string at = std::to_string(20 + 20 * i) + "m";
    injected += "{at: " + at + ", fault: fatal, target: {service: db}}, {at: " + at +
                ", target: {service: web}}, ";
  }
  Scenario s =
      ScenarioFromYaml(World(kTwoServices, "{injected: [" + injected + "]}",
                             "base_error_rate: 0.001, overdispersion: 0.2, latency_noise: 0"));
  Policy policy = PolicyFromYaml(R"(
rollout: {kind: stages, stages: [{percent: 10, bake: 5m}, {percent: 100, bake: 5m}]}
health:
  interval: 1m
  failure_limit: 1
  checks:
    - {kind: relative, metric: error_rate, max_increase: 0.5}
    - {kind: threshold, metric: error_rate, max: 0.05}
)");
  Judged judged;
  ReplicaResult r = RunReplica(s, policy, s.seed, 0, &judged);
  REQUIRE(r.outcomes.size() == 24);
  int web = 0;
  for (const ChangeOutcome& o : r.outcomes) {
    INFO("change " << o.id);
    if (o.carries_fault) {
      CHECK(o.detected_by == DetectedBy::kAutomation);
      CHECK(judged.peak[o.id] <= 2000);  // db's hosts only
      CHECK(o.peak_exposed_fraction <= 0.1 + 1e-12);
      continue;
    }
    ++web;
    CHECK_FALSE(o.false_positive);
    CHECK_FALSE(o.misattributed);
    CHECK(judged.failing[o.id] == 0);
    CHECK(judged.foreign_in_canary[o.id] == 0);
    CHECK(o.peak_exposed_fraction == Approx(1.0).epsilon(1e-12));  // all of web
    CHECK(judged.peak[o.id] == 8000);
  }
  CHECK(web == 12);
}

// Fleet requests and errors per tick, summed.
class FleetTotals : public SimObserver {
 public:
  void OnTick(const FleetTickSample& f, std::span<const ChangeTickSample>) override {
    requests += static_cast<double>(f.requests);
    errors += static_cast<double>(f.errors);
    ++ticks;
  }
  double requests = 0, errors = 0;
  int ticks = 0;
};

TEST_CASE("service traffic and error rates, aggregated and per cell alike", "[services]") {
  // No change in flight: the aggregated path samples runs of cells (auto) or the reference
  // samples cell by cell. web: 8,000 hosts x 100; db: 2,000 hosts x 200 requests a minute.
  auto run = [](const std::string& sampling) {
    Scenario s = ScenarioFromYaml(
        World(kTwoServices, "{injected: [{at: 5h59m}]}",
              "base_error_rate: 0.001, cell_heterogeneity: 0.5, latency_noise: 0, sampling: " +
                  sampling));
    Policy policy = PolicyFromYaml("rollout: {kind: big_bang}\n");
    FleetTotals totals;
    RunReplica(s, policy, s.seed, 0, &totals);
    return totals;
  };
  const FleetTotals fast = run("auto");
  const FleetTotals slow = run("per_cell");
  REQUIRE(fast.ticks == slow.ticks);
  const double n = fast.ticks;
  const double per_tick = 8000 * 100 + 2000 * 200;
  for (const FleetTotals* t : {&fast, &slow})
    CHECK(std::abs(t->requests - per_tick * n) < 5 * std::sqrt(per_tick * n));
  // Same cell profiles in both: the same Poisson error means; totals within 5 sd.
  CHECK(std::abs(fast.errors - slow.errors) < 5 * std::sqrt(fast.errors + slow.errors));
  // db's errors (0.4% of 400,000 a minute) and web's (0.1% of 800,000): about 2,400 a minute
  // (the heterogeneity factors have mean 1; 10% slack for their spread over 150 cells).
  CHECK(fast.errors / n == Approx(0.004 * 400'000 + 0.001 * 800'000).epsilon(0.1));
}

TEST_CASE("service blocks that do not fit are errors at file:line:col", "[services][yaml]") {
  auto error = [](const std::string& services,
                  const std::string& changes = "{injected: [{at: 1h}]}") {
    Result<Scenario> r = ParseScenario(World(services, changes), "svc.yaml");
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  CHECK_THAT(error("[{name: web, regions: [c]}]"),
             Catch::Contains("svc.yaml:16:") && Catch::Contains("unknown name 'c'"));
  CHECK_THAT(error("[{name: web, regions: [a]}]"), Catch::Contains("cluster 'b1' runs no service"));
  CHECK_THAT(error("[{name: web}, {name: db, buckets: 3}]"),
             Catch::Contains("only for a service that runs on the fleet"));
  CHECK_THAT(error("{count: 10, size: zipf(x)}"), Catch::Contains("expected zipf(S)"));
  CHECK_THAT(error(kTwoServices, "{injected: [{at: 1h, target: {service: cache}}]}"),
             Catch::Contains("unknown service 'cache'") && Catch::Contains("one of web, db"));
  CHECK_THAT(error(kTwoServices, "{injected: [{at: 1h, target: {service: db, regions: [a]}}]}"),
             Catch::Contains("runs the service"));
}

}  // namespace
}  // namespace fleetsim
