// Sweeps: parameter paths, grid expansion, the Pareto front, and the monotone sanity check of
// DESIGN §8 (a longer bake never raises the escape rate on the same seeds).
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "analysis/run_summary.h"
#include "analysis/sweep.h"

namespace fleetsim {
namespace {

TEST_CASE("SetYamlPath edits maps and lists by path and refuses impossible paths", "[sweep]") {
  YAML::Node root = YAML::Load(
      "rollout: {kind: stages, stages: [{percent: 1, bake: 5m}, {percent: 100, bake: 1h}]}");
  REQUIRE(SetYamlPath(root, "rollout.stages[1].bake", "2h").ok());
  CHECK(root["rollout"]["stages"][1]["bake"].as<std::string>() == "2h");
  REQUIRE(SetYamlPath(root, "health.failure_limit", "3").ok());  // creates the missing section
  CHECK(root["health"]["failure_limit"].as<int>() == 3);
  CHECK_THAT(SetYamlPath(root, "rollout.stages[5].bake", "1m").message(),
             Catch::Contains("no list element [5]"));
  CHECK_THAT(SetYamlPath(root, "rollout.kind.x", "1").message(),
             Catch::Contains("inside a scalar"));
  CHECK_THAT(SetYamlPath(root, "rollout.stages[x]", "1").message(),
             Catch::Contains("expected a list index"));
}

TEST_CASE("ParseSweepAxis splits PATH=V1,V2", "[sweep]") {
  Result<SweepAxis> a = ParseSweepAxis("rollout.stages[0].bake=5m,15m,1h");
  REQUIRE(a.ok());
  CHECK(a.value().path == "rollout.stages[0].bake");
  CHECK(a.value().values == std::vector<std::string>{"5m", "15m", "1h"});
  CHECK_FALSE(ParseSweepAxis("nothing").ok());
  CHECK_FALSE(ParseSweepAxis("a=1,,2").ok());
}

TEST_CASE("the Pareto front keeps exactly the non-dominated points", "[sweep]") {
  // Axes, in order: lead time p50, mean blast radius, false-positive rate (all lower is better).
  std::vector<std::string> axes;
  for (const MetricDef* m : ParetoAxes()) axes.push_back(m->name);
  REQUIRE(axes == std::vector<std::string>{"lead_time", "blast_radius", "false_positive_rate"});
  std::vector<ParetoPoint> p = {
      {"a", {10, 0.10, 0.01}, false},  // fastest
      {"b", {20, 0.01, 0.01}, false},  // smallest blast radius
      {"c", {20, 0.02, 0.01}, false},  // dominated by b
      {"d", {30, 0.01, 0.00}, false},  // fewest false positives
      {"e", {30, 0.01, 0.00}, false},  // equal to d: neither dominates the other
  };
  MarkParetoFront(p);
  CHECK(p[0].on_front);
  CHECK(p[1].on_front);
  CHECK_FALSE(p[2].on_front);
  CHECK(p[3].on_front);
  CHECK(p[4].on_front);
}

TEST_CASE("grid points are validated and ordered, first axis slowest", "[sweep]") {
  Result<std::vector<SweepPoint>> points =
      ExpandSweep(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.yaml", "",
                  {ParseSweepAxis("rollout.stages[0].bake=5m,1h").value(),
                   ParseSweepAxis("signals.base_error_rate=0.001,0.004").value()});
  INFO(points.status().message());
  REQUIRE(points.ok());
  REQUIRE(points.value().size() == 4);
  CHECK(points.value()[1].label == "rollout.stages[0].bake=5m signals.base_error_rate=0.004");
  CHECK(points.value()[1].scenario.signals.base_error_rate == 0.004);
  CHECK(points.value()[2].label == "rollout.stages[0].bake=1h signals.base_error_rate=0.001");

  Result<std::vector<SweepPoint>> bad =
      ExpandSweep(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.yaml", "",
                  {ParseSweepAxis("rollout.stages[0].bake=-5m").value()});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("negative durations are not allowed"));
}

TEST_CASE("a longer first-stage bake never raises the escape rate on the same seeds",
          "[sweep][monotone]") {
  // Faults that manifest 30 minutes after a change starts: a short canary bake lets them reach
  // the last stage first (escape); a long one holds them in the canary until they show.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("fleetsim-monotone-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "delayed.yaml").string();
  std::ofstream(path) << R"(
name: delayed-faults
duration: 12h
fleet: {hosts: 4000, clusters_per_region: 2, regions: [{name: a}, {name: b}]}
traffic: {requests_per_host_per_minute: 60, diurnal_amplitude: 0.2}
signals: {base_error_rate: 0.002, overdispersion: 0.3}
deploy: {hosts_per_minute: 4000, rollback_hosts_per_minute: 8000}
faults:
  - {name: delayed, error_rate_increase: 0.05, onset_delay: 30m}
  - {name: immediate, error_rate_increase: 0.05}
changes: {config: {per_day: 40, bad_fraction: 0.3}}
humans: {alert: {error_rate: 0.01, for: 5m}, response_time: {median: 10m}}
policy:
  rollout: {kind: stages, stages: [{percent: 1, bake: 0s}, {percent: 10, bake: 10m}, {percent: 100, bake: 30m}]}
  health: {interval: 1m, failure_limit: 2, checks: [{kind: threshold, metric: error_rate, max: 0.02}]}
)";
  Result<std::vector<SweepPoint>> points =
      ExpandSweep(path, "", {ParseSweepAxis("rollout.stages[0].bake=0s,10m,20m,40m,1h").value()});
  INFO(points.status().message());
  REQUIRE(points.ok());
  std::vector<double> escape;
  for (const SweepPoint& point : points.value()) {
    RunOptions options;
    options.replicas = 8;
    options.seed = 11;
    options.threads = 2;
    const RunSummary s = SummarizeRun(RunReplicas(point.scenario, point.policy, options));
    escape.push_back(s.FindRate("escape_rate")->summary.rate);
    INFO(point.label << " escape rate " << escape.back());
    if (escape.size() > 1) CHECK(escape.back() <= escape[escape.size() - 2]);
  }
  // The property is not vacuous: short bakes do let delayed faults escape, long ones do not.
  CHECK(escape.front() > 0.2);
  CHECK(escape.back() == 0.0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim
