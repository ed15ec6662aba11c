#include "analysis/replica_pool.h"

#include "analysis/replica_codec.h"

namespace fleetsim {
namespace {

int ThreadCount(int requested) {
  return requested > 0 ? requested : tbb::this_task_arena::max_concurrency();
}

}  // namespace

ReplicaPool::ReplicaPool(const RunPlan& plan, int threads, bool keep_results, bool encode)
    : plan_(plan),
      threads_(ThreadCount(threads)),
      keep_results_(keep_results),
      encode_(encode),
      // TBB keeps max_allowed_parallelism - 1 workers; the arena needs threads_ of them.
      thread_limit_(tbb::global_control::max_allowed_parallelism,
                    static_cast<size_t>(threads_) + 1),
      arena_(threads_, 0) {}

ReplicaPool::~ReplicaPool() {
  std::unique_lock<std::mutex> lock(mutex_);
  closed_ = true;
  tasks_done_.wait(lock, [this] { return tasks_ == 0; });
}

void ReplicaPool::RunOldest() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (closed_ || backlog_.empty()) {
    if (--tasks_ == 0) tasks_done_.notify_all();
    return;
  }
  Finished f;
  f.item = backlog_.front();
  backlog_.pop_front();
  ++running_;
  lock.unlock();
  const auto start = std::chrono::steady_clock::now();
  std::string error;
  try {
    ReplicaResult r = plan_.RunItem(f.item);
    if (encode_) f.payload = EncodeReplica(r);
    if (keep_results_) f.result = std::move(r);
  } catch (const std::exception& e) {
    error = "replica " + std::to_string(f.item) + " failed: " + e.what();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  lock.lock();
  --running_;
  ++replicas_run_;
  busy_seconds_ += seconds;
  if (!error.empty() && error_.empty()) error_ = error;
  if (error.empty()) finished_.push_back(std::move(f));
  finished_ready_.notify_all();
  if (--tasks_ == 0) tasks_done_.notify_all();
}

void ReplicaPool::Submit(const std::vector<int64_t>& items) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    backlog_.insert(backlog_.end(), items.begin(), items.end());
    tasks_ += static_cast<int64_t>(items.size());
  }
  for (size_t i = 0; i < items.size(); ++i) arena_.enqueue([this] { RunOldest(); });
}

std::vector<ReplicaPool::Finished> ReplicaPool::TakeFinished() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Finished> out = std::move(finished_);
  finished_.clear();
  return out;
}

void ReplicaPool::WaitFor(std::chrono::microseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  finished_ready_.wait_for(lock, timeout, [this] { return !finished_.empty(); });
}

size_t ReplicaPool::backlog() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return backlog_.size();
}

bool ReplicaPool::idle() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return backlog_.empty() && running_ == 0 && finished_.empty();
}

int64_t ReplicaPool::replicas_run() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return replicas_run_;
}

double ReplicaPool::busy_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_seconds_;
}

std::string ReplicaPool::error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

}  // namespace fleetsim
