// `hosts: N` steps (Instagram's one-machine canary): the placement puts exactly N hosts under
// the change whatever the offset, cluster sizes and bucket shapes.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "sim/deploy_actuator.h"
#include "sim/random_stream.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

TEST_CASE("a hosts step places exactly that many hosts for any offset", "[placement][hosts_step]") {
  // Uneven clusters: 1,003 hosts in 100 buckets (cells of 10 and 11 hosts), 57 hosts (57 cells
  // of one host), 25,000 hosts.
  const Scenario scenario = testing::ScenarioFromYaml(
      "name: uneven\nduration: 1h\n"
      "fleet: {regions: [{name: r1, clusters: [{name: a, hosts: 1003}, {name: b, hosts: 57}]},"
      " {name: r2, clusters: [{name: c, hosts: 25000}]}]}\n");
  const Fleet& fleet = *scenario.fleet;
  RandomStream rng(StreamKey{5, 0, StreamPurpose::kTest, 0});
  for (int64_t n : {1, 2, 9, 10, 11, 57, 999, 1003, 1004, 1060, 20000, 26060}) {
    for (int trial = 0; trial < 50; ++trial) {
      const double offset = trial == 0 ? 0.0 : rng.NextUnit();
      RolloutStep step;
      step.hosts = n;
      const ClusterFractions targets = StepTargets(fleet, step, offset);
      INFO("hosts " << n << " offset " << offset);
      CHECK(ExposedHosts(fleet, targets, offset) == n);
    }
  }
}

TEST_CASE("a one-host step in the engine exposes one host", "[placement][hosts_step][simulation]") {
  const Scenario scenario = testing::ScenarioFromYaml(testing::SingleChangeScenarioYaml(
      "name: one\nduration: 3h\nfleet: {hosts: 20000, clusters_per_region: 2, regions: [{name: a}, "
      "{name: b}]}\n"
      "traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}\n",
      "10m", "fatal"));
  const Policy policy = testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{name: canary, hosts: 1, bake: 30m}, {name: all, percent: "
      "100, bake: 0s}]}\n"
      "health: {interval: 5m, lookback: growing, min_requests: 200,"
      " checks: [{kind: threshold, metric: error_rate, max: 0.05}]}\n");
  const ChangeOutcome o = RunReplica(scenario, policy, 1, 0).outcomes.at(0);
  CHECK(o.peak_exposed_fraction == Approx(1.0 / 20000));
  CHECK(o.detected_stage == 0);
}

}  // namespace
}  // namespace fleetsim
