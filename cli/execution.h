// Execute: how every replica-running command (run, compare, sweep, check) gets its results,
// the same way in each: from the MPI ranks it was launched with, from this process alone, from
// a checkpoint it resumes, as one shard of a batch job, or from the part files `fleetsim merge`
// was given. The command loads its inputs and builds a RunPlan; Execute does the rest up to the
// per-run results, which only the reporting process receives:
//
//   - every rank agrees to start (JoinTeam) or all exit 2 with one message from rank 0;
//   - rank 0 opens the checkpoint (refusing another run's), runs the plan (plan_executor.h)
//     with a progress line on a terminal, prints per-rank statistics with --verbose;
//   - a shard writes its part file and reports nothing; merge assembles and checks the parts.
//
// A stop signal (Ctrl-C, or mpirun ending the job because a rank died) ends the process with
// 128 + signal after a message on rank 0 and the checkpoint flushed; nothing else is written.
// Called from the main thread only.
#pragma once

#include <string>
#include <vector>

#include "analysis/run_plan.h"
#include "cli/commands.h"

namespace fleetsim::cli {

struct Execution {
  int exit_code = 0;    // when !report: the command's exit code (an error was printed if != 0)
  bool report = false;  // this process reports: `runs` holds [run][replica]
  std::vector<std::vector<ReplicaResult>> runs;
};

// `loaded`: whether the command's inputs loaded (and its outputs can be written); when not,
// `plan` is ignored and the message is printed (once, by rank 0), exit code 2.
Execution Execute(const Launch& launch, const Status& loaded, const RunPlan& plan,
                  const Invocation& invocation, const DistributionArgs& dist, int threads,
                  bool quiet);

// N of a valid `--shard I/N`, else 1 (for estimates made before Execute checks the option).
int ShardCount(const DistributionArgs& dist);

// Whether the options name an output a report would write (refused with --shard).
Status CheckShardOutputs(const DistributionArgs& dist, const std::vector<std::string>& outputs);

}  // namespace fleetsim::cli
