// The resource estimate (analysis/resource_estimate.h) against what runs really cost, and the
// refusal of absurd runs before they start (`fleetsim run --max-memory / --max-runtime`).
#include "analysis/resource_estimate.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "loader/scenario_loader.h"
#include "tests/child_process.h"
#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

Scenario Load(const std::string& file) {
  Result<Scenario> s = LoadScenario(std::string(FLEETSIM_SOURCE_DIR) + "/" + file);
  REQUIRE(s.ok());
  return std::move(s).value();
}

TEST_CASE("the estimate follows the cost model: cells x ticks, changes, replicas",
          "[resource_estimate]") {
  const Scenario s = Load("scenarios/examples/quickstart.yaml");
  RunShape one;
  const ResourceEstimate e1 = EstimateRun(s, one);
  CHECK(e1.cells == static_cast<int64_t>(s.fleet->cells().size()));
  CHECK(e1.ticks == 720);                              // 12 h of 1-minute ticks
  CHECK(e1.changes_per_replica == Approx(120.0 / 2));  // 120 a day for half a day
  RunShape many = one;
  many.replicas = 1000;
  const ResourceEstimate e1000 = EstimateRun(s, many);
  CHECK(e1000.cpu_seconds == Approx(1000 * e1.cpu_seconds));
  many.threads = 4;
  CHECK(EstimateRun(s, many).wall_seconds == Approx(e1000.cpu_seconds / 4));
  many.runs = 3;  // compare three policies: three times the replica runs
  CHECK(EstimateRun(s, many).cpu_seconds == Approx(3 * e1000.cpu_seconds));
  // Kept outcomes grow with replicas x changes; a CSV adds its rows.
  CHECK(e1000.memory_bytes > e1.memory_bytes);
  RunShape csv = many;
  csv.per_change_rows = true;
  CHECK(EstimateRun(s, csv).memory_bytes > EstimateRun(s, many).memory_bytes);
}

// Runs `args` with one thread and compares its CPU time and peak memory with the estimate.
void CheckAgainstRun(const std::string& scenario, int replicas) {
  const Scenario s = Load(scenario);
  RunShape shape;
  shape.replicas = replicas;
  const ResourceEstimate e = EstimateRun(s, shape);
  const ChildResult r = RunFleetsimLimited(
      {"run", scenario, "--replicas", std::to_string(replicas), "--threads", "1", "-q"},
      ChildLimits{120, 0});
  REQUIRE(r.exit_code == 0);
  INFO(scenario << " x " << replicas << ": estimated " << e.Describe() << "; measured "
                << r.cpu_seconds << " s CPU, " << r.max_rss_kb / 1024 << " MiB");
  CHECK(r.cpu_seconds < 4 * e.cpu_seconds + 0.5);  // + process start and loading
  CHECK(r.cpu_seconds > e.cpu_seconds / 4);
  const double rss = static_cast<double>(r.max_rss_kb) * 1024;
  CHECK(rss < 4 * e.memory_bytes);
  CHECK(rss > e.memory_bytes / 4);
}

TEST_CASE("the estimate is within a factor of 4 of measured runs", "[resource_estimate]") {
  if (BuiltWithSanitizer()) return;  // sanitizers change both time and memory
  CheckAgainstRun("scenarios/examples/quickstart.yaml", 40);
  CheckAgainstRun("scenarios/examples/config-day.yaml", 2);
  CheckAgainstRun("scenarios/examples/mc-staged-change.yaml", 400);
}

TEST_CASE("absurd runs are refused before they start, with the estimate and the flag",
          "[resource_estimate][cli][bad_input]") {
  const fs::path dir = FreshTempDir("limits");
  const std::string json = (dir / "r.json").string();
  // Ten million replicas of quickstart keep ~600 million outcomes: far beyond any machine.
  CommandResult memory = RunFleetsim(
      "run scenarios/examples/quickstart.yaml --replicas 10000000 --max-runtime 0 --json " + json);
  CHECK(memory.exit_code == 2);
  CHECK_THAT(memory.output, Catch::Contains("refusing to start") &&
                                Catch::Contains("GiB of memory") &&
                                Catch::Contains("--max-memory"));
  // A Meta-scale day is ~3.5 s a replica: 100,000 replicas on one thread take days.
  CommandResult time = RunFleetsim(
      "run scenarios/examples/meta-scale-day.yaml --replicas 100000 --threads 1 --max-memory 0 "
      "--json " +
      json);
  CHECK(time.exit_code == 2);
  CHECK_THAT(time.output, Catch::Contains("refusing to start") && Catch::Contains("days") &&
                              Catch::Contains("--max-runtime"));
  CHECK_FALSE(fs::exists(json));
  // The limits are the user's to move: a tiny one refuses even quickstart, 0 lifts them.
  CHECK(RunFleetsim("run scenarios/examples/quickstart.yaml --replicas 1 -q --max-memory 1M")
            .exit_code == 2);
  CHECK(RunFleetsim("run scenarios/examples/quickstart.yaml --replicas 1 -q --max-runtime 1ms")
            .exit_code == 2);
  CHECK(RunFleetsim("run scenarios/examples/quickstart.yaml --replicas 1 -q --max-memory 0 "
                    "--max-runtime 0")
            .exit_code == 0);
  CommandResult estimate =
      RunFleetsim("run scenarios/examples/quickstart.yaml --replicas 10000000 --estimate");
  CHECK(estimate.exit_code == 0);
  CHECK_THAT(estimate.output, Catch::Contains("estimate: about"));
  CommandResult bad = RunFleetsim("run scenarios/examples/quickstart.yaml --max-memory lots");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("--max-memory: invalid size 'lots'"));
  fs::remove_all(dir);
}

TEST_CASE("byte sizes parse with 1024-based units", "[resource_estimate]") {
  CHECK(ParseByteSize("0").value() == 0);
  CHECK(ParseByteSize("512").value() == 512);
  CHECK(ParseByteSize("1k").value() == 1024);
  CHECK(ParseByteSize("8G").value() == 8.0 * 1024 * 1024 * 1024);
  CHECK(ParseByteSize("1.5M").value() == 1.5 * 1024 * 1024);
  for (const char* bad : {"", "-1G", "G", "1X", "nan", "inf", "1e999"}) {
    INFO(bad);
    CHECK_FALSE(ParseByteSize(bad).ok());
  }
}

}  // namespace
}  // namespace fleetsim::testing
