// Batching kinds (policies/batching/):
//  - Instagram's backlog rule on hand-computed worked examples (goal 30m, rollout 10m, cap 3);
//  - fixed_n, whole_backlog, single and scheduled decisions at chosen instants;
//  - conformance over every registered kind: its example parses, Kind() is its name, decisions
//    take between 0 and the queue length and only ask to be woken in the future;
//  - YAML errors are located and name what was expected.
#include <catch2/catch.hpp>

#include "policies/batching/backlog_goal.h"
#include "policies/batching/batching_registry.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

std::vector<QueuedCommit> Landed(std::initializer_list<int64_t> minutes) {
  std::vector<QueuedCommit> q;
  for (int64_t m : minutes)
    q.push_back(QueuedCommit{static_cast<int64_t>(q.size()), SimTime::Minutes(m),
                             SimTime::Minutes(m), 0.5});
  return q;
}

int64_t Instagram(const std::vector<QueuedCommit>& q, int64_t now_minutes) {
  return BacklogGoalCommitsPerRollout(q, SimTime::Minutes(now_minutes), SimTime::Minutes(30),
                                      SimTime::Minutes(10), 3);
}

TEST_CASE("Instagram backlog rule on hand-computed worked examples", "[batching][instagram]") {
  // One fresh commit: 25 min left, 2 rollouts fit, ceil(1/2) = 1.
  CHECK(Instagram(Landed({95}), 100) == 1);
  // Ages 20, 10, 5, 2: left 10, 20, 25, 28; fit 1, 2, 2, 2; need ceil(1/1)=1, ceil(2/2)=1,
  // ceil(3/2)=2, ceil(4/2)=2 -> 2.
  CHECK(Instagram(Landed({80, 90, 95, 98}), 100) == 2);
  // Ages 28, 25, 3: left 2 and 5 fit no rollout -> the cap 3; the third needs ceil(3/2) = 2 -> 3.
  CHECK(Instagram(Landed({72, 75, 97}), 100) == 3);
  // Seven commits landed now: 3 rollouts fit, ceil(7/3) = 3; five: ceil(5/3) = 2.
  CHECK(Instagram(Landed({100, 100, 100, 100, 100, 100, 100}), 100) == 3);
  CHECK(Instagram(Landed({100, 100, 100, 100, 100}), 100) == 2);
  // Nine commits landed now: ceil(9/3) = 3 (cap not binding); twelve: ceil(12/3) = 4 -> capped
  // at 3.
  CHECK(Instagram(Landed({100, 100, 100, 100, 100, 100, 100, 100, 100}), 100) == 3);
  CHECK(BacklogGoalCommitsPerRollout(
            Landed({100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}),
            SimTime::Minutes(100), SimTime::Minutes(30), SimTime::Minutes(10), 10) == 4);
  // Exactly one rollout fits (left 10 = rollout): ceil(2/1) = 2 for the second commit.
  CHECK(Instagram(Landed({80, 80}), 100) == 2);
  // A goal already missed by every commit ships the cap, but never more than the queue.
  CHECK(Instagram(Landed({0, 1}), 100) == 2);
}

std::unique_ptr<BatchingPolicy> Batching(const std::string& yaml) {
  static const std::string file = "policy.yaml";
  std::unique_ptr<BatchingPolicy> p;
  Status st =
      CatchConfigErrors([&] { p = ParseBatchingPolicy(ParseYamlText(yaml, &file), "batching"); });
  INFO(st.message());
  REQUIRE(st.ok());
  return p;
}

std::string BatchingError(const std::string& yaml) {
  static const std::string file = "policy.yaml";
  Status st =
      CatchConfigErrors([&] { ParseBatchingPolicy(ParseYamlText(yaml, &file), "batching"); });
  REQUIRE_FALSE(st.ok());
  return st.message();
}

BatchDecision Decide(const BatchingPolicy& p, const std::vector<QueuedCommit>& q,
                     int64_t now_minutes, std::optional<SimTime> last = std::nullopt) {
  return p.Decide(BatchingContext{SimTime::Minutes(now_minutes), q, last});
}

TEST_CASE("fixed_n waits for n commits, or ships what is ready after max_wait", "[batching]") {
  auto p = Batching("{kind: fixed_n, n: 3, max_wait: 1h}");
  CHECK(Decide(*p, Landed({0, 10, 20, 30}), 30).take == 3);
  const BatchDecision wait = Decide(*p, Landed({0, 10}), 30);
  CHECK(wait.take == 0);
  REQUIRE(wait.wake.has_value());
  CHECK(*wait.wake == SimTime::Minutes(60));
  CHECK(Decide(*p, Landed({0, 10}), 60).take == 2);
  auto never = Batching("{kind: fixed_n, n: 3, max_wait: 0s}");
  CHECK(Decide(*never, Landed({0, 10}), 600).take == 0);
  CHECK_FALSE(Decide(*never, Landed({0, 10}), 600).wake.has_value());
}

TEST_CASE("single takes one commit, whole_backlog takes all", "[batching]") {
  CHECK(Decide(*Batching("{kind: single}"), Landed({0, 1, 2}), 5).take == 1);
  CHECK(Decide(*Batching("{kind: whole_backlog}"), Landed({0, 1, 2}), 5).take == 3);
}

TEST_CASE("scheduled trains leave at at + k x period with every commit ready at departure",
          "[batching]") {
  auto p = Batching("{kind: scheduled, period: 1d, at: 10h}");
  // Before the first departure: wait until 10h.
  BatchDecision d = Decide(*p, Landed({60}), 9 * 60);
  CHECK(d.take == 0);
  CHECK(*d.wake == SimTime::Hours(10));
  // At 11h (train of 10h not yet run): the commits ready by 10h go; the next train is at 34h.
  d = Decide(*p, Landed({60, 500, 700}), 11 * 60);
  CHECK(d.take == 2);
  CHECK(*d.wake == SimTime::Hours(34));
  // The 10h train already ran: wait for the next one.
  d = Decide(*p, Landed({700}), 12 * 60, SimTime::Hours(10));
  CHECK(d.take == 0);
  CHECK(*d.wake == SimTime::Hours(34));
}

TEST_CASE("every batching kind conforms to the interface", "[batching][conformance]") {
  const std::vector<KindDoc> docs = BatchingKinds().Docs();
  REQUIRE_FALSE(docs.empty());  // which kinds: kind_registry_test (every registration is listed)
  for (const KindDoc& doc : docs) {
    INFO(doc.kind << ": " << doc.example);
    auto p = Batching(doc.example);
    CHECK(p->Kind() == doc.kind);
    for (size_t n : {size_t{1}, size_t{5}}) {
      std::vector<QueuedCommit> q;
      for (size_t i = 0; i < n; ++i)
        q.push_back(
            QueuedCommit{static_cast<int64_t>(i), SimTime::Hours(30), SimTime::Hours(30), 0.5});
      for (int64_t now : {30 * 60, 40 * 60, 200 * 60}) {
        const BatchDecision d = Decide(*p, q, now);
        CHECK(d.take >= 0);
        CHECK(d.take <= static_cast<int64_t>(n));
        if (d.wake) CHECK(*d.wake > SimTime::Minutes(now));
      }
    }
  }
}

TEST_CASE("batching YAML errors are located and say what was expected", "[batching][yaml]") {
  CHECK_THAT(BatchingError("{kind: backlog_goal, gaol: 30m}"),
             Catch::Contains("policy.yaml:1:") && Catch::Contains("gaol"));
  CHECK_THAT(BatchingError("{kind: fifo}"),
             Catch::Contains("backlog_goal") && Catch::Contains("fifo"));
  CHECK_THAT(BatchingError("{kind: single, on_failure: guess}"),
             Catch::Contains("bisect, revert or risk"));
  CHECK_THAT(BatchingError("{kind: fixed_n}"), Catch::Contains("n"));
  auto p = Batching(
      "{kind: single, pipelining: true, on_failure: risk, on_test_failure: retry, max_retries: 4}");
  CHECK(p->options().pipelining);
  CHECK(p->options().culprit_search == CulpritSearch::kRisk);
  CHECK(p->options().on_test_failure == TestFailureAction::kRetry);
  CHECK(p->options().max_retries == 4);
}

}  // namespace
}  // namespace fleetsim
