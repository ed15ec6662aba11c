// fleetsim: command-line entry point. Argument parsing and dispatch only; the work lives in the
// libraries (see commands.h). Each subcommand's options are added by one function below.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "analysis/mpi_session.h"
#include "analysis/plan_executor.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "loader/named_data.h"

namespace {

using fleetsim::cli::CheckArgs;
using fleetsim::cli::DistributionArgs;
using fleetsim::cli::ImportArgs;
using fleetsim::cli::ImportFlags;
using fleetsim::cli::Launch;
using fleetsim::cli::MergeArgs;
using fleetsim::cli::ReplayArgs;
using fleetsim::cli::RunArgs;

// What a vendor spec cannot say (import/import_context.h), wherever a spec can be a policy.
void AddImportFlags(CLI::App* cmd, ImportFlags& f, bool with) {
  cmd->add_option("--metrics", f.metrics_file,
                  "metrics table: what each provider query measures (import.md in fleetsim's docs)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--metric", f.metric_maps,
                  "NAME=QUANTITY[:UNIT]: metric NAME measures error_rate, success_rate, "
                  "latency_p99 or status_2xx (units: fraction|percent, ms|s); repeatable");
  cmd->add_option("--ignore-metric", f.ignore_metrics,
                  "leave metric (or alarm) NAME out of the simulation; repeatable");
  cmd->add_option("--ignore-template", f.ignore_templates,
                  "leave Argo analysis template NAME out (it does not gate); repeatable");
  cmd->add_option("--match-share", f.match_share,
                  "Flagger A/B testing: share of requests the match sends to the canary (5%)");
  if (with) {
    cmd->add_option("--with", f.with,
                    "more spec files read beside a vendor --policy (Argo AnalysisTemplates, "
                    "Flagger MetricTemplates, CloudFormation alarms); repeatable")
        ->check(CLI::ExistingFile);
  }
}

// A seed is a decimal uint64 (CLI11 alone would wrap "-1" and clamp a too-large value).
CLI::Validator SeedCheck() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
          return "expected a seed from 0 to 18446744073709551615, got '" + text + "'";
        return "";
      },
      "SEED");
}

// The report options of run, compare, sweep and merge.
void AddOutputOptions(CLI::App* cmd, RunArgs& run_args) {
  cmd->add_option("--json", run_args.json_path,
                  "write the versioned JSON report here (atomically)");
  cmd->add_option("--csv", run_args.csv_path,
                  "write one CSV row per change per replica here (atomically)");
  cmd->add_option("--commits-csv", run_args.commits_csv_path,
                  "write one CSV row per commit per replica here (scenarios with changes.commits)");
  cmd->add_option("--html", run_args.html_path,
                  "write a self-contained HTML report with charts here");
  cmd->add_option("--trace", run_args.trace_path,
                  "write every event of one replica as Chrome trace-event JSON (open in Perfetto)");
  cmd->add_option("--timeline", run_args.timeline_path,
                  "write that replica's readable timeline here (- = stdout)");
  cmd->add_option("--trace-replica", run_args.trace_replica,
                  "replica traced by --trace/--timeline (default 0)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--quiet,-q", run_args.quiet, "print nothing but errors");
}

// --checkpoint, --shard, --part, --verbose: how the replicas are computed (execution.h).
void AddDistributionOptions(CLI::App* cmd, DistributionArgs& dist) {
  cmd->add_option("--checkpoint", dist.checkpoint_dir,
                  "keep finished replicas in DIR; rerunning the same command resumes from them");
  cmd->add_option("--checkpoint-every", dist.checkpoint_every,
                  "with --checkpoint: write finished replicas to DIR this often (default 2s; 0s: "
                  "after every replica; an interrupted run flushes them anyway)");
  cmd->add_option("--shard", dist.shard,
                  "I/N: run only shard I (from 0) of N and write a part file; combine the N parts "
                  "with fleetsim merge (for Slurm arrays, Kubernetes indexed Jobs)");
  cmd->add_option("--part", dist.part_path,
                  "with --shard: the part file to write (default fleetsim-I-of-N.part)");
  cmd->add_flag("--verbose", dist.verbose,
                "print per-rank replicas, busy time and result bytes (stderr)");
}

// The options shared by run, compare and sweep.
void AddRunOptions(CLI::App* cmd, RunArgs& run_args, const char* policy_help) {
  cmd->add_option("scenario", run_args.scenario,
                  "scenario YAML file, or NAME of a ready-made example (e.g. quickstart)")
      ->required();
  cmd->add_option("--policy,-p", run_args.policies, policy_help);
  cmd->add_option("--replicas,-n", run_args.replicas,
                  "number of seeded replicas (default: the scenario's)")
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--seed,-s", run_args.seed, "root seed (default: the scenario's)")
      ->check(SeedCheck());
  cmd->add_option("--threads,-t", run_args.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  AddOutputOptions(cmd, run_args);
  AddImportFlags(cmd, run_args.import, true);
  cmd->add_option("--max-memory", run_args.max_memory,
                  "refuse to start a run estimated to need more memory than this (e.g. 8G; "
                  "default: this machine's memory; 0: no limit)");
  cmd->add_option("--max-runtime", run_args.max_runtime,
                  "refuse to start a run estimated to take longer than this (e.g. 2h; default "
                  "24h; 0: no limit)");
  cmd->add_flag("--estimate", run_args.estimate,
                "print the estimated memory and run time, and run nothing");
  AddDistributionOptions(cmd, run_args.dist);
}

void AddCheckOptions(CLI::App* check, CheckArgs& check_args) {
  check
      ->add_option(
          "baselines", check_args.baselines,
          "baseline YAML files (the ready-made ones: scenarios/baselines/*.yaml of the data below)")
      ->required()
      ->check(CLI::ExistingFile);
  check->add_option("--policy,-p", check_args.policy,
                    "hold this (changed) policy to the baselines instead of theirs");
  check->add_option("--junit", check_args.junit_path, "write JUnit XML here (atomically)");
  check->add_option("--threads,-t", check_args.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  check->add_flag("--update", check_args.update,
                  "re-run and rewrite the recorded values (atomically)");
  check->add_flag("--exact", check_args.exact,
                  "also fail when results differ at all from the recorded values");
  check->add_flag("--quiet,-q", check_args.quiet, "print nothing but errors (the exit code says)");
  AddDistributionOptions(check, check_args.dist);
}

void AddMergeOptions(CLI::App* merge, MergeArgs& merge_args) {
  merge->add_option("parts", merge_args.parts, "part files, one per shard (any order)")
      ->required()
      ->check(CLI::ExistingFile);
  AddOutputOptions(merge, merge_args.outputs);
  merge->add_option("--junit", merge_args.junit_path,
                    "parts of fleetsim check: write JUnit XML here (atomically)");
  merge->add_flag("--verbose", merge_args.verbose, "accepted for symmetry; merge runs nothing");
}

// --set PATH=VALUE (run, compare, replay).
void AddSetOption(CLI::App* cmd, std::vector<std::string>& sets) {
  cmd->add_option("--set", sets,
                  "PATH=VALUE (repeatable): change the scenario or the policy as sweep's --param "
                  "paths do, without copying a file, e.g. automation.enabled=false, "
                  "health.failure_limit=3");
}

void AddReplayOptions(CLI::App* replay, ReplayArgs& replay_args) {
  replay
      ->add_option("outage", replay_args.outage,
                   "outage scenario file, or NAME of a ready-made outage")
      ->required();
  replay->add_option("--policy,-p", replay_args.policies,
                     "counterfactual policy file or name (repeatable), run on the same seed beside "
                     "the policy of the day");
  replay->add_option("--stage-push", replay_args.push_policies,
                     "counterfactual policy file or name (repeatable) that also rolls out the "
                     "scenario's bypass pushes "
                     "(a global data or config push) instead of letting them go around it");
  replay->add_option("--seed,-s", replay_args.seed, "root seed (default: the scenario's)")
      ->check(SeedCheck());
  replay->add_option("--seeds", replay_args.seeds,
                     "replay on each of these seeds (e.g. 1-20, or 1,4,9) and report, per key "
                     "moment, the share of seeds within the published tolerance and the spread "
                     "(min / median / max) instead of one run's timeline");
  replay->add_option("--json", replay_args.json_path, "write the replay as JSON here (atomically)");
  AddSetOption(replay, replay_args.sets);
  replay->add_flag("--quiet,-q", replay_args.quiet, "print nothing but errors");
  AddImportFlags(replay, replay_args.import, true);
}

void AddImportOptions(CLI::App* import, ImportArgs& import_args) {
  import
      ->add_option("specs", import_args.specs,
                   "spec files (YAML/JSON, multi-document; templates beside their Rollout), or a "
                   "predefined AWS name such as AppConfig.Linear20PercentEvery6Minutes")
      ->required();
  import->add_option("--output,-o", import_args.output,
                     "write the policy here (atomically); default: stdout, table on stderr");
  import->add_flag("--quiet,-q", import_args.quiet, "print no mapping table");
  AddImportFlags(import, import_args.flags, false);
}

// Runs a replica-running command (run, compare, sweep, check): in this process, or as one rank
// of an MPI job when launched by mpirun or srun (execution.h). Every rank exits with rank 0's
// code, after rank 0 wrote its outputs.
int RunReplicaCommand(int argc, char** argv, int launched,
                      const std::function<int(const Launch&)>& command) {
  if (launched > 1 && !fleetsim::MpiSession::Available()) {
    std::cerr << "fleetsim: " << fleetsim::NotBuiltWithMpiMessage(launched) << "\n";
    return 2;
  }
  Launch launch;
  std::unique_ptr<fleetsim::MpiSession> mpi;
  if (launched > 1) {
    mpi = fleetsim::MpiSession::Start(argc, argv);
    fleetsim::cli::InstallInterruptHandlers();  // again, in case MPI's start replaced them
    launch.mpi = mpi.get();
    // Test hook of the killed-rank test (tests/cli/mpi_cli_test.cc): that rank dies mid-run.
    if (const char* kill = std::getenv("FLEETSIM_TEST_KILL_RANK"); kill != nullptr) {
      launch.die_after_first_chunk = std::atoi(kill) == mpi->rank();
    }
  }
  const int code = command(launch);
  if (!mpi) return code;
  return fleetsim::FinishTeam(mpi->transport(), code, fleetsim::cli::PendingInterrupt,
                              [](int signal) { std::_Exit(128 + signal); });
}

// Where the ready-made data was found, for the help text.
std::string DataFooter() {
  const std::vector<std::filesystem::path> roots = fleetsim::DataRoots();
  if (roots.empty()) return "Ready-made data: none found beside this fleetsim.";
  return "A NAME is one of the ready-made files under " + (roots.front() / "scenarios").string() +
         " (policies/, examples/, outages/); `fleetsim policies` lists the policy kinds.";
}

}  // namespace

int main(int argc, char** argv) {
  // First, so that a signal at any moment of a run is handled (cli/interrupt.h).
  fleetsim::cli::InstallInterruptHandlers();
  CLI::App app{
      "fleetsim: discrete-event simulation of code and config rollouts through a production "
      "fleet.\n"
      "Evaluate a rollout policy against injected bad changes and noisy health signals before "
      "adopting it."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "fleetsim 0.1.0");
  app.footer(DataFooter());

  RunArgs run_args;
  CLI::App* run =
      app.add_subcommand("run", "run N seeded replicas of a scenario under a policy and summarise");
  AddRunOptions(run, run_args,
                "policy file or NAME, or a vendor spec (Argo Rollout, Flagger Canary, AppConfig "
                "or CodeDeploy config; default: the scenario's own)");
  CLI::App* compare = app.add_subcommand(
      "compare", "run a scenario under two or more policies with the same seeds, side by side");
  AddRunOptions(compare, run_args, "policy file, NAME or vendor spec; give two or more");
  for (CLI::App* cmd : {run, compare}) AddSetOption(cmd, run_args.sets);
  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "run a grid over policy or scenario parameters (same seeds) and show the Pareto front");
  AddRunOptions(sweep, run_args,
                "policy file or NAME to sweep (default: the scenario's own policy)");
  std::vector<std::string> params;
  sweep
      ->add_option("--param", params,
                   "PATH=V1,V2,... e.g. rollout.stages[0].bake=5m,15m,30m (repeatable)")
      ->required();

  CheckArgs check_args;
  CLI::App* check = app.add_subcommand(
      "check",
      "CI gate: rerun baselines on their seeds; exit 1 if a policy got significantly worse");
  AddCheckOptions(check, check_args);

  MergeArgs merge_args;
  CLI::App* merge = app.add_subcommand(
      "merge",
      "combine the part files of a --shard I/N split into the reports one run would write");
  AddMergeOptions(merge, merge_args);

  ReplayArgs replay_args;
  CLI::App* replay = app.add_subcommand("replay",
                                        "one deterministic run of an outage next to its published "
                                        "timeline, and under counterfactual policies");
  AddReplayOptions(replay, replay_args);

  std::vector<std::string> files;
  ImportFlags validate_flags;
  CLI::App* validate = app.add_subcommand(
      "validate", "check scenario, policy, baseline and vendor spec files without running them");
  validate->add_option("files", files, "YAML files (fleetsim files or vendor specs)")->required();
  AddImportFlags(validate, validate_flags, true);

  ImportArgs import_args;
  CLI::App* import = app.add_subcommand(
      "import",
      "translate an Argo Rollout, Flagger Canary, AWS AppConfig strategy or CodeDeploy config "
      "into a commented fleetsim policy and print the mapping table");
  AddImportOptions(import, import_args);

  CLI::App* policies =
      app.add_subcommand("policies", "list every registered policy kind with its parameters");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error is bad input: exit code 2.
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (const std::string missing = fleetsim::MissingNameMessage("examples", run_args.scenario);
      !missing.empty()) {
    std::cerr << "fleetsim: " << missing << "\n";
    return 2;
  }
  run_args.scenario = fleetsim::ResolveNamedFile("examples", run_args.scenario);
  // run, compare, sweep and check spread their replicas over MPI ranks when launched by mpirun
  // (or srun); every other command runs in one process.
  const int launched = fleetsim::LauncherRanks([](const char* name) { return std::getenv(name); });
  if (run->parsed() || compare->parsed()) {
    return RunReplicaCommand(argc, argv, launched, [&](const Launch& launch) {
      return fleetsim::cli::RunCommand(run_args, compare->parsed(), launch);
    });
  }
  if (sweep->parsed()) {
    return RunReplicaCommand(argc, argv, launched, [&](const Launch& launch) {
      return fleetsim::cli::SweepCommand(run_args, params, launch);
    });
  }
  if (check->parsed()) {
    return RunReplicaCommand(argc, argv, launched, [&](const Launch& launch) {
      return fleetsim::cli::CheckCommand(check_args, launch);
    });
  }
  if (launched > 1) {
    std::cerr << "fleetsim: this command runs in one process; launch it without mpirun\n";
    return 2;
  }
  if (merge->parsed()) return fleetsim::cli::MergeCommand(merge_args);
  if (replay->parsed()) return fleetsim::cli::ReplayCommand(replay_args);
  if (validate->parsed()) return fleetsim::cli::ValidateCommand(files, validate_flags);
  if (import->parsed()) return fleetsim::cli::ImportCommand(import_args);
  if (policies->parsed()) return fleetsim::cli::PoliciesCommand();
  return 2;
}
