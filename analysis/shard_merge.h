// Shard merging: checks that N `--shard I/N` part files form one complete run, and assembles
// their results by item, for `fleetsim merge` (cli/merge_command.cc).
//
// CheckShardSet refuses, naming the files: a part that is not a shard part (a checkpoint part),
// parts of different runs (RunIdentity difference) or different commands (invocation), parts
// cut with different N, a shard index given twice, and missing shards. AssembleShards then
// checks the parts against the plan rebuilt from their invocation (its identity must be theirs:
// the scenario and policy files are unchanged) and that each part holds exactly the items of
// its shard, and returns the results as ExecutePlan would have (PlanResults::TakeRuns).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "analysis/plan_executor.h"
#include "analysis/result_part.h"

namespace fleetsim {

struct NamedPart {
  std::string file;
  ResultPart part;
};

Status CheckShardSet(const std::vector<NamedPart>& parts);

Result<PlanResults> AssembleShards(const std::vector<NamedPart>& parts, const RunPlan& plan,
                                   const RunIdentity& identity);

}  // namespace fleetsim
