// ExecutePlan on rank 0 (or alone): the coordinator. The worker side and the team collectives
// are in plan_worker.cc.
#include "analysis/plan_executor.h"

#include <chrono>

#include "analysis/executor_protocol.h"
#include "analysis/replica_codec.h"
#include "analysis/replica_pool.h"
#include "analysis/work_queue.h"

namespace fleetsim {

// Defined in plan_worker.cc.
Result<PlanResults> RunWorker(const RunPlan& plan, const ExecutionOptions& options);

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::microseconds(500);

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class Coordinator {
 public:
  Coordinator(const RunPlan& plan, const ExecutionOptions& options)
      : plan_(plan), o_(options), start_(Clock::now()) {}

  Result<PlanResults> Run();

 private:
  bool Expected(int64_t item) const {
    return item >= 0 && item < plan_.items() && item % o_.shard_count == o_.shard_index &&
           !out_.items[item].has_value();
  }
  Status StoreEncoded(int64_t item, std::string payload, int source);
  void Store(int64_t item, ReplicaResult result, std::string payload);
  Status Serve(Message message);
  Status ServeResults(ByteReader& in, int source);
  void Stop(int signal);

  const RunPlan& plan_;
  const ExecutionOptions& o_;
  const Clock::time_point start_;
  PlanResults out_;
  int64_t done_ = 0;
  int finals_missing_ = 0;
  std::optional<WorkQueue> queue_;
};

void Coordinator::Store(int64_t item, ReplicaResult result, std::string payload) {
  if (o_.checkpoint != nullptr) o_.checkpoint->Add(item, payload);
  if (o_.keep_payloads) out_.payloads[item] = std::move(payload);
  out_.items[item] = std::move(result);
  ++done_;
}

Status Coordinator::StoreEncoded(int64_t item, std::string payload, int source) {
  const std::string from = source == 0 ? "the checkpoint" : "rank " + std::to_string(source);
  if (!Expected(item)) {
    return Status::Error("unexpected result for item " + std::to_string(item) + " from " + from);
  }
  Result<ReplicaResult> r = DecodeReplica(payload);
  if (!r.ok())
    return Status::Error("item " + std::to_string(item) + " from " + from + ": " +
                         r.status().message());
  Store(item, std::move(r).value(), std::move(payload));
  return Status::Ok();
}

Status Coordinator::ServeResults(ByteReader& in, int source) {
  for (ResultRecord& r : protocol::ReadResults(in)) {
    out_.ranks[source].result_bytes += static_cast<int64_t>(r.payload.size());
    if (Status st = StoreEncoded(r.item, std::move(r.payload), source); !st.ok()) return st;
  }
  ++out_.ranks[source].messages;
  return in.ok() ? Status::Ok()
                 : Status::Error("damaged message from rank " + std::to_string(source));
}

Status Coordinator::Serve(Message m) {
  ByteReader in(m.bytes);
  if (m.source <= 0 || m.source >= static_cast<int>(out_.ranks.size())) {
    return Status::Error("message from unknown rank " + std::to_string(m.source));
  }
  if (m.tag == protocol::kRequest) {
    if (Status st = ServeResults(in, m.source); !st.ok()) return st;
    const std::vector<int64_t> chunk = queue_->Next(o_.rank_threads.at(m.source));
    if (!chunk.empty()) ++out_.ranks[m.source].chunks;
    o_.transport->Send(m.source, protocol::kChunk, protocol::EncodeItems(chunk));
    return Status::Ok();
  }
  if (m.tag == protocol::kFinal) {
    if (Status st = ServeResults(in, m.source); !st.ok()) return st;
    const RankStats reported = protocol::ReadStats(in);
    if (!in.ok()) return Status::Error("damaged message from rank " + std::to_string(m.source));
    RankStats& stats = out_.ranks[m.source];
    stats.threads = reported.threads;
    stats.replicas = reported.replicas;
    stats.busy_seconds = reported.busy_seconds;
    stats.wall_seconds = reported.wall_seconds;
    --finals_missing_;
    return Status::Ok();
  }
  return Status::Error("unexpected message (tag " + std::to_string(m.tag) + ") from rank " +
                       std::to_string(m.source));
}

void Coordinator::Stop(int signal) {
  if (o_.on_stop) o_.on_stop(signal);
  if (o_.checkpoint != nullptr) (void)o_.checkpoint->Flush();
}

Result<PlanResults> Coordinator::Run() {
  const int ranks = o_.transport != nullptr ? o_.transport->size() : 1;
  out_.items.resize(plan_.items());
  if (o_.keep_payloads) out_.payloads.resize(plan_.items());
  out_.ranks.resize(ranks);
  for (int r = 0; r < ranks; ++r) out_.ranks[r].rank = r;
  for (int64_t k = o_.shard_index; k < plan_.items(); k += o_.shard_count) ++out_.total;
  if (o_.checkpoint != nullptr) {
    for (ResultRecord& r : o_.checkpoint->TakeResumed()) {
      if (!Expected(r.item)) continue;  // another shard's item
      Result<ReplicaResult> decoded = DecodeReplica(r.payload);
      if (!decoded.ok())
        return Status::Error(o_.checkpoint->dir() + ": item " + std::to_string(r.item) + ": " +
                             decoded.status().message());
      if (o_.keep_payloads) out_.payloads[r.item] = std::move(r.payload);
      out_.items[r.item] = std::move(decoded).value();
      ++done_;
      ++out_.resumed;
    }
  }
  std::vector<int64_t> pending;
  for (int64_t k = o_.shard_index; k < plan_.items(); k += o_.shard_count) {
    if (!out_.items[k]) pending.push_back(k);
  }
  ReplicaPool pool(plan_, o_.threads, true, o_.checkpoint != nullptr || o_.keep_payloads);
  int total_threads = pool.threads();
  for (int r = 1; r < ranks; ++r) total_threads += o_.rank_threads.at(r);
  queue_.emplace(std::move(pending), total_threads);
  finals_missing_ = ranks - 1;
  out_.ranks[0].threads = pool.threads();
  int64_t reported = -1;
  while (done_ < out_.total || finals_missing_ > 0) {
    if (o_.stop_signal) {
      if (const int signal = o_.stop_signal(); signal != 0) {
        Stop(signal);
        return Status::Error("stopped by signal " + std::to_string(signal));
      }
    }
    while (o_.transport != nullptr) {
      std::optional<Message> m = o_.transport->Poll();
      if (!m) break;
      if (Status st = Serve(std::move(*m)); !st.ok()) return st;
    }
    if (pool.backlog() < static_cast<size_t>(pool.threads()) && queue_->remaining() > 0) {
      pool.Submit(queue_->Next(pool.threads()));
      ++out_.ranks[0].chunks;
    }
    for (ReplicaPool::Finished& f : pool.TakeFinished()) {
      Store(f.item, std::move(f.result), std::move(f.payload));
    }
    if (const std::string error = pool.error(); !error.empty()) return Status::Error(error);
    if (o_.checkpoint != nullptr && o_.checkpoint->FlushDue(o_.checkpoint_interval)) {
      if (Status st = o_.checkpoint->Flush(); !st.ok()) return st;
    }
    if (o_.progress && done_ != reported) {
      o_.progress(done_, out_.total);
      reported = done_;
    }
    if (done_ < out_.total || finals_missing_ > 0) pool.WaitFor(kPollInterval);
  }
  if (o_.checkpoint != nullptr) {
    if (Status st = o_.checkpoint->Flush(); !st.ok()) return st;
  }
  out_.ranks[0].replicas = pool.replicas_run();
  out_.ranks[0].busy_seconds = pool.busy_seconds();
  out_.ranks[0].wall_seconds = SecondsSince(start_);
  out_.wall_seconds = SecondsSince(start_);
  return std::move(out_);
}

}  // namespace

std::vector<std::vector<ReplicaResult>> PlanResults::TakeRuns(const RunPlan& plan) {
  std::vector<std::vector<ReplicaResult>> runs(plan.runs().size());
  for (size_t j = 0; j < runs.size(); ++j) {
    runs[j].reserve(plan.runs()[j].replicas);
    for (int r = 0; r < plan.runs()[j].replicas; ++r) {
      std::optional<ReplicaResult>& item = items[plan.ItemOf(static_cast<uint32_t>(j), r)];
      runs[j].push_back(std::move(item).value());
    }
  }
  items.clear();
  return runs;
}

Result<PlanResults> ExecutePlan(const RunPlan& plan, const ExecutionOptions& options) {
  if (options.transport != nullptr && options.transport->rank() != 0) {
    return RunWorker(plan, options);
  }
  return Coordinator(plan, options).Run();
}

}  // namespace fleetsim
