// The registry of batching kinds (single, fixed_n, backlog_goal, whole_backlog, scheduled) and
// the parsing of a policy's `batching:` section. See kind_registry.h and sim/batching_policy.h.
//
// A batching kind is one file in policies/batching/ ending with
//   FLEETSIM_REGISTER_BATCHING_KIND(name, DefinitionFunction);
// where DefinitionFunction() returns a KindDef<BatchingPolicy, Params>; its reader ends with
// ParsePipelineOptions (the keys every kind shares).
#pragma once

#include <memory>
#include <string>
#include <vector>

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
// on_failure, bisect_step, revert_time, each defaulting to PipelineOptions{}. Called by each
// kind's reader.
PipelineOptions ParsePipelineOptions(YamlMap& m);

// The shared keys' table (defaults from PipelineOptions{}), and its help lines for
// `fleetsim policies`.
std::vector<ParamDef<PipelineOptions>> PipelineOptionDefs();
std::string PipelineOptionsHelp();

}  // namespace fleetsim

#define FLEETSIM_REGISTER_BATCHING_KIND(name, definition) \
  FLEETSIM_REGISTER_KIND(Batching, name, definition)
