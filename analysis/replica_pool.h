// ReplicaPool: this rank's threads running the items it was handed (plan_executor.h).
//
// The coordinating thread Submits items and collects what finished; `threads` TBB threads
// (a task_arena of that size, entered by one driver thread) each take the oldest submitted item,
// run the whole replica, optionally encode it (replica_codec.h, in parallel, for results that
// leave the rank) and hand it back. Keeping a small backlog submitted ahead means no thread
// waits on the network between replicas. Results come back in completion order, tagged with
// their item; the caller stores them by item, so order does not matter.
//
// Thread safety: Submit, TakeFinished, WaitFor and the counters are for the one coordinating
// thread (they lock internally against the pool's threads). The destructor closes the pool and
// waits for running replicas. A replica that throws makes error() non-empty; the pool keeps
// running the others.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <tbb/task_arena.h>

#include "analysis/run_plan.h"

namespace fleetsim {

class ReplicaPool {
 public:
  struct Finished {
    int64_t item = 0;
    ReplicaResult result;  // when keep_results
    std::string payload;   // EncodeReplica bytes, when encode
  };

  // `threads` 0 = every hardware thread TBB sees (this process's CPU affinity).
  ReplicaPool(const RunPlan& plan, int threads, bool keep_results, bool encode);
  ~ReplicaPool();
  ReplicaPool(const ReplicaPool&) = delete;
  ReplicaPool& operator=(const ReplicaPool&) = delete;

  void Submit(const std::vector<int64_t>& items);
  std::vector<Finished> TakeFinished();
  // Returns when a replica finished (or one is waiting to be taken), or after `timeout`.
  void WaitFor(std::chrono::microseconds timeout);

  int threads() const { return threads_; }
  size_t backlog() const;  // submitted, not started
  bool idle() const;       // nothing submitted is unfinished or untaken
  int64_t replicas_run() const;
  double busy_seconds() const;  // summed over threads
  std::string error() const;    // first exception of a replica, or empty

 private:
  void Consume();

  const RunPlan& plan_;
  const int threads_;
  const bool keep_results_, encode_;
  tbb::task_arena arena_;

  mutable std::mutex mutex_;
  std::condition_variable work_ready_, finished_ready_;
  std::deque<int64_t> backlog_;
  std::vector<Finished> finished_;
  int running_ = 0;
  bool closed_ = false;
  int64_t replicas_run_ = 0;
  double busy_seconds_ = 0;
  std::string error_;

  std::thread driver_;  // last: starts after every member above exists
};

}  // namespace fleetsim
