// ExecutePlan on ranks other than 0 (RunWorker), and the collectives that start and end a run
// over a transport (JoinTeam, FinishTeam). The coordinator is in plan_executor.cc.
#include <csignal>
#include <thread>

#include "analysis/executor_protocol.h"
#include "analysis/plan_executor.h"
#include "analysis/replica_pool.h"

namespace fleetsim {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::microseconds(500);
constexpr auto kIdleSleep = std::chrono::milliseconds(1);

void CheckStop(const std::function<int()>& stop_signal, const std::function<void(int)>& on_stop) {
  if (!stop_signal) return;
  if (const int signal = stop_signal(); signal != 0 && on_stop) on_stop(signal);
}

// Waits for the next message carrying `tag`; other tags are a protocol error (nullopt).
std::optional<Message> Await(Transport& t, int tag, const std::function<int()>& stop_signal,
                             const std::function<void(int)>& on_stop) {
  for (;;) {
    CheckStop(stop_signal, on_stop);
    if (std::optional<Message> m = t.Poll()) {
      if (m->tag != tag) return std::nullopt;
      return m;
    }
    std::this_thread::sleep_for(kIdleSleep);
  }
}

}  // namespace

Result<PlanResults> RunWorker(const RunPlan& plan, const ExecutionOptions& o) {
  const Clock::time_point start = Clock::now();
  Transport& t = *o.transport;
  ReplicaPool pool(plan, o.threads, false, true);
  std::vector<ResultRecord> outbox;
  bool waiting = false, no_more = false;
  int64_t first_chunk = -1;  // size of the first chunk, once it came
  for (;;) {
    CheckStop(o.stop_signal, o.on_stop);
    for (ReplicaPool::Finished& f : pool.TakeFinished()) {
      outbox.push_back(ResultRecord{f.item, std::move(f.payload)});
    }
    if (const std::string error = pool.error(); !error.empty()) return Status::Error(error);
    if (o.die_after_first_chunk && ((first_chunk >= 0 && pool.replicas_run() >= first_chunk) ||
                                    (no_more && first_chunk < 0))) {
      std::raise(SIGKILL);  // the killed-rank test: its results never reach rank 0
    }
    if (!waiting && !no_more && pool.backlog() < static_cast<size_t>(pool.threads())) {
      ByteWriter request;
      protocol::WriteResults(outbox, request);
      outbox.clear();
      t.Send(0, protocol::kRequest, request.data());
      waiting = true;
    }
    while (std::optional<Message> m = t.Poll()) {
      if (m->tag != protocol::kChunk) {
        return Status::Error("unexpected message (tag " + std::to_string(m->tag) + ") from rank " +
                             std::to_string(m->source));
      }
      ByteReader in(m->bytes);
      const std::vector<int64_t> items = protocol::DecodeItems(in, plan.items());
      if (!in.ok()) return Status::Error("damaged chunk from rank 0");
      waiting = false;
      if (items.empty()) {
        no_more = true;
      } else {
        if (first_chunk < 0) first_chunk = static_cast<int64_t>(items.size());
        pool.Submit(items);
      }
    }
    if (no_more && pool.idle()) break;
    pool.WaitFor(kPollInterval);
  }
  RankStats stats;
  stats.threads = pool.threads();
  stats.replicas = pool.replicas_run();
  stats.busy_seconds = pool.busy_seconds();
  stats.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ByteWriter final_message;
  protocol::WriteResults(outbox, final_message);
  protocol::WriteStats(stats, final_message);
  t.Send(0, protocol::kFinal, final_message.data());
  PlanResults out;
  out.root = false;
  return out;
}

TeamStart JoinTeam(Transport& t, const Status& loaded, uint64_t digest, int threads,
                   const std::function<int()>& stop_signal,
                   const std::function<void(int)>& on_stop) {
  TeamStart start;
  if (t.rank() != 0) {
    ByteWriter hello;
    hello.U8(loaded.ok() ? 1 : 0);
    hello.Fixed64(digest);
    hello.Varint(static_cast<uint64_t>(threads));
    hello.Bytes(loaded.message());
    t.Send(0, protocol::kHello, hello.data());
    std::optional<Message> m = Await(t, protocol::kStart, stop_signal, on_stop);
    ByteReader in(m ? std::string_view(m->bytes) : std::string_view());
    start.exit_code = static_cast<int>(in.Bounded(255));
    if (!m || !in.ok()) start.exit_code = 1;
    return start;
  }
  start.rank_threads.assign(t.size(), threads);
  std::string failures, mismatches;
  for (int received = 1; received < t.size(); ++received) {
    std::optional<Message> m = Await(t, protocol::kHello, stop_signal, on_stop);
    if (!m) {
      failures += "\n  a rank sent an unexpected message while starting";
      continue;
    }
    ByteReader in(m->bytes);
    const bool ok = in.U8() == 1;
    const uint64_t their_digest = in.Fixed64();
    const int their_threads = static_cast<int>(in.Bounded(1 << 20));
    const std::string message(in.Bytes());
    const std::string rank = "rank " + std::to_string(m->source);
    if (!in.ok()) {
      failures += "\n  " + rank + ": damaged start message";
    } else if (!ok) {
      failures += "\n  " + rank + ": " + message;
    } else if (their_digest != digest) {
      mismatches += (mismatches.empty() ? "" : ", ") + rank;
    }
    if (m->source > 0 && m->source < t.size()) start.rank_threads[m->source] = their_threads;
  }
  if (!loaded.ok()) {
    start.exit_code = 2;
    start.message = loaded.message();
  } else if (!failures.empty()) {
    start.exit_code = 2;
    start.message = "not every rank could load the run; nothing ran:" + failures;
  } else if (!mismatches.empty()) {
    start.exit_code = 2;
    start.message = mismatches +
                    " loaded other runs than rank 0 (other scenario or policy files, or another "
                    "fleetsim executable, on their nodes); every rank must see the same files";
  }
  ByteWriter go;
  go.Varint(static_cast<uint64_t>(start.exit_code));
  for (int r = 1; r < t.size(); ++r) t.Send(r, protocol::kStart, go.data());
  return start;
}

int FinishTeam(Transport& t, int exit_code, const std::function<int()>& stop_signal,
               const std::function<void(int)>& on_stop) {
  if (t.rank() == 0) {
    ByteWriter bye;
    bye.Varint(static_cast<uint64_t>(exit_code));
    for (int r = 1; r < t.size(); ++r) t.Send(r, protocol::kBye, bye.data());
    return exit_code;
  }
  std::optional<Message> m = Await(t, protocol::kBye, stop_signal, on_stop);
  if (!m) return 1;
  ByteReader in(m->bytes);
  const int code = static_cast<int>(in.Bounded(255));
  return in.ok() ? code : 1;
}

}  // namespace fleetsim
