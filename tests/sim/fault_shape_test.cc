// Fault shapes (sim/fault_shape.h, fault_conditions.h) against their closed forms, each in
// isolation, on noise-free fleets (base error rate 0 unless stated, no heterogeneity, no
// overdispersion, flat traffic) so that a fault's errors in a tick are exactly
// Poisson(requests-mean x failure probability) (Poisson requests thinned by a Binomial).
// Tolerances are 5 standard deviations of that Poisson count (sd = sqrt(mean)), so a correct
// model fails a check with probability < 1e-6 at any seed; the seeds are fixed anyway.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "analysis/monte_carlo.h"
#include "sim/fault_conditions.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::PolicyFromYaml;
using testing::ScenarioFromYaml;

// 20,000 hosts: r1 = clusters a, b (5,000 each), r2 = cluster c (10,000); 100 requests per host
// per minute, so 2,000,000 requests per minute fleet-wide. big_bang at 10^6 hosts/min puts a
// change on every host within 1.2 s of its arrival.
std::string World(const std::string& faults, const std::string& injected,
                  const std::string& extra = "") {
  return R"(name: shapes
duration: 6h
seed: 11
fleet:
  regions:
    - {name: r1, clusters: [{name: a, hosts: 5000}, {name: b, hosts: 5000}]}
    - {name: r2, clusters: [{name: c, hosts: 10000}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
signals: {base_error_rate: 0, latency_noise: 0}
deploy: {hosts_per_minute: 1000000, rollback_hosts_per_minute: 1000000}
humans: {enabled: false}
)" + extra +
         "faults:\n" + faults + "changes:\n  injected:\n" + injected;
}

// Per tick (minute index since 0) and change: fault errors and manifesting hosts; fleet totals.
struct TickLog : SimObserver {
  std::map<int64_t, std::map<int64_t, ChangeTickSample>> by_minute;
  std::map<int64_t, FleetTickSample> fleet;
  void OnTick(const FleetTickSample& f, std::span<const ChangeTickSample> changes) override {
    const int64_t minute = f.time.millis() / 60'000;
    fleet[minute] = f;
    for (const ChangeTickSample& c : changes) by_minute[minute][c.change_id] = c;
  }
  int64_t FaultErrors(int64_t minute, int64_t change) const {
    auto m = by_minute.find(minute);
    if (m == by_minute.end()) return 0;
    auto c = m->second.find(change);
    return c == m->second.end() ? 0 : c->second.fault_errors;
  }
};

struct Run {
  ReplicaResult result;
  TickLog log;
};

Run RunBigBang(const std::string& yaml) {
  Scenario scenario = ScenarioFromYaml(yaml);
  Policy policy = PolicyFromYaml("rollout: {kind: big_bang}\n");
  Run run;
  run.result = RunReplica(scenario, policy, scenario.seed, 0, &run.log);
  return run;
}

constexpr double kRequestsPerMinute = 2'000'000;

TEST_CASE("fault shape intensity: a ramp grows linearly and flapping alternates with its duty",
          "[fault_shape]") {
  FaultProfile p;
  p.error_rate_increase = 0.1;
  p.ramp = SimTime::Minutes(100);
  FleetSpec spec;
  spec.regions.push_back(RegionSpec{"r", 0, -1, {ClusterSpec{"a", 10}}, 0});
  Fleet fleet = Fleet::Build(spec).value();
  FaultShape ramp(p, fleet, 0.0);
  CHECK(ramp.Intensity(SimTime::Zero()) == 0);
  CHECK(ramp.Intensity(SimTime::Minutes(25)) == Approx(0.25).epsilon(1e-12));
  CHECK(ramp.Intensity(SimTime::Minutes(100)) == 1);
  CHECK(ramp.Intensity(SimTime::Minutes(500)) == 1);
  p.ramp = SimTime::Zero();
  p.flapping = FlappingSpec{SimTime::Minutes(10), 0.3};
  FaultShape flap(p, fleet, 0.0);
  for (int t = 0; t < 40; ++t) {
    INFO("minute " << t);
    CHECK(flap.Intensity(SimTime::Minutes(t)) == (t % 10 < 3 ? 1.0 : 0.0));
  }
  // Relative increase: factor 3 on a 1% base -> an affected request fails with probability 3%.
  FaultProfile rel;
  rel.error_rate_factor = 3;
  FaultShape relative(rel, fleet, 0.01);
  const double q = relative.EffectAt(1.0).error_increase;
  CHECK(1.0 - (1.0 - 0.01) * (1.0 - q) == Approx(0.03).epsilon(1e-12));
  // A request segment scales the failure probability and the latency excess.
  FaultProfile seg;
  seg.error_rate_increase = 0.2;
  seg.latency_factor = 3;
  seg.request_fraction = 0.25;
  FaultShape segment(seg, fleet, 0.0);
  CHECK(segment.EffectAt(1.0).error_increase == Approx(0.05).epsilon(1e-12));
  CHECK(segment.EffectAt(1.0).latency_factor == Approx(1.5).epsilon(1e-12));
}

TEST_CASE("a slow ramp's errors grow linearly from onset to the full effect", "[fault_shape]") {
  Run run = RunBigBang(World("  - {name: leak, error_rate_increase: 0.1, ramp: 100m}\n",
                             "    - {at: 10m, fault: leak}\n"));
  const ChangeOutcome& o = run.result.outcomes.at(0);
  REQUIRE(o.impact_start.has_value());
  CHECK(o.impact_start->millis() == SimTime::Minutes(10).millis());
  // Tick at minute 10 + t (t >= 1) sees intensity t / 100: mean 2e6 x 0.1 x t / 100 = 2000 t.
  for (int t : {1, 10, 25, 50, 75, 99}) {
    const double mean = 2000.0 * t;
    INFO("t = " << t);
    CHECK(std::abs(static_cast<double>(run.log.FaultErrors(10 + t, 0)) - mean) <
          5 * std::sqrt(mean));
  }
  // After the ramp: the full 2e5 per minute; summed over 60 minutes 1.2e7.
  double after = 0;
  for (int t = 101; t <= 160; ++t) after += static_cast<double>(run.log.FaultErrors(10 + t, 0));
  CHECK(std::abs(after - 1.2e7) < 5 * std::sqrt(1.2e7));
}

TEST_CASE("a flapping fault's period is visible in the fleet error signal", "[fault_shape]") {
  Run run = RunBigBang(
      World("  - {name: flap, error_rate_increase: 0.1, flapping: {period: 10m, bad_share: 0.3}}\n",
            "    - {at: 10m, fault: flap}\n"));
  // Onset at 10m; the tick at 10m + t is bad iff t mod 10 < 3: 2e5 errors (sd 447), else none.
  for (int t = 1; t <= 60; ++t) {
    INFO("t = " << t);
    const int64_t errors = run.log.fleet.at(10 + t).errors;
    if (t % 10 < 3) {
      CHECK(std::abs(static_cast<double>(errors) - 2e5) < 5 * std::sqrt(2e5));
    } else {
      CHECK(errors == 0);
    }
  }
  CHECK(run.result.outcomes.at(0).bad);
}

TEST_CASE("a relative error increase and a request segment scale the failure rate",
          "[fault_shape]") {
  std::string yaml = World(
      "  - {name: rel, error_rate_factor: 3}\n  - {name: seg, error_rate_increase: 0.2, "
      "request_fraction: 25%}\n",
      "    - {at: 10m, fault: rel}\n");
  yaml.replace(yaml.find("base_error_rate: 0,"), std::string("base_error_rate: 0,").size(),
               "base_error_rate: 0.01,");
  Run rel = RunBigBang(yaml);
  // Every host affected: errors ~ Poisson(2e6 x 0.03) per minute; 60 minutes: 3.6e6.
  double total = 0;
  for (int t = 11; t <= 70; ++t) total += static_cast<double>(rel.log.fleet.at(t).errors);
  CHECK(std::abs(total - 3.6e6) < 5 * std::sqrt(3.6e6));

  Run seg = RunBigBang(World("  - {name: seg, error_rate_increase: 0.2, request_fraction: 25%}\n",
                             "    - {at: 10m, fault: seg}\n"));
  // 25% of requests fail with probability 0.2: 2e6 x 0.05 = 1e5 per minute; 60 minutes: 6e6.
  total = 0;
  for (int t = 11; t <= 70; ++t) total += static_cast<double>(seg.log.FaultErrors(t, 0));
  CHECK(std::abs(total - 6e6) < 5 * std::sqrt(6e6));
}

TEST_CASE("a region-scoped fault manifests only on that region's hosts", "[fault_shape]") {
  Run run = RunBigBang(World("  - {name: local, error_rate_increase: 0.1, regions: [r2]}\n",
                             "    - {at: 10m, fault: local}\n"));
  const ChangeOutcome& o = run.result.outcomes.at(0);
  CHECK(o.regions_impacted == 1);
  // All 20,000 hosts run it; the 10,000 of r2 manifest it: 1e6 requests x 0.1 per minute.
  CHECK(run.log.by_minute.at(30).at(0).manifesting_hosts == 10000);
  CHECK(run.log.by_minute.at(30).at(0).exposed_hosts == 20000);
  const double errors = static_cast<double>(run.log.FaultErrors(30, 0));
  CHECK(std::abs(errors - 1e5) < 5 * std::sqrt(1e5));
  CHECK(o.impacted_traffic_peak == Approx(0.5).margin(0.01));
}

TEST_CASE("a latent fault never manifests before its trigger", "[fault_shape]") {
  // Code with the latent bug at 10m; the data push that triggers it at 2h.
  Run run =
      RunBigBang(World("  - {name: latent, error_rate_increase: 0.1, trigger: {label: data}}\n",
                       "    - {at: 10m, fault: latent}\n    - {at: 2h, label: data}\n"));
  const ChangeOutcome& code = run.result.outcomes.at(0);
  REQUIRE(code.impact_start.has_value());
  CHECK(code.impact_start->millis() == SimTime::Hours(2).millis());
  for (int minute = 1; minute <= 120; ++minute) {
    INFO("minute " << minute);
    CHECK(run.log.fleet.at(minute).errors == 0);
  }
  // From the first tick after the trigger reached every host: the full effect.
  const double errors = static_cast<double>(run.log.FaultErrors(150, 0));
  CHECK(std::abs(errors - 2e5) < 5 * std::sqrt(2e5));

  // A time trigger: manifests at exactly that time.
  Run timed = RunBigBang(World("  - {name: at3h, error_rate_increase: 0.1, trigger: {at: 3h}}\n",
                               "    - {at: 10m, fault: at3h}\n"));
  CHECK(timed.result.outcomes.at(0).impact_start->millis() == SimTime::Hours(3).millis());
  Run too_late = RunBigBang(World("  - {name: late, error_rate_increase: 0.1, trigger: {at: 7h}}\n",
                                  "    - {at: 10m, fault: late}\n"));
  // A trigger after the run: the fault stays latent for the whole run.
  CHECK(too_late.result.outcomes.at(0).latent);
  CHECK_FALSE(too_late.result.outcomes.at(0).bad);
  CHECK(too_late.result.fleet_errors == 0);
}

TEST_CASE("a triggered fault acts only on the hosts running both the code and its trigger",
          "[fault_shape]") {
  // The code with the latent bug is pushed to every host at 10m (a bypass push); the data push
  // that triggers it goes through a policy that holds it at 5% for the rest of the run. 5% of
  // each cluster is 5 of its 100 buckets: 250 + 250 + 500 = 1,000 hosts run both, and only
  // they fail 10% of their requests: 1,000 x 100 x 0.1 = 10,000 errors a minute, 5% of the
  // traffic impacted (not the code's 100% at a twentieth of the effect).
  Scenario scenario = ScenarioFromYaml(World(
      "  - {name: latent, error_rate_increase: 0.1, trigger: {label: data}}\n",
      "    - {at: 10m, fault: latent, bypass: {propagation: 30s}}\n    - {at: 2h, label: data}\n"));
  Policy policy = PolicyFromYaml(
      "rollout: {kind: stages, stages: [{name: canary, percent: 5, bake: 10h}, {name: all, "
      "percent: 100, bake: 0s}]}\n");
  Run run;
  run.result = RunReplica(scenario, policy, scenario.seed, 0, &run.log);
  const ChangeOutcome& code = run.result.outcomes.at(0);
  for (int64_t minute : {150, 240, 359}) {
    INFO("minute " << minute);
    const ChangeTickSample& sample = run.log.by_minute.at(minute).at(0);
    CHECK(sample.exposed_hosts == 20000);
    CHECK(sample.manifesting_hosts == 1000);
    CHECK(run.log.by_minute.at(minute).at(1).exposed_hosts == 1000);
    const double errors = static_cast<double>(run.log.FaultErrors(minute, 0));
    CHECK(std::abs(errors - 1e4) < 5 * std::sqrt(1e4));
    CHECK(run.log.fleet.at(minute).errors == run.log.FaultErrors(minute, 0));
  }
  CHECK(code.impacted_traffic_peak == Approx(0.05).margin(0.002));
}

TEST_CASE("rolling back a latent fault's trigger ends the fault's effect when the revert is done",
          "[fault_shape]") {
  // Code with the latent bug at 10m, the data push that triggers it at 2h; big_bang holding 1h
  // with a 5% error-rate check every minute. The push is on every host within 1.2 s, the fault
  // fails 10% of requests from 2h, the push's first verdict (2h01m) rolls it back, and the
  // revert (20,000 hosts at 10^6/min) is done at 2h01m01.2s: the code change's impact ends
  // there although the code itself stays on every host.
  const std::string faults =
      "  - {name: latent, error_rate_increase: 0.1, trigger: {label: data}}\n";
  const std::string changes = "    - {at: 10m, fault: latent}\n    - {at: 2h, label: data}\n";
  const char* policy_yaml =
      "rollout: {kind: big_bang, bake: 1h}\n"
      "health: {interval: 1m, failure_limit: 1, checks: [{kind: threshold, metric: error_rate, "
      "max: 0.05}]}\n";
  for (const char* delay : {"", "infrastructure: {propagation_delay: {default: 7m}}\n"}) {
    INFO("extra: " << delay);
    const bool delayed = *delay != 0;
    Scenario scenario = ScenarioFromYaml(World(faults, changes, delay));
    Policy policy = PolicyFromYaml(policy_yaml);
    Run run;
    run.result = RunReplica(scenario, policy, scenario.seed, 0, &run.log);
    const ChangeOutcome& code = run.result.outcomes.at(0);
    const ChangeOutcome& data = run.result.outcomes.at(1);
    // With a 7-minute propagation delay everywhere the push reaches the hosts at 2h07m, its
    // verdict at 2h08m rolls it back and the revert reaches them 7 minutes after it is done.
    const SimTime shift = delayed ? SimTime::Minutes(7) : SimTime::Zero();
    REQUIRE(code.impact_start.has_value());
    CHECK(code.impact_start->millis() == (SimTime::Hours(2) + shift).millis());
    CHECK(data.final_state == FinalState::kRolledBack);
    REQUIRE(code.impact_end.has_value());
    CHECK(
        code.impact_end->millis() ==
        (SimTime::Hours(2) + SimTime::Minutes(1) + SimTime::Millis(1200) + shift + shift).millis());
    CHECK(code.final_state == FinalState::kCompleted);  // the code was never rolled back
    // The full effect in the minute before the verdict, nothing from the tick after the revert.
    const int64_t verdict_minute = 121 + (delayed ? 7 : 0);
    const double errors = static_cast<double>(run.log.FaultErrors(verdict_minute, 0));
    CHECK(std::abs(errors - 2e5) < 5 * std::sqrt(2e5));
    const int64_t clear_minute = verdict_minute + 1 + (delayed ? 7 : 0);
    for (int64_t minute = clear_minute; minute <= 360; ++minute) {
      INFO("minute " << minute);
      CHECK(run.log.FaultErrors(minute, 0) == 0);
      CHECK(run.log.fleet.at(minute).errors == 0);
    }
  }
}

TEST_CASE("a load-dependent fault manifests only around the daily peak", "[fault_shape]") {
  // rate(h) = 100 (1 + 0.5 cos(2 pi (h - 14) / 24)) >= 140  <=>  |h - 14| <= 24 acos(0.8) / (2 pi)
  // = 2.458 h, i.e. local hours [11.54, 16.46]. Rates are taken at each tick's midpoint.
  std::string yaml = World("  - {name: peak, error_rate_increase: 0.1, min_load: 140}\n",
                           "    - {at: 10m, fault: peak}\n");
  yaml.replace(yaml.find("diurnal_amplitude: 0}"), std::string("diurnal_amplitude: 0}").size(),
               "diurnal_amplitude: 0.5, peak_hour: 14}");
  yaml.replace(yaml.find("duration: 6h"), std::string("duration: 6h").size(), "duration: 20h");
  Run run = RunBigBang(yaml);
  const double half_width = 24.0 * std::acos(0.8) / (2 * M_PI);
  for (int minute = 11; minute <= 20 * 60; ++minute) {
    const double mid_hour = (minute - 0.5) / 60.0;
    const int64_t errors = run.log.FaultErrors(minute, 0);
    INFO("minute " << minute);
    if (std::abs(mid_hour - 14) < half_width - 0.01) CHECK(errors > 0);
    if (std::abs(mid_hour - 14) > half_width + 0.01) CHECK(errors == 0);
  }
}

TEST_CASE("a crash loop removing a fraction k of hosts raises the survivors' load by 1/(1-k)",
          "[fault_shape]") {
  Scenario scenario = ScenarioFromYaml(
      World("  - {name: crash, crash_fraction: 0.2}\n", "    - {at: 10m, fault: crash}\n"));
  const Fleet& fleet = *scenario.fleet;
  FaultConditions conditions(scenario, fleet);
  REQUIRE(conditions.enabled());
  // The change on every host of every cluster: each cluster loses 20%, survivors carry 1 / 0.8.
  ExposureMotion everywhere{{1, 1, 1}, {1, 1, 1}, SimTime::Zero(), SimTime::Zero()};
  FaultConditions::ActiveFault a;
  a.fault = 0;
  a.manifesting = true;
  a.motion = &everywhere;
  a.target = &scenario.fleet_targets->front();  // the whole fleet
  const std::vector<double> rates{100, 100};
  conditions.Update(SimTime::Hours(1), std::span(&a, 1), rates);
  for (size_t k = 0; k < 3; ++k) {
    CHECK(conditions.LoadFactor(k) == Approx(1.25).epsilon(1e-12));
    CHECK(conditions.ServingShare(0, k) == Approx(0.8).epsilon(1e-12));
  }
  // On half of cluster a only: 10% of a's hosts crash, its survivors carry 1 / 0.9.
  ExposureMotion half{{0.5, 0, 0}, {0.5, 0, 0}, SimTime::Zero(), SimTime::Zero()};
  a.motion = &half;
  conditions.Update(SimTime::Hours(1), std::span(&a, 1), rates);
  CHECK(conditions.LoadFactor(0) == Approx(1 / 0.9).epsilon(1e-12));
  CHECK(conditions.LoadFactor(1) == 1);

  // End to end: the fleet still serves all its traffic (2e6 per minute, sd 1414), and a fault
  // that needs 110 requests per host per minute wakes up only once the crash loop raised the
  // survivors' load from 100 to 125.
  Run run =
      RunBigBang(World("  - {name: crash, crash_fraction: 0.2}\n  - {name: overload, "
                       "error_rate_increase: 0.1, min_load: 110}\n",
                       "    - {at: 10m, fault: overload}\n    - {at: 1h, fault: crash}\n"));
  for (int minute : {30, 59, 61, 90}) {
    INFO("minute " << minute);
    CHECK(std::abs(static_cast<double>(run.log.fleet.at(minute).requests) - kRequestsPerMinute) <
          5 * std::sqrt(kRequestsPerMinute));
  }
  CHECK(run.log.FaultErrors(59, 0) == 0);
  const ChangeOutcome& overload = run.result.outcomes.at(0);
  // Serving hosts: 80% of 20,000, each at 125 requests per minute: 2e6 requests, 10% fail.
  const double errors = static_cast<double>(run.log.FaultErrors(90, 0));
  CHECK(std::abs(errors - 2e5) < 5 * std::sqrt(2e5));
  CHECK(overload.bad);
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

TEST_CASE("a fault on a dependency cascades to the fleet in proportion to the dependency weights",
          "[fault_shape]") {
  // The fleet runs web; web -> auth (0.6) -> db (0.9). A +10% error fault on db reaches every
  // web host with 0.6 x 0.9 x 0.1 = 5.4% once the change is on all hosts; on auth, 6%; on web
  // itself, the plain 10%, on the change's hosts only.
  const std::string services =
      "services:\n  - {name: web, depends_on: [{service: auth, weight: 0.6}]}\n"
      "  - {name: auth, depends_on: [{service: db, weight: 0.9}]}\n  - {name: db}\n";
  for (const auto& [service, rate] :
       std::vector<std::pair<std::string, double>>{{"db", 0.054}, {"auth", 0.06}, {"web", 0.1}}) {
    INFO(service);
    Run run =
        RunBigBang(World("  - {name: dep, error_rate_increase: 0.1, service: " + service + "}\n",
                         "    - {at: 10m, fault: dep}\n", services));
    double total = 0;
    for (int t = 11; t <= 70; ++t) total += static_cast<double>(run.log.FaultErrors(t, 0));
    const double mean = 60 * kRequestsPerMinute * rate;
    CHECK(std::abs(total - mean) < 5 * std::sqrt(mean));
  }
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

TEST_CASE("a fault invisible in the error metric fails requests the error signal does not show",
          "[fault_shape]") {
  Run run = RunBigBang(World(
      "  - {name: silent, error_rate_increase: 0.1, latency_factor: 2, visible_in: [latency]}\n",
      "    - {at: 10m, fault: silent}\n"));
  for (int minute : {20, 40, 60}) {
    INFO("minute " << minute);
    CHECK(run.log.fleet.at(minute).errors == 0);  // base rate 0: the signal shows nothing
    const double failed = static_cast<double>(run.log.FaultErrors(minute, 0));
    CHECK(std::abs(failed - 2e5) < 5 * std::sqrt(2e5));  // ground truth: 10% of 2e6 failed
  }
  CHECK(run.result.outcomes.at(0).failed_requests > 0);
}

TEST_CASE("a cluster outage moves its traffic onto the rest of the fleet until it recovers",
          "[fault_shape]") {
  // Cluster c (10,000 of 20,000 hosts) is down from 1h to 2h: the other 10,000 hosts carry all
  // 2e6 requests a minute, i.e. 200 per host, which wakes a fault needing 150.
  Run run = RunBigBang(World("  - {name: overload, error_rate_increase: 0.1, min_load: 150}\n",
                             "    - {at: 10m, fault: overload}\n",
                             "infrastructure: {outages: [{cluster: c, at: 1h, for: 1h}]}\n"));
  for (int minute : {30, 61, 90, 120, 121, 150}) {
    INFO("minute " << minute);
    CHECK(std::abs(static_cast<double>(run.log.fleet.at(minute).requests) - kRequestsPerMinute) <
          5 * std::sqrt(kRequestsPerMinute));
  }
  CHECK(run.log.FaultErrors(60, 0) == 0);
  CHECK(run.log.FaultErrors(121, 0) == 0);
  // During the outage: the 10,000 serving hosts run the change, 10% of 2e6 requests fail.
  const double errors = static_cast<double>(run.log.FaultErrors(90, 0));
  CHECK(std::abs(errors - 2e5) < 5 * std::sqrt(2e5));
  CHECK(run.log.by_minute.at(90).at(0).manifesting_hosts == 10000);
}

}  // namespace
}  // namespace fleetsim
