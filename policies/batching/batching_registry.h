// The registry of batching kinds (single, fixed_n, backlog_goal, whole_backlog, scheduled) and
// the parsing of a policy's `batching:` section. See kind_registry.h and sim/batching_policy.h.
#pragma once

#include <memory>
#include <string>

#include "policies/kind_registry.h"
#include "sim/batching_policy.h"

namespace fleetsim {

using BatchingRegistry = KindRegistry<BatchingPolicy>;

// Every built-in batching kind, registered on first use.
const BatchingRegistry& BatchingKinds();

// Parses `{kind: NAME, ...params, ...pipeline options}` (unknown keys rejected). Throws
// ConfigError.
std::unique_ptr<BatchingPolicy> ParseBatchingPolicy(const ConfigNode& node,
                                                    const std::string& context);

// The keys every kind shares (PipelineOptions): pipelining, on_test_failure, max_retries,
// on_failure, bisect_step, revert_time. Called by each kind's factory.
PipelineOptions ParsePipelineOptions(YamlMap& m);

// Help lines for the shared keys (`fleetsim policies`).
std::string PipelineOptionsHelp();

// Registration hooks of the individual kinds (one per file in policies/batching/).
void RegisterSimpleBatching(BatchingRegistry& registry);  // single, fixed_n, whole_backlog
void RegisterBacklogGoal(BatchingRegistry& registry);
void RegisterScheduledBatching(BatchingRegistry& registry);

}  // namespace fleetsim
