// CadenceWarnings (analysis/experiment.h): a health interval the scenario's tick cannot keep is
// said, with the tick that would keep it; intervals that are multiples of the tick are not.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/experiment.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> WarningsFor(const std::string& tick, const std::string& interval) {
  const fs::path dir = testing::FreshTempDir("cadence");
  std::ofstream(dir / "scenario.yaml")
      << "name: cadence\nduration: 2h\ntick: " << tick
      << "\nfleet:\n  regions:\n    - {name: r, clusters: [{name: c, hosts: 1000}]}\n"
         "changes: {injected: [{at: 10m}]}\n";
  std::ofstream(dir / "policy.yaml")
      << "name: quick-checks\nrollout: {kind: stages, stages: [{percent: 10, bake: 5m}, "
         "{percent: 100, bake: 0s}]}\nhealth:\n  interval: "
      << interval << "\n  checks: [{kind: threshold, metric: error_rate, max: 0.01}]\n";
  Result<Experiment> e =
      LoadExperiment((dir / "scenario.yaml").string(), {(dir / "policy.yaml").string()});
  REQUIRE(e.ok());
  std::vector<std::string> warnings = CadenceWarnings(e.value());
  fs::remove_all(dir);
  return warnings;
}

TEST_CASE("a health interval the tick cannot keep is warned about, with the tick to use",
          "[experiment]") {
  const std::vector<std::string> fast = WarningsFor("1m", "15s");
  REQUIRE(fast.size() == 1);
  CHECK_THAT(fast[0], Catch::Contains("policy 'quick-checks' is judged every 15s"));
  CHECK_THAT(fast[0], Catch::Contains("ticks every 1m"));
  CHECK_THAT(fast[0], Catch::Contains("`tick: 15s`"));
  CHECK(WarningsFor("1m", "90s").size() == 1);  // not a multiple: every other check is late
  CHECK(WarningsFor("1m", "1m").empty());
  CHECK(WarningsFor("1m", "5m").empty());
  CHECK(WarningsFor("15s", "15s").empty());
  CHECK(WarningsFor("15s", "1m").empty());
}

}  // namespace
}  // namespace fleetsim
