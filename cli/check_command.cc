// `fleetsim check BASELINE...`: the CI gate. Exit 0 when every baseline holds, 1 on a
// regression (or, with --exact, on any change), 2 on bad input. `--update` re-records.
#include <iostream>

#include "analysis/atomic_file.h"
#include "analysis/baseline.h"
#include "analysis/check_report.h"
#include "analysis/experiment.h"
#include "cli/commands.h"
#include "cli/interrupt.h"

namespace fleetsim::cli {

int CheckCommand(const CheckArgs& args) {
  auto fail = [](int code, const std::string& message) {
    std::cerr << "fleetsim: " << message << "\n";
    return code;
  };
  if (args.update && !args.policy.empty())
    return fail(2, "--update records the baseline's own policy; drop --policy");
  if (!args.junit_path.empty()) {
    if (Status st = CheckWritable(args.junit_path); !st.ok()) return fail(2, st.message());
  }
  // Load everything first: bad input anywhere means nothing runs and nothing is written.
  std::vector<Baseline> baselines;
  std::vector<Experiment> experiments;
  for (const std::string& path : args.baselines) {
    Result<Baseline> b = LoadBaseline(path);
    if (!b.ok()) return fail(2, b.status().message());
    const std::string policy = args.policy.empty() ? b.value().PolicyArgument() : args.policy;
    Result<Experiment> e = LoadExperiment(b.value().ScenarioPath(), {policy});
    if (!e.ok()) return fail(2, path + ": " + e.status().message());
    baselines.push_back(std::move(b).value());
    experiments.push_back(std::move(e).value());
  }
  std::vector<BaselineCheck> checks;
  bool changed = false;
  for (size_t i = 0; i < baselines.size(); ++i) {
    Baseline& baseline = baselines[i];
    const Policy& policy = experiments[i].policies.front();
    RunOptions options;
    options.replicas = baseline.replicas;
    options.seed = baseline.seed;
    options.threads = args.threads;
    options.cancel = InterruptRequested();
    int completed = 0;
    options.completed = &completed;
    const std::vector<ReplicaResult> results =
        RunReplicas(experiments[i].scenario, policy, options);
    if (InterruptRequested()->load()) {
      std::cerr << "fleetsim: interrupted by " << InterruptSignalName() << ": " << completed
                << " of " << baseline.replicas << " replicas of " << baseline.file << " finished ("
                << i << " of " << baselines.size() << " baselines checked); nothing more written\n";
      return InterruptExitCode();
    }
    if (args.update) {
      RecordBaseline(baseline, results);
      if (Status st = WriteFileAtomically(baseline.file, RenderBaselineYaml(baseline)); !st.ok()) {
        return fail(1, st.message());
      }
      std::cout << baseline.file << ": recorded " << baseline.replicas << " replicas of "
                << policy.name << "\n";
      continue;
    }
    checks.push_back(CheckBaseline(baseline, policy.name, results));
    if (!checks.back().identical()) changed = true;
  }
  if (args.update) return 0;
  std::cout << RenderCheckTable(checks);
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
