// `--set PATH=VALUE` on run, compare and replay (analysis/settings.h): the same paths as sweep's
// --param, one value each; a setting gives what editing the file gives; bad paths and values
// exit 2 naming the setting, and nothing is written.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

nlohmann::json ReadJson(const fs::path& path) { return nlohmann::json::parse(ReadFile(path)); }

TEST_CASE("run --set gives the metrics of the same sweep point", "[cli][set]") {
  const fs::path dir = FreshTempDir("set-run");
  const std::string base = "run quickstart --replicas 4 --seed 5 -q --json ";
  const CommandResult set = RunFleetsim(base + (dir / "set.json").string() +
                                        " --policy configerator --set health.failure_limit=3");
  INFO(set.output);
  REQUIRE(set.exit_code == 0);
  const CommandResult swept = RunFleetsim(
      "sweep quickstart --replicas 4 --seed 5 -q --policy configerator --param "
      "health.failure_limit=3 --json " +
      (dir / "sweep.json").string());
  INFO(swept.output);
  REQUIRE(swept.exit_code == 0);
  const CommandResult plain =
      RunFleetsim(base + (dir / "plain.json").string() + " --policy configerator");
  REQUIRE(plain.exit_code == 0);
  const nlohmann::json a = ReadJson(dir / "set.json");
  const nlohmann::json s = ReadJson(dir / "sweep.json");
  const nlohmann::json p = ReadJson(dir / "plain.json");
  // The one sweep point and the --set run are the same run: the same summary.
  REQUIRE(s.contains("summary"));
  CHECK(a["summary"] == s["summary"]);
  // The setting did something (failure_limit 3 instead of the file's), and the name says it.
  CHECK(a["summary"] != p["summary"]);
  CHECK(a["policy"].dump().find("[health.failure_limit=3]") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("run --set edits the scenario too, and compare applies a policy setting to every policy",
          "[cli][set]") {
  const fs::path dir = FreshTempDir("set-compare");
  const CommandResult r = RunFleetsim("run quickstart --seed 5 -q --set replicas=3 --json " +
                                      (dir / "r.json").string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(ReadJson(dir / "r.json")["replicas"] == 3);
  const CommandResult c = RunFleetsim(
      "compare quickstart --replicas 2 --policy configerator --policy staged-15m "
      "--set health.failure_limit=7");
  INFO(c.output);
  REQUIRE(c.exit_code == 0);
  CHECK_THAT(c.output, Catch::Contains("configerator [health.failure_limit=7]"));
  CHECK_THAT(c.output, Catch::Contains("staged-15m [health.failure_limit=7]"));
  fs::remove_all(dir);
}

TEST_CASE("replay --set runs the counterfactual scenario: automation disabled loses the verdict",
          "[cli][set][replay]") {
  // Practice S1 is rolled back by automation at T+3; with automation disabled the stops are
  // lost and the timeline says so.
  const CommandResult day = RunFleetsim("replay practice-s01-regional-canary-slo");
  REQUIRE(day.exit_code == 0);
  CHECK_THAT(day.output, !Catch::Contains("verdict lost"));
  const CommandResult off =
      RunFleetsim("replay practice-s01-regional-canary-slo --set automation.enabled=false");
  INFO(off.output);
  REQUIRE(off.exit_code == 0);
  CHECK_THAT(off.output, Catch::Contains("verdict lost: 3 failing verdicts acted on nothing "
                                         "(automation disabled: the stop never reached the push)"));
  CHECK_THAT(off.output, !Catch::Contains("rollback started by automation"));
}

TEST_CASE("a bad --set path or value exits 2, names the setting and writes nothing",
          "[cli][set][bad_input]") {
  const fs::path dir = FreshTempDir("set-bad");
  const std::string json = " --json " + (dir / "out.json").string();
  const CommandResult malformed = RunFleetsim("run quickstart --set automation" + json);
  CHECK(malformed.exit_code == 2);
  CHECK_THAT(malformed.output, Catch::Contains("--set 'automation': expected PATH=VALUE"));
  const CommandResult typo = RunFleetsim("run quickstart --set automaton.enabled=false" + json);
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.output, Catch::Contains("--set automaton.enabled=false: "));
  CHECK_THAT(typo.output, Catch::Contains("unknown key 'automaton'"));
  const CommandResult index = RunFleetsim("run quickstart --set rollout.stages[9].bake=1m" + json);
  CHECK(index.exit_code == 2);
  CHECK_THAT(index.output, Catch::Contains("no list element [9]"));
  const CommandResult value = RunFleetsim("run quickstart --set health.failure_limit=many" + json);
  CHECK(value.exit_code == 2);
  CHECK_THAT(value.output, Catch::Contains("--set health.failure_limit=many: "));
  const CommandResult replay =
      RunFleetsim("replay practice-s01-regional-canary-slo --set automation.enabld=false" + json);
  CHECK(replay.exit_code == 2);
  CHECK_THAT(replay.output, Catch::Contains("unknown key 'enabld'"));
  CHECK_FALSE(fs::exists(dir / "out.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
