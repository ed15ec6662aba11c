// `fleetsim replay OUTAGE --seeds LIST`: per key moment of the policy of the day, the seeds within
// the published tolerance and the spread; JSON with --json; bad lists exit 2 writing nothing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

TEST_CASE("replay --seeds reports each moment's share within tolerance and its spread",
          "[cli][replay][seeds]") {
  const fs::path dir = FreshTempDir("replay-seeds");
  const fs::path json = dir / "seeds.json";
  const CommandResult r = RunFleetsim(
      "replay cloudflare-2019-waf --seeds 1-6 --policy staged-15m "
      "--json " +
      json.string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("on 6 seeds (1 ... 6)"));
  CHECK_THAT(r.output, Catch::Contains("policy of the day: big-bang"));
  CHECK_THAT(r.output, Catch::Contains("counterfactual: staged-15m"));
  // Detection is the alert at T+3 on every seed (no randomness before the page).
  CHECK_THAT(r.output, Catch::Contains("T+3 +/- 2   6/6 (100%)"));
  const nlohmann::json j = nlohmann::json::parse(ReadFile(json));
  CHECK(j["report"] == "replay_seeds");
  CHECK(j["seeds"].size() == 6);
  REQUIRE(j["runs"].size() == 2);
  const nlohmann::json& mitigation = j["runs"][0]["moments"]["mitigation_start"];
  CHECK(mitigation["happened"] == 6);
  CHECK(mitigation["published"] == 25.0);
  CHECK(mitigation["within_share"] == mitigation["within"].get<double>() / 6.0);
  CHECK(mitigation["min"].get<double>() <= mitigation["median"].get<double>());
  CHECK(mitigation["median"].get<double>() <= mitigation["max"].get<double>());
  CHECK_FALSE(j["runs"][1]["moments"]["mitigation_start"].contains("within"));
  fs::remove_all(dir);
}

TEST_CASE("a bad seed list, or --seed with --seeds, exits 2 and writes nothing",
          "[cli][replay][seeds][bad_input]") {
  const fs::path dir = FreshTempDir("replay-seeds-bad");
  const std::string json = " --json " + (dir / "out.json").string();
  const CommandResult bad = RunFleetsim("replay cloudflare-2019-waf --seeds 5-1" + json);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("--seeds '5-1': a range goes up"));
  const CommandResult both = RunFleetsim("replay cloudflare-2019-waf --seed 3 --seeds 1-3" + json);
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.output, Catch::Contains("--seed and --seeds: give one"));
  CHECK_FALSE(fs::exists(dir / "out.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
