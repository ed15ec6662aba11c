// `fleetsim run` and `fleetsim compare`: load, run replicas (same seeds per policy), report.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "analysis/atomic_file.h"
#include "analysis/experiment.h"
#include "analysis/report.h"
#include "cli/commands.h"

namespace fleetsim::cli {
namespace {

int Fail(int code, const std::string& message) {
  std::cerr << "fleetsim: " << message << "\n";
  return code;
}

}  // namespace

int RunCommand(const RunArgs& args, bool require_several_policies) {
  if (require_several_policies && args.policies.size() < 2) {
    return Fail(2, "compare needs at least two --policy arguments");
  }
  Result<Experiment> loaded = LoadExperiment(args.scenario, args.policies);
  if (!loaded.ok()) return Fail(2, loaded.status().message());
  Experiment& experiment = loaded.value();
  for (const std::string* path : {&args.json_path, &args.csv_path}) {
    if (path->empty()) continue;
    Status st = CheckWritable(*path);
    if (!st.ok()) return Fail(2, st.message());
  }

  Report report;
  report.scenario = &experiment.scenario;
  report.seed = args.seed.value_or(experiment.scenario.seed);
  report.replicas = args.replicas.value_or(experiment.scenario.replicas);
  const bool show_progress = !args.quiet && isatty(STDERR_FILENO);
  for (size_t i = 0; i < experiment.policies.size(); ++i) {
    const Policy& policy = experiment.policies[i];
    RunOptions options;
    options.replicas = report.replicas;
    options.seed = report.seed;
    options.threads = args.threads;
    if (show_progress) {
      options.progress = [&, i](int done, int total) {
        std::fprintf(stderr, "\r[%zu/%zu] %s: replica %d/%d", i + 1, experiment.policies.size(),
                     policy.name.c_str(), done, total);
        if (done == total) std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
      };
    }
    PolicyRun run;
    run.policy = &policy;
    run.replicas = RunReplicas(experiment.scenario, policy, options);
    run.summary = SummarizeRun(run.replicas);
    report.runs.push_back(std::move(run));
  }
  AddPairedComparisons(report);
  if (!args.json_path.empty()) {
    Status st = WriteFileAtomically(args.json_path, RenderJson(report));
    if (!st.ok()) return Fail(1, st.message());
  }
  if (!args.csv_path.empty()) {
    Status st = WriteFileAtomically(args.csv_path, RenderCsv(report));
    if (!st.ok()) return Fail(1, st.message());
  }
  if (!args.quiet) std::cout << RenderTable(report);
  return 0;
}

}  // namespace fleetsim::cli
