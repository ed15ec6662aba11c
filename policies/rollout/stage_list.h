// Stage lists: the `[{name, percent | hosts, bake, checks}, ...]` sequence shared by the stages
// and feature_flag kinds. Percent stages strictly increase and the last is 100; `hosts: N`
// stages (exact host counts, when allowed) come first; `bake: manual` is a gate a person
// promotes; `checks: [...]` adds health checks judged only during that stage (stricter canary
// SLOs), on the policy's health schedule.
#pragma once

#include <string>
#include <vector>

#include "loader/yaml_reader.h"
#include "sim/rollout_policy.h"

namespace fleetsim {

// Parses the list at `list`; `context` names it in errors (e.g. "rollout.stages"). Throws
// ConfigError with file:line:col.
std::vector<RolloutStep> ParseStageList(const ConfigNode& list, const std::string& context,
                                        bool allow_hosts);

}  // namespace fleetsim
