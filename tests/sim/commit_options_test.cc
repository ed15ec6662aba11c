// Pipeline options and risk routing end to end (sim/commit_pipeline.h, policies/risk/):
//  - pipelining: with a canary step of 1m deploy + 20m bake and a 9m rollout to the rest, the
//    next release starts when the previous passes its canary (every 21m) instead of when it
//    completes (every 30m);
//  - CI retry: a good commit is reverted only if its first run and all max_retries re-runs
//    flake: probability p^(1 + max_retries) (Binomial check, 4 standard errors);
//  - CI block: every failing run blocks the pipeline until a person looked; flaky good commits
//    then ship, nothing is reverted;
//  - culprit search by revert (a person, no canary) and by risk (the highest-risk commit);
//  - risk routing: high-risk commits ship alone and take the high-risk rollout.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "analysis/monte_carlo.h"
#include "policies/risk/risk_registry.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using testing::PolicyFromYaml;
using testing::ScenarioFromYaml;

std::string Scenario100(const std::string& duration, const std::string& commits) {
  return testing::CommitWorldYaml("commit-options", duration, 5, commits);
}

const char* const kCanaryThenAll = R"(
rollout:
  kind: stages
  stages:
    - {name: canary, percent: 10, bake: 20m}
    - {name: all, percent: 100, bake: 0s}
)";

std::vector<SimTime> ReleaseStarts(const ReplicaResult& r) {
  std::vector<SimTime> out;
  for (const ChangeOutcome& o : r.outcomes) out.push_back(o.arrival);
  return out;
}

TEST_CASE("pipelining starts the next release when the previous passed its canary",
          "[commits][pipelining]") {
  // Commits every 5m (ready 5m later): the queue is never empty after the first release.
  Scenario scenario =
      ScenarioFromYaml(Scenario100("4h", "{per_day: 288, arrivals: regular, test_duration: 5m}"));
  for (bool pipelining : {false, true}) {
    Policy policy =
        PolicyFromYaml(std::string(kCanaryThenAll) + "batching: {kind: single, pipelining: " +
                       (pipelining ? "true" : "false") + "}\n");
    const std::vector<SimTime> starts =
        ReleaseStarts(RunReplica(scenario, policy, scenario.seed, 0));
    REQUIRE(starts.size() >= 4);
    CHECK(starts[0] == SimTime::Minutes(10));
    // Canary: 10 hosts at 10/min = 1m, bake 20m; the rest: 90 hosts = 9m, no final bake.
    const SimTime gap = pipelining ? SimTime::Minutes(21) : SimTime::Minutes(30);
    for (size_t i = 1; i < 4; ++i) CHECK(starts[i] - starts[i - 1] == gap);
  }
}

TEST_CASE("CI retry reverts a good commit only when every run flakes: p^(1 + max_retries)",
          "[commits][ci]") {
  Scenario scenario = ScenarioFromYaml(Scenario100(
      "1d", "{per_day: 2880, arrivals: regular, test_duration: 5m, flake_probability: 0.5}"));
  Policy policy = PolicyFromYaml(
      "rollout: {kind: big_bang}\nbatching: {kind: whole_backlog, on_test_failure: retry, "
      "max_retries: 2}\n");
  const ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.commit_flow.has_value());
  double n = 0, reverted = 0;
  for (const CommitRecord& c : r.commit_flow->commits) {
    if (c.landed > SimTime::Hours(23)) continue;  // all three runs finish before the end
    ++n;
    if (c.fate == CommitFate::kRevertedByTests) ++reverted;
  }
  const double p = 0.125;
  CHECK(std::abs(reverted / n - p) < 4 * std::sqrt(p * (1 - p) / n));
}

TEST_CASE("CI block holds the pipeline for a person, then flaky good commits ship",
          "[commits][ci]") {
  Scenario scenario = ScenarioFromYaml(Scenario100(
      "6h", "{per_day: 24, arrivals: regular, test_duration: 5m, flake_probability: 1}"));
  Policy policy = PolicyFromYaml(
      "rollout: {kind: big_bang}\nbatching: {kind: single, on_test_failure: block}\n");
  const ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
  REQUIRE(r.commit_flow.has_value());
  const CommitFlowResult& flow = *r.commit_flow;
  REQUIRE(flow.commits.size() == 5);  // 1h .. 5h
  CHECK(flow.blocked > SimTime::Zero());
  for (const CommitRecord& c : flow.commits) {
    CHECK(c.fate != CommitFate::kRevertedByTests);
    if (c.landed <= SimTime::Hours(4)) {
      CHECK(c.fate == CommitFate::kDeployed);
      CHECK(*c.lead_time() > SimTime::Minutes(15));  // 5m tests + 10m deploy + the person's time
    }
  }
}

const char* const kCaughtInCanary = R"(
health:
  interval: 1m
  checks: [{kind: threshold, metric: error_rate, max: 0.05}]
)";

TEST_CASE("culprit search by revert costs a person and no canary, by risk reverts the riskiest",
          "[commits][culprit]") {
  // 8 bad commits ready by the 10m train (as in the bisection test).
  Scenario scenario =
      ScenarioFromYaml(Scenario100("3h",
                                   "{per_day: 1440, arrivals: regular, test_duration: 2m, "
                                   "bad_fraction: 1, faults: [fatal], risk_auc: 0.7}"));
  for (const char* method : {"revert", "risk"}) {
    INFO(method);
    Policy policy = PolicyFromYaml(
        std::string(kCanaryThenAll) + kCaughtInCanary +
        "batching: {kind: scheduled, period: 1d, at: 10m, revert_time: 7m, on_failure: " + method +
        "}\n");
    const ReplicaResult r = RunReplica(scenario, policy, scenario.seed, 0);
    REQUIRE(r.commit_flow.has_value());
    const CommitFlowResult& flow = *r.commit_flow;
    REQUIRE(flow.release_sizes == std::vector<int64_t>{8});
    CHECK(flow.releases_failed == 1);
    CHECK(flow.bisection_steps == 0);
    const CommitRecord* culprit = nullptr;
    double max_risk = 0;
    for (const CommitRecord& c : flow.commits) {
      if (c.release == 0) max_risk = std::max(max_risk, c.risk);
      if (c.fate == CommitFate::kRevertedAsCulprit) {
        CHECK(culprit == nullptr);
        culprit = &c;
      }
    }
    REQUIRE(culprit != nullptr);
    if (std::string(method) == "revert") {
      CHECK(culprit->id == 0);  // the person reverts the first bad commit
      CHECK(flow.blocked > SimTime::Zero());
    } else {
      CHECK(culprit->risk == max_risk);
      CHECK(flow.blocked == SimTime::Minutes(7));
    }
  }
}

TEST_CASE("risk routing: high-risk commits ship alone and take the high-risk rollout",
          "[commits][risk]") {
  // Commits every 5m; a whole_backlog cycle of 10m deploy + 10m bake batches several of them.
  Scenario scenario =
      ScenarioFromYaml(Scenario100("4h", "{per_day: 288, arrivals: regular, test_duration: 5m}"));
  Policy batched =
      PolicyFromYaml("rollout: {kind: big_bang, bake: 10m}\nbatching: {kind: whole_backlog}\n");
  const ReplicaResult plain = RunReplica(scenario, batched, scenario.seed, 0);
  REQUIRE(plain.commit_flow.has_value());
  CHECK(*std::max_element(plain.commit_flow->release_sizes.begin(),
                          plain.commit_flow->release_sizes.end()) > 1);
  // high: 0 makes every commit high risk.
  Policy routed = PolicyFromYaml(
      "rollout: {kind: big_bang, bake: 10m}\nbatching: {kind: whole_backlog}\n"
      "risk: {kind: threshold, high: 0, alone: true, high_rollout: {kind: big_bang, bake: 30m}}\n");
  const ReplicaResult r = RunReplica(scenario, routed, scenario.seed, 0);
  REQUIRE(r.commit_flow.has_value());
  for (int64_t n : r.commit_flow->release_sizes) CHECK(n == 1);
  for (const ChangeOutcome& o : r.outcomes) {
    if (o.completed_at) CHECK(*o.completed_at - *o.full_exposure_at == SimTime::Minutes(30));
  }
}

TEST_CASE("a risk-routed rollout that does not fit the fleet is rejected before a run",
          "[commits][risk]") {
  const Scenario scenario = ScenarioFromYaml(Scenario100("1h", "{per_day: 24}"));
  const Policy policy = PolicyFromYaml(
      "rollout: {kind: big_bang}\n"
      "risk: {kind: threshold, high_rollout: {kind: conveyor, phases: [{scope: eurpoe, bake: "
      "1h}]}}\n");
  REQUIRE(policy.risk != nullptr);
  CHECK(policy.rollout->Validate(*scenario.fleet).ok());
  CHECK_THAT(policy.risk->Validate(*scenario.fleet).message(), Catch::Contains("'eurpoe'"));
}

}  // namespace
}  // namespace fleetsim
