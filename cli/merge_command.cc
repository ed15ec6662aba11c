// `fleetsim merge PARTS...`: combines the part files of a `--shard I/N` split into the reports
// one process would have written. The parts record the command that made them (invocation.h);
// merge reruns that command's loading and reporting with the results taken from the parts
// (shard_merge.h) and the report options given here, so the outputs are byte-identical to an
// unsharded run. Missing, duplicated or mismatched parts are refused (exit 2), writing nothing.
#include "analysis/shard_merge.h"
#include "cli/commands.h"
#include "cli/invocation.h"

#include <iostream>

namespace fleetsim::cli {

int MergeCommand(const MergeArgs& args) {
  auto fail = [](const std::string& message) {
    std::cerr << "fleetsim: " << message << "\n";
    return 2;
  };
  std::vector<NamedPart> parts;
  for (const std::string& file : args.parts) {
    Result<ResultPart> part = ReadPartFile(file);
    if (!part.ok()) return fail(part.status().message());
    parts.push_back(NamedPart{file, std::move(part).value()});
  }
  if (Status st = CheckShardSet(parts); !st.ok()) return fail(st.message());
  Result<InvokedCommand> invoked = ParseInvocation(parts.front().part.invocation);
  if (!invoked.ok()) return fail(invoked.status().message());
  InvokedCommand& c = invoked.value();
  Launch launch;
  launch.merged = &parts;
  if (c.command == "check") {
    if (!args.outputs.json_path.empty() || !args.outputs.csv_path.empty() ||
        !args.outputs.commits_csv_path.empty() || !args.outputs.html_path.empty() ||
        !args.outputs.trace_path.empty() || !args.outputs.timeline_path.empty()) {
      return fail("these parts are of fleetsim check: it writes --junit only");
    }
    c.check.junit_path = args.junit_path;
    c.check.quiet = args.outputs.quiet;
    c.check.dist.verbose = args.verbose;
    return CheckCommand(c.check, launch);
  }
  if (!args.junit_path.empty()) return fail("--junit is for parts of fleetsim check");
  RunArgs run = args.outputs;
  run.scenario = c.run.scenario;
  run.policies = c.run.policies;
  run.replicas = c.run.replicas;
  run.seed = c.run.seed;
  run.import = c.run.import;
  run.max_runtime = "0";  // merge runs no replica: the run's time estimate does not apply
  run.dist.verbose = args.verbose;
  if (c.command == "sweep") return SweepCommand(run, c.params, launch);
  return RunCommand(run, c.command == "compare", launch);
}

}  // namespace fleetsim::cli
