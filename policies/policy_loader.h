// Policy: a named bundle of rollout strategy and health policy, loaded from a policy file
// (scenarios/policies/*.yaml) or an inline `policy:` mapping of a scenario.
//
//   name: configerator          # optional; defaults to the file's stem
//   description: ...
//   rollout: {kind: stages, stages: [...]}     # any registered rollout kind
//   health:                                    # optional: no automated checks when absent
//     interval: 1m
//     initial_delay: 0s
//     start_at_step: 0                      # the run begins at this step (Argo startingStep)
//     min_requests: 0
//     combine: any | all
//     lookback: interval | growing | 15m    # window judged: since the last verdict, since the
//                                           #   start, or a sliding window
//     counting: fleetsim | argo | flagger   # argo: AnalysisRun semantics (failure_limit
//                                           #   tolerated, consecutive_success_limit,
//                                           #   inconclusive_limit, consecutive_error_limit,
//                                           #   no_data, count, run: background | per_step);
//                                           # flagger: Flagger's halt-and-count scheduler
//     failure_limit: 1
//     on_failure: rollback
//     checks: [{kind: threshold, metric: error_rate, max: 0.005}, ...]
//   batching: {kind: backlog_goal, goal: 30m}  # optional: how commits become releases
//                                              #   (policies/batching/; default one per release)
//   risk: {kind: threshold, high: 0.9}         # optional: route code releases by risk score
//                                              #   (policies/risk/)
//   deploy:                                    # optional: overrides the scenario's deploy system
//     minimum_healthy_hosts: {fleet_percent: 50}   # any key of sim/deploy_spec.h
//
// A Policy is immutable after loading and is shared by every replica and thread.
#pragma once

#include <memory>
#include <string>

#include "loader/yaml_reader.h"
#include "sim/batching_policy.h"
#include "sim/deploy_spec.h"
#include "sim/health_policy.h"
#include "sim/policy_set.h"
#include "sim/risk_policy.h"
#include "sim/rollout_policy.h"
#include "sim/status.h"

namespace fleetsim {

struct Policy {
  std::string name;
  std::string description;
  std::string source;  // file it came from, or "<scenario>:line" for inline policies
  std::shared_ptr<const RolloutPolicy> rollout;
  std::shared_ptr<const HealthPolicy> health;      // null: no automated health checks
  std::shared_ptr<const DeployOverrides> deploy;   // null: the scenario's deploy system as is
  std::shared_ptr<const BatchingPolicy> batching;  // null: commits ship one per release
  std::shared_ptr<const RiskPolicy> risk;          // null: no risk routing

  // The borrowed view a Simulation takes (valid while this Policy lives).
  PolicySet ForSimulation() const {
    return PolicySet{rollout.get(), health.get(), deploy.get(), batching.get(), risk.get()};
  }
};

Result<Policy> LoadPolicyFile(const std::string& path);

// LoadPolicyFile's parse, from the file's text: `path` names it in messages, and its stem is the
// default name. What LoadPolicyFile does after reading the file (and what fuzz/ feeds).
Result<Policy> ParsePolicyText(const std::string& yaml_text, const std::string& path);

// Parses an already-loaded YAML node (e.g. a scenario's inline policy). Throws ConfigError.
Policy ParsePolicyNode(const ConfigNode& node, const std::string& default_name);

}  // namespace fleetsim
