// The fleetsim subcommands. main.cc parses arguments with CLI11 and calls these; each returns
// the process exit code: 0 success, 1 runtime failure, 2 bad input (nothing written).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/shard_merge.h"
#include "sim/status.h"

namespace fleetsim {
class MpiSession;
}

namespace fleetsim::import {
struct ImportOptions;
}

namespace fleetsim::cli {

// What a vendor spec cannot say about a simulation (import/import_context.h): given on
// `import`, and on every command that accepts a vendor spec as a policy.
struct ImportFlags {
  std::string metrics_file;                   // --metrics FILE
  std::vector<std::string> metric_maps;       // --metric NAME=QUANTITY[:UNIT]
  std::vector<std::string> ignore_metrics;    // --ignore-metric NAME
  std::vector<std::string> ignore_templates;  // --ignore-template NAME
  std::string match_share;                    // --match-share 5%
  std::vector<std::string> with;              // --with FILE (beside a --policy spec)
};

struct ImportArgs {
  std::vector<std::string> specs;
  std::string output;  // -o; empty: the policy on stdout, the table on stderr
  ImportFlags flags;
  bool quiet = false;
};

// Builds the options; a bad flag or metrics file is a failed Status (exit 2).
Status ToImportOptions(const ImportFlags& flags, import::ImportOptions* options);

// How a command's replicas are computed beyond this process (execution.h).
struct DistributionArgs {
  std::string checkpoint_dir;    // --checkpoint DIR: keep finished replicas; resume from them
  std::string checkpoint_every;  // --checkpoint-every D: flush finished replicas this often (2s)
  std::string shard;             // --shard I/N: run only shard I of N, write a part file
  std::string part_path;         // --part FILE (with --shard; default fleetsim-I-of-N.part)
  bool verbose = false;          // --verbose: per-rank replicas, busy time, message sizes
};

// Set by main() for the command it dispatches to.
struct Launch {
  MpiSession* mpi = nullptr;                       // launched by mpirun as one of several ranks
  const std::vector<NamedPart>* merged = nullptr;  // fleetsim merge: results from these parts
  bool die_after_first_chunk = false;              // test hook FLEETSIM_TEST_KILL_RANK
};

struct RunArgs {
  std::string scenario;
  std::vector<std::string> policies;
  std::vector<std::string> sets;  // --set PATH=VALUE (run, compare; analysis/settings.h)
  std::optional<int> replicas;
  std::optional<uint64_t> seed;
  int threads = 0;
  std::string json_path;
  std::string csv_path;
  std::string commits_csv_path;  // one row per commit per replica (scenarios with commits)
  std::string html_path;
  std::string trace_path;     // Chrome trace-event JSON of one replica
  std::string timeline_path;  // readable timeline text of the same replica ("-" = stdout)
  int trace_replica = 0;
  bool quiet = false;
  ImportFlags import;
  std::string max_memory;   // "" = this machine's memory; "0" = no limit
  std::string max_runtime;  // "" = 24h; "0" = no limit
  bool estimate = false;    // print the resource estimate and stop
  DistributionArgs dist;
};

struct CheckArgs {
  std::vector<std::string> baselines;
  std::string policy;  // the changed policy to hold to the baseline (default: the baseline's)
  std::string junit_path;
  int threads = 0;
  bool update = false;
  bool exact = false;
  bool quiet = false;  // -q: no table
  DistributionArgs dist;
};

// `fleetsim merge PARTS...`: the report options; the rest comes from the parts' invocation.
struct MergeArgs {
  std::vector<std::string> parts;
  RunArgs outputs;         // json, csv, commits_csv, html, trace, timeline, trace_replica, quiet
  std::string junit_path;  // check parts
  bool verbose = false;
};

struct ReplayArgs {
  std::string outage;                      // scenario file, or NAME in scenarios/outages/
  std::vector<std::string> policies;       // counterfactual policies
  std::vector<std::string> push_policies;  // counterfactuals that also stage the bypass pushes
  std::vector<std::string> sets;           // --set PATH=VALUE (analysis/settings.h)
  std::optional<uint64_t> seed;
  std::string seeds;  // --seeds 1-20: one replay per seed, reduced (analysis/seed_replay.h)
  std::string json_path;
  bool quiet = false;
  ImportFlags import;
};

int CheckCommand(const CheckArgs& args, const Launch& launch);
int ReplayCommand(const ReplayArgs& args);
int RunCommand(const RunArgs& args, bool require_several_policies, const Launch& launch);
int SweepCommand(const RunArgs& args, const std::vector<std::string>& params, const Launch& launch);
int MergeCommand(const MergeArgs& args);
int ValidateCommand(const std::vector<std::string>& files, const ImportFlags& import);
int ImportCommand(const ImportArgs& args);
int PoliciesCommand();

}  // namespace fleetsim::cli
