// Checkpoint: finished replica results kept in a directory, so an interrupted run resumes.
//
// `--checkpoint DIR`: the process that reduces (rank 0) adds every finished item here; Flush
// writes the items added since the last flush as one new part file (result_part.h, kind
// checkpoint) named results-<pid>-<n>.part, atomically (rename), so a crash or kill at any
// moment leaves every earlier part whole. Parts are not fsynced: a flush must never stall the
// coordinator (an fsync on a busy disk can take seconds, longer than mpirun waits between
// SIGTERM and SIGKILL); a part a power cut damaged fails its checksum and is run again. A later run
// of the same command opens the directory, takes the items the parts hold and runs only the rest;
// since an item's result does not depend on where or when it ran, the final reports are
// byte-identical to an uninterrupted run.
//
// Open refuses a directory whose parts belong to other runs (another scenario, policy, seed,
// replica count, grid or fleetsim build: RunIdentity), naming the first difference. A part
// that cannot be read (damaged) is skipped with a warning and its items are run again.
// Temporary files of an interrupted write (*.tmp.*) are removed. One run at a time per
// directory. Not thread-safe: called from the coordinating thread only.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "analysis/result_part.h"
#include "analysis/run_plan.h"
#include "sim/status.h"

namespace fleetsim {

class Checkpoint {
 public:
  // Creates `dir` if needed. `items` is the plan's item count (records beyond it are refused).
  static Result<std::unique_ptr<Checkpoint>> Open(const std::string& dir,
                                                  const RunIdentity& identity,
                                                  const Invocation& invocation, int64_t items);

  // The records earlier runs left (unique items, ascending); moved out by TakeResumed.
  std::vector<ResultRecord> TakeResumed() { return std::move(resumed_); }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::string& dir() const { return dir_; }

  void Add(int64_t item, std::string payload);
  size_t pending() const { return pending_.size(); }
  // True when records are pending and the last flush is `interval` old (or more).
  bool FlushDue(std::chrono::steady_clock::duration interval) const;
  Status Flush();

 private:
  Checkpoint() = default;

  std::string dir_;
  RunIdentity identity_;
  Invocation invocation_;
  std::vector<ResultRecord> resumed_;
  std::vector<ResultRecord> pending_;
  std::vector<std::string> warnings_;
  int next_file_ = 0;
  std::chrono::steady_clock::time_point last_flush_ = std::chrono::steady_clock::now();
};

}  // namespace fleetsim
