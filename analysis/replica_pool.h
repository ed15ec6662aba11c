// ReplicaPool: this rank's threads running the items it was handed (plan_executor.h).
//
// The coordinating thread Submits items and collects what finished; each item becomes a task
// enqueued on a TBB arena of `threads` worker threads (none reserved for the coordinating
// thread, which never joins it), which takes the oldest submitted item, runs the whole replica,
// optionally encodes it (replica_codec.h, in parallel, for results that leave the rank) and
// hands it back. Because idle threads wait inside the arena rather than on a lock, a replica's
// own parallel sweep (sim/cell_ranges.h) is helped by them: one replica on T threads uses T
// cores, many replicas keep each thread on its own. Keeping a small backlog submitted ahead
// means no thread waits on the network between replicas. Results come back in completion
// order, tagged with their item; the caller stores them by item, so order does not matter.
//
// Thread safety: Submit, TakeFinished, WaitFor and the counters are for the one coordinating
// thread (they lock internally against the pool's threads). The destructor closes the pool
// (items not yet started are dropped) and waits for running replicas. A replica that throws
// makes error() non-empty; the pool keeps running the others. The pool holds a
// tbb::global_control raising TBB's thread limit to `threads` workers while it lives (for
// --threads above the core count); one pool per process at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <tbb/global_control.h>
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
  void RunOldest();  // one enqueued task

  const RunPlan& plan_;
  const int threads_;
  const bool keep_results_, encode_;
  tbb::global_control thread_limit_;
  tbb::task_arena arena_;

  mutable std::mutex mutex_;
  std::condition_variable finished_ready_, tasks_done_;
  std::deque<int64_t> backlog_;
  std::vector<Finished> finished_;
  int running_ = 0;
  int64_t tasks_ = 0;  // enqueued and not yet returned
  bool closed_ = false;
  int64_t replicas_run_ = 0;
  double busy_seconds_ = 0;
  std::string error_;
};

}  // namespace fleetsim
