// The fleetsim subcommands. main.cc parses arguments with CLI11 and calls these; each returns
// the process exit code: 0 success, 1 runtime failure, 2 bad input (nothing written).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleetsim::cli {

struct RunArgs {
  std::string scenario;
  std::vector<std::string> policies;
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
};

struct CheckArgs {
  std::vector<std::string> baselines;
  std::string policy;  // the changed policy to hold to the baseline (default: the baseline's)
  std::string junit_path;
  int threads = 0;
  bool update = false;
  bool exact = false;
};

struct ReplayArgs {
  std::string outage;                      // scenario file, or NAME in scenarios/outages/
  std::vector<std::string> policies;       // counterfactual policies
  std::vector<std::string> push_policies;  // counterfactuals that also stage the bypass pushes
  std::optional<uint64_t> seed;
  std::string json_path;
  bool quiet = false;
};

int CheckCommand(const CheckArgs& args);
int ReplayCommand(const ReplayArgs& args);
int RunCommand(const RunArgs& args, bool require_several_policies);
int SweepCommand(const RunArgs& args, const std::vector<std::string>& params);
int ValidateCommand(const std::vector<std::string>& files);
int PoliciesCommand();

}  // namespace fleetsim::cli
