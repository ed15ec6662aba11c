// `fleetsim check BASELINE...`: the CI gate. Exit 0 when every baseline holds, 1 on a
// regression (or, with --exact, on any change), 2 on bad input. `--update` re-records.
#include <iostream>

#include "analysis/atomic_file.h"
#include "analysis/baseline.h"
#include "analysis/check_report.h"
#include "analysis/experiment.h"
#include "cli/commands.h"
#include "cli/execution.h"
#include "cli/interrupt.h"
#include "cli/invocation.h"

namespace fleetsim::cli {
namespace {

// Loads every baseline and its experiment: bad input anywhere means nothing runs and nothing
// is written.
Status LoadBaselines(const CheckArgs& args, std::vector<Baseline>& baselines,
                     std::vector<Experiment>& experiments) {
  if (args.update && !args.policy.empty())
    return Status::Error("--update records the baseline's own policy; drop --policy");
  if (Status st = CheckShardOutputs(args.dist, {args.junit_path}); !st.ok()) return st;
  if (!args.junit_path.empty()) {
    if (Status st = CheckWritable(args.junit_path); !st.ok()) return st;
  }
  for (const std::string& path : args.baselines) {
    Result<Baseline> b = LoadBaseline(path);
    if (!b.ok()) return b.status();
    const std::string policy = args.policy.empty() ? b.value().PolicyArgument() : args.policy;
    Result<Experiment> e = LoadExperiment(b.value().ScenarioPath(), {policy});
    if (!e.ok()) return Status::Error(path + ": " + e.status().message());
    baselines.push_back(std::move(b).value());
    experiments.push_back(std::move(e).value());
  }
  return Status::Ok();
}

}  // namespace

int CheckCommand(const CheckArgs& args, const Launch& launch) {
  auto fail = [](int code, const std::string& message) {
    std::cerr << "fleetsim: " << message << "\n";
    return code;
  };
  std::vector<Baseline> baselines;
  std::vector<Experiment> experiments;
  const Status loaded = LoadBaselines(args, baselines, experiments);
  RunPlan plan;
  if (loaded.ok()) {
    for (size_t i = 0; i < baselines.size(); ++i) {
      plan.Add(PlannedRun{baselines[i].file, &experiments[i].scenario,
                          &experiments[i].policies.front(), baselines[i].seed,
                          baselines[i].replicas});
    }
  }
  Execution execution =
      Execute(launch, loaded, plan, CheckInvocation(args), args.dist, args.threads, args.quiet);
  if (!execution.report) return execution.exit_code;
  std::vector<BaselineCheck> checks;
  bool changed = false;
  for (size_t i = 0; i < baselines.size(); ++i) {
    Baseline& baseline = baselines[i];
    const Policy& policy = experiments[i].policies.front();
    const std::vector<ReplicaResult>& results = execution.runs[i];
    if (args.update) {
      RecordBaseline(baseline, results);
      if (Status st = WriteFileAtomically(baseline.file, RenderBaselineYaml(baseline)); !st.ok()) {
        return fail(1, st.message());
      }
      if (!args.quiet) {
        std::cout << baseline.file << ": recorded " << baseline.replicas << " replicas of "
                  << policy.name << "\n";
      }
      continue;
    }
    checks.push_back(CheckBaseline(baseline, policy.name, results));
    if (!checks.back().identical()) changed = true;
  }
  if (args.update) return 0;
  if (!args.quiet) std::cout << RenderCheckTable(checks);
  if (!args.junit_path.empty() && !InterruptRequested()->load()) {
    if (Status st = WriteFileAtomically(args.junit_path, RenderJUnit(checks)); !st.ok())
      return fail(1, st.message());
  }
  for (const BaselineCheck& c : checks) {
    if (c.regression()) return 1;
  }
  if (args.exact && changed) {
    std::cerr << "fleetsim: --exact: results differ from the recorded baselines\n";
    return 1;
  }
  return 0;
}

}  // namespace fleetsim::cli
