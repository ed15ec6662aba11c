// fleetsim: command-line entry point. Argument parsing and dispatch only; the work lives in the
// libraries (see commands.h).
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "fleetsim: discrete-event simulation of code and config rollouts through a production "
      "fleet.\n"
      "Evaluate a rollout policy against injected bad changes and noisy health signals before "
      "adopting it."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "fleetsim 0.1.0");

  fleetsim::cli::RunArgs run_args;
  auto add_run_options = [&](CLI::App* cmd, const char* policy_help) {
    cmd->add_option("scenario", run_args.scenario, "scenario YAML file")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--policy,-p", run_args.policies, policy_help);
    cmd->add_option("--replicas,-n", run_args.replicas,
                    "number of seeded replicas (default: the scenario's)")
        ->check(CLI::Range(1, 10'000'000));
    cmd->add_option("--seed,-s", run_args.seed, "root seed (default: the scenario's)");
    cmd->add_option("--threads,-t", run_args.threads, "worker threads (default: all cores)")
        ->check(CLI::Range(0, 4096));
    cmd->add_option("--json", run_args.json_path,
                    "write the versioned JSON report here (atomically)");
    cmd->add_option("--csv", run_args.csv_path,
                    "write one CSV row per change per replica here (atomically)");
    cmd->add_option(
        "--commits-csv", run_args.commits_csv_path,
        "write one CSV row per commit per replica here (scenarios with changes.commits)");
    cmd->add_option("--html", run_args.html_path,
                    "write a self-contained HTML report with charts here");
    cmd->add_option(
        "--trace", run_args.trace_path,
        "write every event of one replica as Chrome trace-event JSON (open in Perfetto)");
    cmd->add_option("--timeline", run_args.timeline_path,
                    "write that replica's readable timeline here (- = stdout)");
    cmd->add_option("--trace-replica", run_args.trace_replica,
                    "replica traced by --trace/--timeline (default 0)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--quiet,-q", run_args.quiet, "print nothing but errors");
  };

  CLI::App* run =
      app.add_subcommand("run", "run N seeded replicas of a scenario under a policy and summarise");
  add_run_options(
      run, "policy file or name in scenarios/policies/ (default: the scenario's own policy)");
  CLI::App* compare = app.add_subcommand(
      "compare", "run a scenario under two or more policies with the same seeds, side by side");
  add_run_options(compare, "policy file or name; give two or more");

  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "run a grid over policy or scenario parameters (same seeds) and show the Pareto front");
  add_run_options(sweep, "policy file or name to sweep (default: the scenario's own policy)");
  std::vector<std::string> params;
  sweep
      ->add_option("--param", params,
                   "PATH=V1,V2,... e.g. rollout.stages[0].bake=5m,15m,30m (repeatable)")
      ->required();

  fleetsim::cli::CheckArgs check_args;
  CLI::App* check = app.add_subcommand(
      "check",
      "CI gate: rerun baselines on their seeds; exit 1 if a policy got significantly worse");
  check
      ->add_option("baselines", check_args.baselines,
                   "baseline YAML files (scenarios/baselines/*.yaml)")
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

  fleetsim::cli::ReplayArgs replay_args;
  CLI::App* replay = app.add_subcommand("replay",
                                        "one deterministic run of an outage next to its published "
                                        "timeline, and under counterfactual policies");
  replay
      ->add_option("outage", replay_args.outage,
                   "outage scenario file, or NAME in scenarios/outages/")
      ->required();
  replay->add_option("--policy,-p", replay_args.policies,
                     "counterfactual policy file or name (repeatable), run on the same seed beside "
                     "the policy of the day");
  replay->add_option("--stage-push", replay_args.push_policies,
                     "counterfactual policy file or name (repeatable) that also rolls out the "
                     "scenario's bypass pushes "
                     "(a global data or config push) instead of letting them go around it");
  replay->add_option("--seed,-s", replay_args.seed, "root seed (default: the scenario's)");
  replay->add_option("--json", replay_args.json_path, "write the replay as JSON here (atomically)");
  replay->add_flag("--quiet,-q", replay_args.quiet, "print nothing but errors");

  std::vector<std::string> files;
  CLI::App* validate =
      app.add_subcommand("validate", "check scenario and policy files without running them");
  validate->add_option("files", files, "YAML files")->required();

  CLI::App* policies =
      app.add_subcommand("policies", "list every registered policy kind with its parameters");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error is bad input: exit code 2.
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (run->parsed()) return fleetsim::cli::RunCommand(run_args, false);
  if (compare->parsed()) return fleetsim::cli::RunCommand(run_args, true);
  if (sweep->parsed()) return fleetsim::cli::SweepCommand(run_args, params);
  if (check->parsed()) return fleetsim::cli::CheckCommand(check_args);
  if (replay->parsed()) return fleetsim::cli::ReplayCommand(replay_args);
  if (validate->parsed()) return fleetsim::cli::ValidateCommand(files);
  if (policies->parsed()) return fleetsim::cli::PoliciesCommand();
  return 2;
}
