// Invocation: the command line of a run, minus its outputs, as key/value pairs recorded in
// part files (result_part.h), so `fleetsim merge` rebuilds the same runs from the parts alone
// and reports them exactly as that command would have. Keys: command (run, compare, sweep,
// check), then for run/compare/sweep scenario, policy..., param..., replicas, seed and the
// vendor-spec import flags (metrics, metric..., ignore-metric..., ignore-template...,
// match-share, with...), and for check baseline..., policy, update, exact. Paths are kept as
// they were given: merge resolves them from its own working directory, and refuses when the
// files changed (RunIdentity).
#pragma once

#include <string>
#include <vector>

#include "analysis/result_part.h"
#include "cli/commands.h"
#include "sim/status.h"

namespace fleetsim::cli {

Invocation RunInvocation(const std::string& command, const RunArgs& args,
                         const std::vector<std::string>& params);
Invocation CheckInvocation(const CheckArgs& args);

struct InvokedCommand {
  std::string command;
  RunArgs run;                      // run, compare, sweep
  std::vector<std::string> params;  // sweep
  CheckArgs check;                  // check
};
Result<InvokedCommand> ParseInvocation(const Invocation& invocation);

}  // namespace fleetsim::cli
