#include "cli/execution.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "analysis/atomic_file.h"
#include "analysis/execution_stats.h"
#include "analysis/mpi_session.h"
#include "analysis/plan_executor.h"
#include "analysis/shard_merge.h"
#include "cli/interrupt.h"
#include "sim/sim_time.h"

namespace fleetsim::cli {
namespace {

struct Shard {
  int index = 0;
  int count = 1;
  bool on = false;
  std::string part_path;
};

Status ParseShard(const DistributionArgs& dist, Shard& shard) {
  if (dist.shard.empty()) {
    if (!dist.part_path.empty()) return Status::Error("--part FILE goes with --shard I/N");
    return Status::Ok();
  }
  const size_t slash = dist.shard.find('/');
  const std::string i = dist.shard.substr(0, slash);
  const std::string n = slash == std::string::npos ? "" : dist.shard.substr(slash + 1);
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() < 8 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!digits(i) || !digits(n) || std::stoi(n) < 1 || std::stoi(i) >= std::stoi(n)) {
    return Status::Error("--shard '" + dist.shard +
                         "': expected I/N with 0 <= I < N (e.g. --shard 0/8 ... --shard 7/8; a "
                         "Slurm array task passes $SLURM_ARRAY_TASK_ID/N)");
  }
  shard.on = true;
  shard.index = std::stoi(i);
  shard.count = std::stoi(n);
  shard.part_path =
      dist.part_path.empty() ? "fleetsim-" + i + "-of-" + n + ".part" : dist.part_path;
  return CheckWritable(shard.part_path);
}

// `--checkpoint-every D` (with --checkpoint): how often finished replicas are flushed.
Status ParseCheckpointEvery(const DistributionArgs& dist, std::chrono::milliseconds& interval) {
  interval = std::chrono::seconds(2);
  if (dist.checkpoint_every.empty()) return Status::Ok();
  if (dist.checkpoint_dir.empty())
    return Status::Error("--checkpoint-every goes with --checkpoint DIR");
  Result<SimTime> every = ParseDuration(dist.checkpoint_every);
  if (!every.ok()) {
    return Status::Error("--checkpoint-every '" + dist.checkpoint_every +
                         "': " + every.status().message() + " (e.g. 2s, 500ms, 0s)");
  }
  interval = std::chrono::milliseconds(every.value().millis());
  return Status::Ok();
}

// The one-line progress bar on a terminal (stderr), and the counts for a stop message.
struct Progress {
  std::string label;
  bool draw = false;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  int64_t done = 0, total = 0, first = -1;

  void Update(int64_t now_done, int64_t all) {
    done = now_done;
    total = all;
    if (first < 0) first = now_done;  // resumed items do not count for the ETA
    if (!draw) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int64_t ran = done - first;
    const double eta = ran > 0 ? elapsed * static_cast<double>(all - done) / ran : 0;
    const int width = 30, filled = all > 0 ? static_cast<int>(width * done / all) : width;
    std::fprintf(stderr, "\r%s [%.*s%*s] %lld/%lld replicas  ETA %.0fs ", label.c_str(), filled,
                 "##############################", width - filled, "", static_cast<long long>(done),
                 static_cast<long long>(all), eta);
    if (done == all) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
};

Execution Failed(int code, const std::string& message, bool print) {
  if (print && !message.empty()) std::cerr << "fleetsim: " << message << "\n";
  Execution e;
  e.exit_code = code;
  return e;
}

std::string CommandOf(const Invocation& invocation) {
  for (const auto& [key, value] : invocation) {
    if (key == "command") return value;
  }
  return "run";
}

Execution FromParts(const Launch& launch, const Status& loaded, const RunPlan& plan) {
  if (!loaded.ok()) return Failed(2, loaded.message(), true);
  Result<PlanResults> r = AssembleShards(*launch.merged, plan, IdentifyPlan(plan));
  if (!r.ok()) return Failed(2, r.status().message(), true);
  Execution e;
  e.report = true;
  e.runs = r.value().TakeRuns(plan);
  return e;
}

Status WriteShard(const Shard& shard, const RunIdentity& identity, const Invocation& invocation,
                  PlanResults& results, bool quiet) {
  ResultPart part;
  part.kind = PartKind::kShard;
  part.shard_index = shard.index;
  part.shard_count = shard.count;
  part.identity = identity;
  part.invocation = invocation;
  for (int64_t k = shard.index; k < static_cast<int64_t>(results.payloads.size());
       k += shard.count) {
    part.records.push_back(ResultRecord{k, std::move(results.payloads[k])});
  }
  if (Status st = WritePartFile(shard.part_path, part); !st.ok()) return st;
  if (!quiet) {
    std::cout << "shard " << shard.index << "/" << shard.count << ": " << part.records.size()
              << " replicas -> " << shard.part_path << " (combine the " << shard.count
              << " parts with fleetsim merge)\n";
  }
  return Status::Ok();
}

// Ends the process after a stop signal (Ctrl-C, or mpirun ending the job): rank 0 says how far
// the run got and what is kept, then flushes the checkpoint (in this order: mpirun sends
// SIGKILL a second after SIGTERM, and the message must not wait on the disk); every rank exits
// 128 + signal.
[[noreturn]] void StopNow(int signal, const Progress& progress, Checkpoint* checkpoint, bool root,
                          bool team) {
  if (root) {
    std::string m = std::string(progress.draw ? "\r\033[K" : "\n") + "fleetsim: interrupted by " +
                    InterruptSignalName() + ": " + std::to_string(progress.done) + " of " +
                    std::to_string(progress.total) + " replicas finished; nothing written";
    if (checkpoint != nullptr) {
      m += "; the finished replicas are kept in " + checkpoint->dir() +
           ": rerun the same command to resume";
    } else {
      m += " (with --checkpoint DIR a rerun resumes where it stopped)";
    }
    if (team) {
      m += "\nfleetsim: under mpirun this means the job was ended: a rank died or was killed "
           "(see mpirun's message), or the job was cancelled";
    }
    std::fprintf(stderr, "%s\n", m.c_str());
    std::fflush(stderr);
    if (checkpoint != nullptr) (void)checkpoint->Flush();
  }
  std::_Exit(128 + signal);
}

}  // namespace

int ShardCount(const DistributionArgs& dist) {
  Shard shard;
  return dist.shard.empty() || !ParseShard(dist, shard).ok() ? 1 : shard.count;
}

Status CheckShardOutputs(const DistributionArgs& dist, const std::vector<std::string>& outputs) {
  if (dist.shard.empty()) return Status::Ok();
  for (const std::string& o : outputs) {
    if (!o.empty()) {
      return Status::Error("--shard writes a part file, not reports ('" + o +
                           "'): give the report options to fleetsim merge");
    }
  }
  return Status::Ok();
}

Execution Execute(const Launch& launch, const Status& loaded_in, const RunPlan& plan,
                  const Invocation& invocation, const DistributionArgs& dist, int threads,
                  bool quiet) {
  if (launch.merged != nullptr) return FromParts(launch, loaded_in, plan);
  const bool team = launch.mpi != nullptr && launch.mpi->size() > 1;
  const bool root = !team || launch.mpi->rank() == 0;
  Status loaded = loaded_in;
  Shard shard;
  if (loaded.ok()) loaded = ParseShard(dist, shard);
  std::chrono::milliseconds checkpoint_interval{};
  if (loaded.ok()) loaded = ParseCheckpointEvery(dist, checkpoint_interval);
  RunIdentity identity;
  if (loaded.ok()) identity = IdentifyPlan(plan);
  std::unique_ptr<Checkpoint> checkpoint;
  if (loaded.ok() && root && !dist.checkpoint_dir.empty()) {
    Result<std::unique_ptr<Checkpoint>> c =
        Checkpoint::Open(dist.checkpoint_dir, identity, invocation, plan.items());
    if (c.ok()) {
      checkpoint = std::move(c).value();
      for (const std::string& w : checkpoint->warnings()) std::cerr << "fleetsim: " << w << "\n";
    } else {
      loaded = c.status();
    }
  }

  Progress progress;
  progress.label = CommandOf(invocation);
  progress.draw = root && !quiet && isatty(STDERR_FILENO);
  progress.total = plan.items();
  const std::function<int()> stop_signal = PendingInterrupt;
  const std::function<void(int)> on_stop = [&](int signal) {
    StopNow(signal, progress, root ? checkpoint.get() : nullptr, root, team);
  };

  ExecutionOptions options;
  if (team) {
    Transport& transport = launch.mpi->transport();
    const TeamStart start =
        JoinTeam(transport, loaded, identity.Digest(), threads, stop_signal, on_stop);
    if (start.exit_code != 0) return Failed(start.exit_code, start.message, root);
    options.transport = &transport;
    options.rank_threads = start.rank_threads;
  } else if (!loaded.ok()) {
    return Failed(2, loaded.message(), true);
  }
  options.threads = threads;
  options.shard_index = shard.index;
  options.shard_count = shard.count;
  options.checkpoint = checkpoint.get();
  options.checkpoint_interval = checkpoint_interval;
  options.keep_payloads = shard.on;
  options.progress = [&progress](int64_t done, int64_t total) { progress.Update(done, total); };
  options.stop_signal = stop_signal;
  options.on_stop = on_stop;
  options.die_after_first_chunk = launch.die_after_first_chunk;
  Result<PlanResults> results = ExecutePlan(plan, options);
  if (!results.ok()) {
    const std::string who = team ? "rank " + std::to_string(launch.mpi->rank()) + ": " : "";
    std::cerr << "fleetsim: " << who << results.status().message() << "; nothing was written\n";
    if (team) launch.mpi->Abort(1);
    return Failed(1, "", false);
  }
  if (!root) return Failed(0, "", false);
  if (dist.verbose) std::cerr << RenderExecutionStats(results.value());
  if (shard.on) {
    Status st = WriteShard(shard, identity, invocation, results.value(), quiet);
    return Failed(st.ok() ? 0 : 1, st.message(), true);
  }
  Execution e;
  e.report = true;
  e.runs = results.value().TakeRuns(plan);
  return e;
}

}  // namespace fleetsim::cli
