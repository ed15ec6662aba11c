// `fleetsim check` as a CI gate: a deliberately weaker policy (skipped canary, shorter bakes)
// fails against the committed configerator baseline, a behaviour-preserving rewrite of the
// policy passes, repeated checks print the same thing, --update records atomically, JUnit XML
// is written, and bad baselines exit 2.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

const char* kBaseline = "scenarios/baselines/configerator-quickstart.yaml";

TEST_CASE("the committed baselines hold for their own policies", "[cli][check]") {
  CommandResult r = RunFleetsim(
      "check --exact scenarios/baselines/configerator-quickstart.yaml "
      "scenarios/baselines/big-bang-quickstart.yaml");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("results identical to the recorded baseline"));
}

TEST_CASE("a weaker policy fails the check", "[cli][check]") {
  for (const char* weaker : {"tests/data/policies/weaker-skip-canary.yaml",
                             "tests/data/policies/weaker-short-bake.yaml"}) {
    CommandResult r = RunFleetsim(std::string("check ") + kBaseline + " --policy " + weaker);
    INFO(weaker << "\n" << r.output);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::Contains("REGRESSION"));
  }
}

TEST_CASE("a behaviour-preserving rewrite of the policy passes, deterministically",
          "[cli][check]") {
  const std::string args = std::string("check ") + kBaseline +
                           " --policy tests/data/policies/configerator-refactored.yaml";
  CommandResult first = RunFleetsim(args);
  CommandResult second = RunFleetsim(args);
  INFO(first.output);
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.output, Catch::Contains("results identical to the recorded baseline"));
  CHECK(first.output == second.output);
}

TEST_CASE("check --update records atomically and JUnit XML reports each metric", "[cli][check]") {
  const fs::path dir = FreshTempDir("check");
  const fs::path baseline = dir / "b.yaml";
  std::ofstream(baseline)
      << "scenario: " << FLEETSIM_SOURCE_DIR << "/scenarios/examples/quickstart.yaml\n"
      << "policy: " << FLEETSIM_SOURCE_DIR << "/scenarios/policies/configerator.yaml\n"
      << "seed: 5\nreplicas: 6\nmetrics:\n  blast_radius: {tolerance: not_worse}\n"
      << "  lead_time: {tolerance: {relative: 0.05}}\n";
  CommandResult before =
      RunFleetsim("check " + baseline.string() + " --junit " + (dir / "j.xml").string());
  CHECK(before.exit_code == 0);  // nothing recorded yet: reported, and JUnit marks it failed
  CHECK_THAT(ReadFile(dir / "j.xml"), Catch::Contains("no recorded values"));

  CommandResult update = RunFleetsim("check --update " + baseline.string());
  INFO(update.output);
  REQUIRE(update.exit_code == 0);
  const std::string recorded = ReadFile(baseline);
  CHECK_THAT(recorded, Catch::Contains("recorded:"));
  CHECK_THAT(recorded, Catch::Contains("lead_time: {tolerance: {relative: 0.05}}"));
  for (const auto& entry : fs::directory_iterator(dir)) {
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
  }
  CommandResult after =
      RunFleetsim("check --exact " + baseline.string() + " --junit " + (dir / "j.xml").string());
  INFO(after.output);
  CHECK(after.exit_code == 0);
  const std::string junit = ReadFile(dir / "j.xml");
  CHECK_THAT(junit,
             Catch::Contains("<testsuites name=\"fleetsim check\" tests=\"2\" failures=\"0\">"));
  CHECK_THAT(junit, Catch::Contains("name=\"lead_time\""));

  CommandResult weaker = RunFleetsim(
      "check " + baseline.string() +
      " --policy tests/data/policies/weaker-skip-canary.yaml --junit " + (dir / "j.xml").string());
  CHECK(weaker.exit_code == 1);
  CHECK_THAT(ReadFile(dir / "j.xml"), Catch::Contains("<failure message=\"regression\">"));
  fs::remove_all(dir);
}

TEST_CASE("bad baselines exit 2 with the line", "[cli][check]") {
  const fs::path dir = FreshTempDir("check-bad");
  const fs::path bad = dir / "bad.yaml";
  std::ofstream(bad)
      << "scenario: x.yaml\npolicy: p\nmetrics:\n  blast_raduis: {tolerance: not_worse}\n";
  CommandResult r = RunFleetsim("check " + bad.string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output,
             Catch::Contains(bad.string() + ":4:3: metrics: unknown metric 'blast_raduis'"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
