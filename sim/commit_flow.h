// CommitFlowResult: what happened to the commits of one replica (the commit pipeline's record).
//
// Emitted once per replica at the end of the run (SimObserver::OnCommitFlowEnded) by the commit
// pipeline (commit_pipeline.h) and summarised across replicas by analysis/. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/sim_time.h"

namespace fleetsim {

enum class CommitFate : uint8_t {
  kPending,            // still in CI or in the queue when the run ended
  kInRelease,          // in a release that had not reached 100% when the run ended
  kDeployed,           // its release reached 100% and stayed
  kRevertedByTests,    // a failing CI run reverted it (a flaky good commit too)
  kRevertedAsCulprit,  // reverted as the culprit of a failed release
};

const char* CommitFateName(CommitFate f);

struct CommitRecord {
  int64_t id = 0;
  SimTime landed;
  bool bad = false;
  double risk = 0.5;
  CommitFate fate = CommitFate::kPending;
  int64_t release = -1;                // last release it was in (-1: none)
  std::optional<SimTime> deployed_at;  // its release reached 100% (and was not rolled back)
  bool reached_full = false;           // was on 100% of the fleet at some point
  std::optional<SimTime> lead_time() const {
    if (!deployed_at) return std::nullopt;
    return *deployed_at - landed;
  }
};

struct CommitFlowResult {
  SimTime duration;                    // the run's length
  std::vector<CommitRecord> commits;   // by commit id
  std::vector<int64_t> release_sizes;  // commits per release, by release index
  int64_t releases_deployed = 0;       // releases that reached 100%
  int64_t releases_failed = 0;         // releases rolled back
  double backlog_time_average = 0;     // commits waiting in the queue, averaged over the run
  int64_t backlog_max = 0;
  SimTime blocked;              // time no release could start (culprit search, CI blocks)
  int64_t bisection_steps = 0;  // canaries spent bisecting
  int64_t bad_commits_reached_full = 0;
};

}  // namespace fleetsim
