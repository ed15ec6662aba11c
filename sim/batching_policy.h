// BatchingPolicy: how commits that passed CI are grouped into releases, and what the pipeline
// does when CI or a release fails.
//
// The engine's commit pipeline (commit_pipeline.h) keeps the queue of commits ready to ship
// (oldest first) and asks Decide() whenever it could start a release: after a commit becomes
// ready, a release finishes (or passes its canary, with pipelining), a block ends, or at a
// wake-up time the policy asked for. Decide() returns how many commits to take from the head
// of the queue (0 = wait) and optionally when to be asked again. A release is one change
// (DESIGN §5): bad if any of its commits is bad.
//
// PipelineOptions are the knobs every kind shares (parsed by policies/batching/): pipelining,
// what a failing CI run does, and how the culprit of a failed release is found. Kinds live in
// policies/batching/ and must be immutable after construction: one instance is shared by all
// replicas and threads, so all per-run state is in BatchingContext.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sim/sim_time.h"

namespace fleetsim {

struct QueuedCommit {
  int64_t id = 0;
  SimTime landed;  // when it landed (lead time and Instagram's goal count from here)
  SimTime ready;   // when CI passed and it joined the queue
  double risk = 0.5;
};

struct BatchingContext {
  SimTime now;
  std::span<const QueuedCommit> queue;        // oldest first; never empty when Decide() is called
  std::optional<SimTime> last_release_start;  // start of the previous release, if any
};

struct BatchDecision {
  int64_t take = 0;             // commits to release now from the queue head (0 = wait)
  std::optional<SimTime> wake;  // ask again at this time even if nothing else happens
};

// What a failing CI run does to its commit.
enum class TestFailureAction : uint8_t {
  kRevert,  // the commit is reverted at once (a flaky good commit is lost too)
  kRetry,   // re-run the tests (up to max_retries more runs), then revert
  kBlock,   // nothing ships until a person has looked (humans.response_time), then revert a bad
            // commit or let a flaky one through
};

// How the culprit of a failed (rolled back) release is found; the pipeline is blocked meanwhile.
enum class CulpritSearch : uint8_t {
  kBisect,  // binary search, each step a canary of half the suspects (bisect_step each)
  kRevert,  // a person finds the culprit (humans.response_time) and reverts it
  kRisk,    // revert the release's highest-risk commit (revert_time); no canary
};

struct PipelineOptions {
  bool pipelining = false;  // the next release may start once the previous passed its canary
  TestFailureAction on_test_failure = TestFailureAction::kRevert;
  int max_retries = 2;
  CulpritSearch culprit_search = CulpritSearch::kBisect;
  SimTime bisect_step = SimTime::Minutes(15);  // one bisection canary
  SimTime revert_time = SimTime::Minutes(10);  // kRisk: time to revert
};

class BatchingPolicy {
 public:
  explicit BatchingPolicy(PipelineOptions options) : options_(options) {}
  virtual ~BatchingPolicy() = default;
  virtual std::string_view Kind() const = 0;
  virtual BatchDecision Decide(const BatchingContext& context) const = 0;
  const PipelineOptions& options() const { return options_; }

 private:
  PipelineOptions options_;
};

}  // namespace fleetsim
