// `fleetsim replay` as a user meets it: the published-vs-simulated table, counterfactuals side
// by side, byte-identical JSON for the same seed, and bad input exiting 2 with nothing written.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

TEST_CASE("replay prints published and simulated times and the counterfactual side by side",
          "[cli][replay]") {
  const fs::path dir = FreshTempDir("replay");
  const std::string json = (dir / "r.json").string();
  CommandResult r = RunFleetsim("replay cloudflare-2019-waf --policy staged-15m --json " + json);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("key moments under big-bang (the policy of the day)"));
  CHECK_THAT(r.output, Catch::Contains("detection         T+3 +/-2 (published)"));
  CHECK_THAT(r.output, Catch::Contains("big-bang (of the day)  staged-15m"));
  CHECK_THAT(r.output,
             Catch::Contains("rollback started by human"));  // the minute-by-minute timeline
  CHECK_THAT(r.output,
             Catch::Contains(
                 "https://blog.cloudflare.com/details-of-the-cloudflare-outage-on-july-2-2019/"));

  const nlohmann::json j = nlohmann::json::parse(ReadFile(json));
  CHECK(j["schema_version"] == 1);
  CHECK(j["seed"] == 1);
  REQUIRE(j["runs"].size() == 2);
  CHECK(j["runs"][0]["counterfactual"] == false);
  CHECK(j["runs"][0]["moments"]["detection"]["within_tolerance"] == true);
  CHECK(j["runs"][0]["blast_radius"]["peak_exposed_fraction"] == 1.0);
  CHECK(j["runs"][1]["counterfactual"] == true);
  CHECK(j["runs"][1]["policy"]["name"] == "staged-15m");
  CHECK(j["runs"][1]["blast_radius"]["peak_exposed_fraction"].get<double>() < 0.02);

  // Same seed, same bytes; another seed, other bytes (so the comparison can fail).
  const std::string again = (dir / "again.json").string();
  REQUIRE(RunFleetsim(
              "replay scenarios/outages/cloudflare-2019-waf.yaml -q --policy staged-15m --json " +
              again)
              .exit_code == 0);
  CHECK(ReadFile(again) == ReadFile(json));
  const std::string other = (dir / "other.json").string();
  REQUIRE(RunFleetsim("replay cloudflare-2019-waf -q --policy staged-15m --seed 7 --json " + other)
              .exit_code == 0);
  CHECK(ReadFile(other) != ReadFile(json));
  fs::remove_all(dir);
}

TEST_CASE("replay --stage-push puts a latent fault's trigger push through the policy",
          "[cli][replay]") {
  const fs::path dir = FreshTempDir("replay-push");
  const std::string json = (dir / "r.json").string();
  CommandResult r =
      RunFleetsim("replay fastly-2021 --policy staged-15m --stage-push staged-15m --json " + json);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output,
             Catch::Contains("configerator (of the day)  staged-15m      staged-15m, push staged"));
  CHECK_THAT(r.output, Catch::Contains("trigger's peak exposure"));
  const nlohmann::json j = nlohmann::json::parse(ReadFile(json));
  REQUIRE(j["runs"].size() == 3);
  CHECK(j["runs"][1]["pushes_staged"] == false);
  CHECK(j["runs"][2]["pushes_staged"] == true);
  CHECK(j["runs"][1]["blast_radius"]["trigger_peak_exposed_fraction"] == 1.0);
  CHECK(j["runs"][2]["blast_radius"]["trigger_peak_exposed_fraction"].get<double>() <= 0.06);
  CHECK(j["runs"][2]["blast_radius"]["failed_requests"].get<int64_t>() * 10 <
        j["runs"][1]["blast_radius"]["failed_requests"].get<int64_t>());
  // A scenario without a bypass push has nothing to stage.
  CommandResult none =
      RunFleetsim("replay cloudflare-2019-waf --stage-push staged-15m --json " + json + "-none");
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.output,
             Catch::Contains("--stage-push: the scenario has no bypass push to stage"));
  CHECK_FALSE(fs::exists(json + "-none"));
  fs::remove_all(dir);
}

TEST_CASE("replay's timeline says when a revert waits for repairs and folds the alerts that follow",
          "[cli][replay]") {
  CommandResult r = RunFleetsim("replay azure-storage-2014");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output,
             Catch::Contains(
                 "rollback started by human (exposed 3,200 hosts); the fault blocks the revert: "
                 "it waits for the hosts' repair by hand"));
  CHECK_THAT(r.output,
             Catch::Contains(
                 "human response: nothing new to roll back (change #0 is still rolling back)"));
  CHECK_THAT(r.output, Catch::Contains("more times; each time nothing new to roll back)"));
  CHECK_THAT(r.output, Catch::Contains("rollback finished; impact ended"));
  // Said once, then counted: not one line per alert during the ~10-hour wait (alert every ~18 min).
  size_t fired = 0;
  for (size_t at = r.output.find("alert fired"); at != std::string::npos;
       at = r.output.find("alert fired", at + 1))
    ++fired;
  CHECK(fired == 2 + 1);  // the page, the first re-fire, and the summary line's "the alert fired"
  CHECK(r.output.find("human response: nothing to roll back") == std::string::npos);
}

TEST_CASE("replay exits 2 on bad input and writes nothing", "[cli][replay][bad_input]") {
  const fs::path dir = FreshTempDir("replay-bad");
  const std::string json = (dir / "r.json").string();
  CommandResult missing = RunFleetsim("replay no-such-outage --json " + json);
  CHECK(missing.exit_code == 2);
  CommandResult policy =
      RunFleetsim("replay cloudflare-2019-waf --policy no-such-policy --json " + json);
  CHECK(policy.exit_code == 2);
  CHECK_THAT(policy.output, Catch::Contains("policy 'no-such-policy' not found"));
  // A scenario with nothing to replay (no outage block, no injected faulty change).
  CommandResult nothing = RunFleetsim("replay scenarios/examples/quickstart.yaml --json " + json);
  CHECK(nothing.exit_code == 2);
  CHECK_THAT(nothing.output, Catch::Contains("nothing to replay"));
  // A typo in an outage block names its line and column.
  const fs::path typo = dir / "typo.yaml";
  std::ofstream(typo) << "name: t\nfleet: {hosts: 10, regions: [{name: r}]}\n"
                         "faults: [{name: f, error_rate_increase: 1}]\n"
                         "changes: {injected: [{at: 1m, fault: f}]}\npolicy: "
                         "../../scenarios/policies/big-bang.yaml\n"
                         "outage:\n  title: T\n  sources: [{title: S}]\n  publised: {}\n";
  CommandResult bad = RunFleetsim("replay " + typo.string() + " --json " + json);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains(typo.string() + ":9:3: unknown key 'publised'"));
  CHECK_FALSE(fs::exists(json));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
