// ExecutePlan: runs the items of a RunPlan on this process's threads and, under MPI, on every
// rank; rank 0 gathers the results by item, so the reduction that follows sees exactly what one
// process would have computed (byte-identical reports for any rank and thread count).
//
// Distribution is dynamic: rank 0 hands out chunks of pending items on request (WorkQueue,
// guided sizes), and runs chunks of its own on its threads while a coordinating thread serves
// the other ranks, so ranks that draw cheap replicas simply ask again. Every rank keeps a
// backlog of at least one item per thread submitted ahead and asks for more before it runs out,
// so threads do not wait on messages. Results cross ranks encoded (replica_codec.h), batched
// with the next request.
//
// Protocol (tags in plan_executor.cc): after JoinTeam, a worker rank sends kRequest (its
// finished results, if any); rank 0 answers kChunk (items, or none: finish); after its last item
// the worker sends kFinal (results and its statistics). Rank 0 returns when every item of the
// run (or shard) is stored and every worker has sent kFinal.
//
// Faults: a replica that throws fails the run (Status). A rank that dies is noticed by the
// launcher (mpirun ends every rank; the signal reaches `stop_signal`), never by a partial
// reduction: rank 0 returns results only when it has all of them, and callers write outputs
// only after that. With a Checkpoint, rank 0 adds every result as it arrives and flushes every
// few seconds and when stopped, so a rerun resumes with what was finished.
//
// Thread safety: call from one thread per rank (the coordinating thread), once per plan.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/checkpoint.h"
#include "analysis/run_plan.h"
#include "analysis/transport.h"
#include "sim/status.h"

namespace fleetsim {

struct RankStats {
  int rank = 0;
  int threads = 0;
  int64_t replicas = 0;      // items it ran
  int64_t chunks = 0;        // chunks it was handed
  double busy_seconds = 0;   // summed over its threads
  double wall_seconds = 0;   // from start to its last result
  int64_t result_bytes = 0;  // encoded results it sent to rank 0 (0 for rank 0)
  int64_t messages = 0;      // result messages it sent to rank 0
};

struct ExecutionOptions {
  int threads = 0;  // of this rank; 0 = every hardware thread
  // `--shard I/N`: only items k with k % shard_count == shard_index.
  int shard_index = 0;
  int shard_count = 1;
  Checkpoint* checkpoint = nullptr;  // rank 0: resume from it and keep results in it
  std::chrono::milliseconds checkpoint_interval{2000};  // flush pending results this often
  bool keep_payloads = false;      // rank 0: also return each item's encoded bytes
  Transport* transport = nullptr;  // null: this process alone
  std::vector<int> rank_threads;   // rank 0 under a transport: threads per rank (JoinTeam)
  std::function<void(int64_t done, int64_t total)> progress;  // rank 0, coordinating thread
  // Polled by the coordinating thread; non-zero (a signal number) stops the run: `on_stop(signal)`
  // is called first (the CLI says what happened, flushes the checkpoint itself and ends the
  // process: mpirun follows its SIGTERM with SIGKILL after a second, so the message comes
  // before any disk work); if it returns, or is unset, rank 0 flushes the checkpoint and
  // ExecutePlan fails.
  std::function<int()> stop_signal;
  std::function<void(int)> on_stop;
  // Test hook (the killed-rank test): a worker rank kills itself with SIGKILL once it has
  // computed its first chunk, before sending it.
  bool die_after_first_chunk = false;
};

struct PlanResults {
  bool root = true;                                 // false on ranks other than 0: no results
  std::vector<std::optional<ReplicaResult>> items;  // by item; the run's (shard's) items only
  std::vector<std::string> payloads;                // keep_payloads: by item, else empty
  int64_t total = 0;                                // items of the run (shard)
  int64_t resumed = 0;                              // of which taken from the checkpoint
  std::vector<RankStats> ranks;
  double wall_seconds = 0;

  // Every item present: the results as [run][replica].
  std::vector<std::vector<ReplicaResult>> TakeRuns(const RunPlan& plan);
};

Result<PlanResults> ExecutePlan(const RunPlan& plan, const ExecutionOptions& options);

// The start of a run over a transport, a collective every rank calls once after loading its
// inputs: `loaded` is how loading went on this rank and `digest` its plan's RunIdentity digest.
// Every rank returns the same exit code: 0 when every rank loaded the same plan, else 2; then
// `message` is non-empty on rank 0 only (the one error to print: its own, or which ranks failed
// and why, or which loaded other inputs). `rank_threads`: threads per rank (rank 0).
struct TeamStart {
  int exit_code = 0;
  std::string message;
  std::vector<int> rank_threads;
};
TeamStart JoinTeam(Transport& transport, const Status& loaded, uint64_t digest, int threads,
                   const std::function<int()>& stop_signal,
                   const std::function<void(int)>& on_stop);

// The end of a run over a transport, a collective: rank 0 passes its exit code, every rank
// returns it (so all ranks exit alike and none leaves before rank 0 wrote its outputs).
int FinishTeam(Transport& transport, int exit_code, const std::function<int()>& stop_signal,
               const std::function<void(int)>& on_stop);

}  // namespace fleetsim
