// AWS CodeDeploy deployment configuration import (CodeDeploy user guide, "Working with
// deployment configurations"; API MinimumHealthyHosts, TrafficRoutingConfig;
// shared/reference/rollout-systems.md §A4).
//
// Input: GetDeploymentConfig output ({deploymentConfigInfo: ...}) or the bare config object
// (JSON or YAML, camelCase or PascalCase), a CloudFormation template
// (AWS::CodeDeploy::DeploymentConfig and/or an AWS::CodeDeploy::DeploymentGroup naming a
// config, with its AlarmConfiguration, AutoRollbackConfiguration and the alarms), or a
// predefined CodeDeployDefault.* name.
//   EC2/on-premises (computePlatform Server): an in-place update of every instance, at most
//   N - H at a time where H is minimumHealthyHosts (HOST_COUNT H, or FLEET_PERCENT P rounded
//   up) -> rollout big_bang + deploy.minimum_healthy_hosts (9 hosts: HOST_COUNT 6 -> 3 at a
//   time, FLEET_PERCENT 40 -> 5 at a time). CodeDeployDefault.OneAtATime is one instance at a
//   time (MOST_CONCURRENCY 1).
//   Lambda / ECS: TimeBasedCanary {canaryPercentage, canaryInterval} -> canary {percent,
//   bake}; TimeBasedLinear {linearPercentage, linearInterval} -> linear {step, interval}
//   (the first increment at once); AllAtOnce -> big_bang. Traffic percentages become host
//   percentages.
//   Alarms of the deployment group stop the deployment; with DEPLOYMENT_STOP_ON_ALARM among
//   the auto-rollback events it rolls back, else it stays stopped for a person (pause).
//
// Throws ConfigError at file:line:col; writes ctx.policy().
#pragma once

#include <string>

#include "import/import_context.h"
#include "import/spec_format.h"

namespace fleetsim::import {

struct PredefinedCodeDeploy {
  const char* name;
  const char* platform;  // Server, Lambda, ECS
  // Server: minimum healthy hosts
  const char* mhh_type;  // HOST_COUNT, FLEET_PERCENT, MOST_CONCURRENCY, or ""
  double mhh_value;
  // Lambda / ECS
  const char* routing;  // TimeBasedCanary, TimeBasedLinear, AllAtOnce, or ""
  int percentage;
  int interval_minutes;
};

const PredefinedCodeDeploy* FindPredefinedCodeDeploy(const std::string& name);

// Returns the policy name.
std::string ImportCodeDeploy(const SpecInput& input, ImportContext& ctx);

}  // namespace fleetsim::import
