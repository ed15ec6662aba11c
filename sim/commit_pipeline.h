// CommitPipeline: the path from landed commits to releases, for one replica.
//
// Commits land (commit_stream.h) and run CI; those that pass join a FIFO queue; the batching
// policy (batching_policy.h) decides when to cut a release of how many commits from the queue
// head; the engine rolls each release out as one change under the rollout policy and reports
// back (canary passed, 100% reached, completed, rolled back). A rolled-back release blocks the
// pipeline while its culprit is searched (culprit_search.h); the culprit is reverted and the
// other commits go back to the head of the queue. Releases start one at a time, or with
// pipelining as soon as every release in flight has passed its canary.
//
// The pipeline never touches the fleet or the event queue: each call fills an Outbox with the
// wake-ups to schedule (opaque tokens handed back to OnWake) and the releases to start, and
// the Simulation applies them. Owned by one Simulation; not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "sim/batching_policy.h"
#include "sim/commit_flow.h"
#include "sim/commit_stream.h"
#include "sim/fault.h"
#include "sim/human_model.h"
#include "sim/risk_policy.h"
#include "sim/signal_sampler.h"

namespace fleetsim {

class CommitPipeline {
 public:
  struct Outbox {
    struct Wake {
      SimTime at;
      uint64_t token;
    };
    std::vector<Wake> wakes;
    std::vector<int64_t> releases;  // release indices to start now, in order
  };
  // What a release carries: bad if any commit is bad. `fault` is the bad commit whose fault
  // manifests first (smallest onset delay; -1 if none); `effect` composes every bad commit's
  // fault (error probabilities combine as independent failures, latency factors multiply).
  struct ReleaseTruth {
    int fault = -1;
    FaultEffect effect;
    double risk = 0;  // the highest risk score of its commits
  };

  // `policy`, `risk` (may be null: no routing) and `catalog` are borrowed and must outlive the
  // pipeline. A commit the risk policy sends alone ships in a release of its own.
  CommitPipeline(const CommitStreamSpec& spec, const BatchingPolicy& policy, const RiskPolicy* risk,
                 const FaultCatalog& catalog, const HumanSpec& humans, std::vector<Commit> commits,
                 uint64_t seed, uint32_t replica);

  void Start(Outbox& out);  // every commit's first CI run
  void OnWake(SimTime now, uint64_t token, Outbox& out);
  void OnCanaryPassed(SimTime now, int64_t release, Outbox& out);
  void OnFullyDeployed(SimTime now, int64_t release);
  void OnCompleted(SimTime now, int64_t release, Outbox& out);
  void OnFailed(SimTime now, int64_t release, Outbox& out);  // its rollback started

  int64_t release_count() const { return static_cast<int64_t>(releases_.size()); }
  int64_t commit_count() const {
    return static_cast<int64_t>(commits_.size());
  }  // releases never outnumber them
  const std::vector<int64_t>& release_commits(int64_t release) const {
    return releases_[release].commits;
  }
  ReleaseTruth Truth(int64_t release) const;
  bool Alone(double risk) const { return risk_ != nullptr && risk_->ReleaseAlone(risk); }

  CommitFlowResult Finish(SimTime end);

 private:
  enum class ReleaseState : uint8_t { kCanary, kRolling, kDone, kFailed };
  struct Release {
    std::vector<int64_t> commits;
    ReleaseState state = ReleaseState::kCanary;
    bool reached_full = false;
  };
  void Enqueue(SimTime now, int64_t commit, bool at_front);
  void SetQueueTime(SimTime now);
  void Block(SimTime now, SimTime length, uint64_t token, Outbox& out);
  void TryRelease(SimTime now, Outbox& out);
  SimTime ResponseTime(const StreamKey& key) const;

  const CommitStreamSpec& spec_;
  const BatchingPolicy& policy_;
  const RiskPolicy* risk_;
  const FaultCatalog& catalog_;
  HumanSpec humans_;  // response times of the people who review CI failures and find culprits
  uint64_t seed_;
  uint32_t replica_;
  std::vector<Commit> commits_;
  std::vector<CommitRecord> records_;
  std::deque<QueuedCommit> queue_;
  std::vector<QueuedCommit> scratch_queue_;
  std::vector<SimTime> ready_at_;  // per commit: when CI passed
  std::vector<Release> releases_;
  std::optional<SimTime> last_release_start_;
  std::optional<SimTime> policy_wake_;  // the latest wake-up the policy asked for
  SimTime blocked_until_;
  SimTime blocked_total_;
  SimTime queue_since_;
  double queue_integral_ms_ = 0;
  int64_t backlog_max_ = 0;
  int64_t releases_deployed_ = 0;
  int64_t releases_failed_ = 0;
  int64_t bisection_steps_ = 0;
  int64_t bad_reached_full_ = 0;
};

}  // namespace fleetsim
