// RunPlan: every replica a command runs, as one list of work items; RunIdentity: what makes
// the results of those items what they are.
//
// A command runs one or more (scenario, policy, seed, replicas) runs: one for `run`, one per
// policy for `compare`, one per grid point for `sweep`, one per baseline for `check`. Item k is
// replica r of run j, numbered run after run (k = replicas of runs 0..j-1, plus r). Every item
// is independent of every other (keyed random streams), so items may run in any order, on any
// thread, rank or machine (plan_executor.h) and still reduce to the same reports.
//
// The identity lists, per run, the scenario and policy (by name and a hash of their files'
// bytes), the seed and the replica count, and the fleetsim build that computes the results (its
// version and a hash of the executable). Part files and checkpoints record it, so results are
// only ever combined with results of the same runs by the same build (result_part.h).
//
// A plan borrows its scenarios and policies; they must outlive it. Plain values; thread-safe
// for concurrent reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/monte_carlo.h"

namespace fleetsim {

struct PlannedRun {
  std::string label;  // the policy name (run, compare), grid point (sweep) or baseline (check)
  const Scenario* scenario = nullptr;
  const Policy* policy = nullptr;
  uint64_t seed = 1;
  int replicas = 0;
};

class RunPlan {
 public:
  void Add(PlannedRun run);

  const std::vector<PlannedRun>& runs() const { return runs_; }
  int64_t items() const { return offsets_.empty() ? 0 : offsets_.back(); }

  struct Item {
    uint32_t run = 0;
    uint32_t replica = 0;
  };
  Item Locate(int64_t item) const;
  int64_t ItemOf(uint32_t run, uint32_t replica) const { return Offset(run) + replica; }
  int64_t Offset(uint32_t run) const { return run == 0 ? 0 : offsets_[run - 1]; }

  // Runs item `item` (thread-safe: a replica touches only its own state).
  ReplicaResult RunItem(int64_t item) const;

 private:
  std::vector<PlannedRun> runs_;
  std::vector<int64_t> offsets_;  // offsets_[j]: items of runs 0..j
};

struct RunIdentity {
  std::string build;              // "fleetsim 0.1.0, executable <hash>"
  std::vector<std::string> runs;  // one line per run

  uint64_t Digest() const;
  bool operator==(const RunIdentity&) const = default;
  // Empty when equal, else what differs, for an error message ("run 2: ... vs ...").
  std::string Difference(const RunIdentity& other) const;
};

// Reads the scenario and policy files of every run (hashing their bytes) and the running
// executable.
RunIdentity IdentifyPlan(const RunPlan& plan);

// "fleetsim VERSION, executable HASH" (HASH of /proc/self/exe; "unknown" if unreadable).
std::string BuildIdentity();

}  // namespace fleetsim
