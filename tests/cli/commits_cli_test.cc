// The commit flow through the fleetsim executable: instagram-day runs, its JSON carries the
// commit-flow metrics byte-identically for 1 and 2 threads, --commits-csv writes one row per
// commit, compare pairs commit metrics, sweep edits batching: parameters, `fleetsim policies` lists
// the batching and risk kinds, and a typo in a batching: section is a located error with exit code
// 2 and nothing written.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

TEST_CASE("instagram-day reports commit flow, deterministically for any thread count",
          "[cli][commits]") {
  const fs::path dir = FreshTempDir("commits");
  const std::string base = "run scenarios/examples/instagram-day.yaml --replicas 4 -q ";
  CommandResult one = RunFleetsim(base + "--threads 1 --json " + (dir / "t1.json").string() +
                                  " --commits-csv " + (dir / "c1.csv").string());
  CommandResult two = RunFleetsim(base + "--threads 2 --json " + (dir / "t2.json").string() +
                                  " --commits-csv " + (dir / "c2.csv").string());
  INFO(one.output << two.output);
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  const std::string json = ReadFile(dir / "t1.json");
  CHECK(json == ReadFile(dir / "t2.json"));
  for (const char* metric :
       {"commit_lead_time", "deploys_per_day", "commits_per_release", "backlog_mean", "backlog_max",
        "pipeline_blocked", "bisection_steps", "bad_commit_escape_rate"}) {
    CHECK(json.find(std::string("\"") + metric + "\"") != std::string::npos);
  }
  const std::string csv = ReadFile(dir / "c1.csv");
  CHECK(csv == ReadFile(dir / "c2.csv"));
  CHECK(csv.rfind(
            "policy,replica,commit,landed_min,bad,risk,fate,release,reached_full,lead_time_min\n",
            0) == 0);
  CHECK(csv.find(",deployed,") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("compare pairs commit-flow metrics, and policies lists batching and risk kinds",
          "[cli][commits]") {
  CommandResult r = RunFleetsim(
      "compare scenarios/examples/instagram-day.yaml --policy instagram-single "
      "--policy instagram-backlog --replicas 3");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("commit lead time") && Catch::Contains("commit_lead_time"));
  CommandResult sweep = RunFleetsim(
      "sweep scenarios/examples/instagram-day.yaml --param batching.max_commits=1,3 --replicas 2");
  INFO(sweep.output);
  CHECK(sweep.exit_code == 0);
  CHECK_THAT(sweep.output, Catch::Contains("batching.max_commits=3"));
  CommandResult p = RunFleetsim("policies");
  for (const char* kind : {"backlog_goal", "fixed_n", "whole_backlog", "scheduled", "single",
                           "threshold", "on_test_failure", "bisect_step"}) {
    CHECK_THAT(p.output, Catch::Contains(kind));
  }
}

TEST_CASE("a typo in batching: is a located error, exit 2, nothing written", "[cli][commits]") {
  const fs::path dir = FreshTempDir("commits-typo");
  {
    std::ofstream(dir / "p.yaml")
        << "rollout: {kind: big_bang}\nbatching: {kind: backlog_goal, max_comits: 3}\n";
  }
  CommandResult r =
      RunFleetsim("run scenarios/examples/instagram-day.yaml --replicas 1 --policy " +
                  (dir / "p.yaml").string() + " --json " + (dir / "out.json").string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("p.yaml:2:") && Catch::Contains("max_comits"));
  CHECK_FALSE(fs::exists(dir / "out.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
