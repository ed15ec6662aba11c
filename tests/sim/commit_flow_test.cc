// The commit pipeline end to end (sim/commit_pipeline.h through the engine), against closed forms:
//  - no failures, regular commits every g = 30m, CI tau = 5m, big_bang reaching 100% after
//    D = 100 hosts / 10 per minute = 10m and baking B = 10m: under `single` every commit's lead
//    time is tau + D = 15m (a release cycle D + B = 20m < g, so none waits); under fixed_n with
//    n = 3 (cycle 20m < n g = 90m) commit j of a batch waits (n - j) g for the batch's last
//    commit, so its lead time is tau + D + (n - j) g: 75m, 45m, 15m;
//  - backlog: under fixed_n the queue holds 1 commit for g and 2 for g per batch of 90m;
//  - a release of 8 commits all bad, caught in its canary, is bisected in ceil(log2 8) = 3
//    canaries of bisect_step = 15m, blocking the pipeline 45m; one commit is reverted, the
//    other 7 wait for the next train;
//  - a scenario without a commit stream reports no commit flow.
#include <catch2/catch.hpp>

#include "analysis/monte_carlo.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::PolicyFromYaml;
using testing::ScenarioFromYaml;

std::string RegularCommitsScenario(const std::string& commits) {
  return testing::CommitWorldYaml("commit-flow", "5h", 3, commits);
}

const char* const kRegular = "{per_day: 48, arrivals: regular, test_duration: 5m}";

TEST_CASE("with no failures, single releases give every commit lead time tau + D",
          "[commits][flow]") {
  Scenario scenario = ScenarioFromYaml(RegularCommitsScenario(kRegular));
  Policy policy =
      PolicyFromYaml("rollout: {kind: big_bang, bake: 10m}\nbatching: {kind: single}\n");
  const ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.commit_flow.has_value());
  const CommitFlowResult& flow = *r.commit_flow;
  REQUIRE(flow.commits.size() == 9);  // landed at 30m, 1h, ..., 4h30m
  for (const CommitRecord& c : flow.commits) {
    INFO("commit " << c.id);
    CHECK(c.fate == CommitFate::kDeployed);
    REQUIRE(c.lead_time().has_value());
    CHECK(*c.lead_time() == SimTime::Minutes(15));
  }
  CHECK(flow.release_sizes == std::vector<int64_t>(9, 1));
  CHECK(flow.releases_deployed == 9);
  CHECK(flow.blocked == SimTime::Zero());
  // Each commit waits 0 in the queue (released the instant it is ready).
  CHECK(flow.backlog_time_average == 0.0);
  REQUIRE(r.outcomes.size() == 9);  // every release is a change of kind code
  for (const ChangeOutcome& o : r.outcomes) CHECK(o.kind == ChangeKind::kCode);
}

TEST_CASE("with no failures, fixed_n gives lead time tau + D + (n - j) g", "[commits][flow]") {
  Scenario scenario = ScenarioFromYaml(RegularCommitsScenario(kRegular));
  Policy policy = PolicyFromYaml(
      "rollout: {kind: big_bang, bake: 10m}\nbatching: {kind: fixed_n, n: 3, max_wait: 0s}\n");
  const ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.commit_flow.has_value());
  const CommitFlowResult& flow = *r.commit_flow;
  REQUIRE(flow.commits.size() == 9);
  for (const CommitRecord& c : flow.commits) {
    const int64_t j = c.id % 3 + 1;
    INFO("commit " << c.id);
    REQUIRE(c.lead_time().has_value());
    CHECK(*c.lead_time() == SimTime::Minutes(5 + 10 + (3 - j) * 30));
  }
  CHECK(flow.release_sizes == std::vector<int64_t>{3, 3, 3});
  // Queue: 1 commit for 30m and 2 for 30m per batch, 3 batches, over 300m: 270 / 300.
  CHECK(flow.backlog_time_average == Approx(270.0 / 300.0).epsilon(1e-12));
  CHECK(flow.backlog_max == 3);  // the third commit joins, and the batch leaves at that instant
}

TEST_CASE("a failed release of 8 commits is bisected in ceil(log2 8) canaries",
          "[commits][flow][bisect]") {
  // Commits every minute from 1m, CI 2m: by the 10m train, 8 commits are ready (landed 1m..8m).
  Scenario scenario = ScenarioFromYaml(RegularCommitsScenario(
      "{per_day: 1440, arrivals: regular, test_duration: 2m, bad_fraction: 1, faults: [fatal]}"));
  scenario.duration = SimTime::Hours(3);
  Policy policy = PolicyFromYaml(R"(
rollout:
  kind: stages
  stages:
    - {name: canary, percent: 10, bake: 30m}
    - {name: all, percent: 100, bake: 0s}
health:
  interval: 1m
  checks: [{kind: threshold, metric: error_rate, max: 0.05}]
batching: {kind: scheduled, period: 1d, at: 10m, bisect_step: 15m}
)");
  const ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.commit_flow.has_value());
  const CommitFlowResult& flow = *r.commit_flow;
  REQUIRE(flow.release_sizes == std::vector<int64_t>{8});
  CHECK(flow.releases_failed == 1);
  CHECK(flow.bisection_steps == 3);
  CHECK(flow.blocked == SimTime::Minutes(45));
  CHECK(flow.bad_commits_reached_full == 0);
  int reverted = 0, pending = 0;
  for (const CommitRecord& c : flow.commits) {
    if (c.fate == CommitFate::kRevertedAsCulprit) ++reverted;
    if (c.fate == CommitFate::kPending) ++pending;
  }
  CHECK(reverted == 1);
  CHECK(pending == static_cast<int>(flow.commits.size()) - 1);
  REQUIRE(r.outcomes.size() == 1);
  CHECK(r.outcomes[0].bad);
  CHECK(r.outcomes[0].detected_by == DetectedBy::kAutomation);
}

TEST_CASE("a scenario without commits has no commit flow", "[commits][flow]") {
  Scenario scenario =
      ScenarioFromYaml(testing::TenThousandHostScenarioYaml("no-commits", "    - {at: 10m}\n"));
  const ReplicaResult r =
      RunReplica(scenario, PolicyFromYaml(testing::kStagesPolicyYaml), scenario.seed, 0);
  CHECK_FALSE(r.commit_flow.has_value());
}

}  // namespace
}  // namespace fleetsim
