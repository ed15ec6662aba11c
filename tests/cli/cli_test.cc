// The fleetsim executable as a user meets it: exit codes, determinism of the JSON report for
// any thread count, nothing written on bad input, and every shipped YAML file validates.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

TEST_CASE("same seed gives byte-identical JSON with 1 and 2 threads", "[cli][determinism]") {
  const fs::path dir = FreshTempDir("determinism");
  const std::string base = "run scenarios/examples/quickstart.yaml --replicas 6 --seed 99 -q ";
  CommandResult one = RunFleetsim(base + "--threads 1 --json " + (dir / "t1.json").string() +
                                  " --csv " + (dir / "t1.csv").string());
  CommandResult two = RunFleetsim(base + "--threads 2 --json " + (dir / "t2.json").string() +
                                  " --csv " + (dir / "t2.csv").string());
  INFO(one.output << two.output);
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  const std::string j1 = ReadFile(dir / "t1.json");
  CHECK(j1 == ReadFile(dir / "t2.json"));
  CHECK(ReadFile(dir / "t1.csv") == ReadFile(dir / "t2.csv"));
  CHECK(j1.find("\"schema_version\": 1") != std::string::npos);
  CHECK(j1.find("\"seed\": 99") != std::string::npos);
  CHECK(j1.find("\"replicas\": 6") != std::string::npos);
  // A different seed gives a different report (the comparison above can fail).
  CommandResult other =
      RunFleetsim("run scenarios/examples/quickstart.yaml --replicas 6 --seed 100 -q --json " +
                  (dir / "s.json").string());
  REQUIRE(other.exit_code == 0);
  CHECK(ReadFile(dir / "s.json") != j1);
  fs::remove_all(dir);
}

// One replica's cells are swept in parallel ranges (sim/cell_ranges.h): its output must not
// depend on the thread count. A bad change that manifests across many ranges (canary parts,
// ground truth and first impacts merged from several ranges) on the per-cell path, and the
// noisy scenario's table draws (8 ranges of 1,000 cells).
TEST_CASE("one replica gives byte-identical JSON on 1, 2 and 4 threads", "[cli][determinism]") {
  const fs::path dir = FreshTempDir("replica-threads");
  const std::vector<std::string> runs{
      "run mc-staged-change --replicas 2 --set signals.overdispersion=0.2 --set duration=40m -q ",
      "run mc-noisy-change --replicas 1 --set duration=20m -q "};
  for (size_t k = 0; k < runs.size(); ++k) {
    std::string first;
    for (const char* threads : {"1", "2", "4"}) {
      const fs::path out = dir / (std::to_string(k) + "-" + threads + ".json");
      CommandResult r = RunFleetsim(runs[k] + "--threads " + threads + " --json " + out.string());
      INFO(runs[k] << threads << "\n" << r.output);
      REQUIRE(r.exit_code == 0);
      if (first.empty()) {
        first = ReadFile(out);
      } else {
        CHECK(ReadFile(out) == first);
      }
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("bad input exits 2, names the line, and writes nothing", "[cli][bad_input]") {
  const fs::path dir = FreshTempDir("bad-input");
  const fs::path policy = dir / "typo.yaml";
  std::ofstream(policy) << "rollout:\n  kind: stages\n  stages:\n    - {percent: 100, bakee: 1h}\n";
  const fs::path existing = dir / "existing.json";
  std::ofstream(existing) << "keep me";
  CommandResult r =
      RunFleetsim("run scenarios/examples/quickstart.yaml --policy " + policy.string() +
                  " --json " + existing.string() + " --csv " + (dir / "new.csv").string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains(policy.string() + ":4:22: unknown key 'bakee'"));
  CHECK(ReadFile(existing) == "keep me");
  CHECK_FALSE(fs::exists(dir / "new.csv"));

  CommandResult v = RunFleetsim("validate " + policy.string());
  CHECK(v.exit_code == 2);
  CHECK_THAT(v.output, Catch::Contains(":4:22:"));

  // Usage errors (CLI11) are bad input too.
  CHECK(RunFleetsim("run no-such-scenario.yaml").exit_code == 2);
  // A SCENARIO that is neither a file nor a ready-made name says so and lists the names.
  CommandResult unknown = RunFleetsim("run quikstart --replicas 2");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("quikstart: neither a file nor the name of a "
                                             "ready-made example (ready-made: "));
  CHECK_THAT(unknown.output, Catch::Contains("quickstart"));
  CHECK(RunFleetsim("run --replicas 0 scenarios/examples/quickstart.yaml").exit_code == 2);
  CHECK(RunFleetsim("no-such-command").exit_code == 2);
  CHECK(RunFleetsim("--help").exit_code == 0);

  CommandResult missing =
      RunFleetsim("run scenarios/examples/quickstart.yaml --policy no-such-policy");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Contains("policy 'no-such-policy' not found"));

  CommandResult unwritable =
      RunFleetsim("run scenarios/examples/quickstart.yaml --json /nonexistent-dir/x.json");
  CHECK(unwritable.exit_code == 2);
  fs::remove_all(dir);
}

TEST_CASE("every shipped scenario and policy validates", "[cli][validate]") {
  std::string files;
  int count = 0;
  for (const char* sub : {"scenarios/examples", "scenarios/policies", "scenarios/baselines"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(FLEETSIM_SOURCE_DIR) / sub)) {
      if (entry.path().extension() == ".yaml") {
        files += " " + fs::relative(entry.path(), FLEETSIM_SOURCE_DIR).string();
        ++count;
      }
    }
  }
  REQUIRE(count >= 4);
  CommandResult r = RunFleetsim("validate" + files);
  INFO(r.output);
  CHECK(r.exit_code == 0);
}

TEST_CASE("fleetsim policies lists every registered kind with parameters", "[cli][policies]") {
  CommandResult r = RunFleetsim("policies");
  CHECK(r.exit_code == 0);
  for (const char* kind :
       {"big_bang", "stages", "threshold", "relative", "failure_limit", "max_increase"}) {
    CHECK_THAT(r.output, Catch::Contains(kind));
  }
}

TEST_CASE("compare runs policies side by side with the same seeds", "[cli][compare]") {
  CommandResult r = RunFleetsim(
      "compare scenarios/examples/quickstart.yaml --policy big-bang --policy configerator "
      "--replicas 3");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("big-bang (big_bang)"));
  CHECK_THAT(r.output, Catch::Contains("configerator (stages)"));
  CommandResult one = RunFleetsim("compare scenarios/examples/quickstart.yaml --policy big-bang");
  CHECK(one.exit_code == 2);
}

TEST_CASE("run writes the HTML report, the Chrome trace and the timeline", "[cli][outputs]") {
  const fs::path dir = FreshTempDir("outputs");
  CommandResult r = RunFleetsim(
      "sweep scenarios/examples/quickstart.yaml --param rollout.stages[0].bake=5m,20m --replicas 3 "
      "-q "
      "--html " +
      (dir / "r.html").string() + " --trace " + (dir / "t.json").string() + " --timeline " +
      (dir / "t.txt").string() + " --trace-replica 1");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string html = ReadFile(dir / "r.html");
  CHECK_THAT(html, Catch::Contains("chart-pareto"));
  const nlohmann::json trace = nlohmann::json::parse(ReadFile(dir / "t.json"));
  CHECK(trace.at("traceEvents").size() > 10);
  CHECK(trace.at("metadata").at("replica") == 1);
  CHECK_THAT(ReadFile(dir / "t.txt"), Catch::StartsWith("timeline of quickstart, replica 1"));
  CommandResult bad =
      RunFleetsim("run scenarios/examples/quickstart.yaml --replicas 2 --trace-replica 2 --trace " +
                  (dir / "x.json").string());
  CHECK(bad.exit_code == 2);
  CHECK_FALSE(fs::exists(dir / "x.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
