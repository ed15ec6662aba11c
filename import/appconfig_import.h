// AWS AppConfig deployment strategy import (AWS AppConfig user guide, "Working with deployment
// strategies"; shared/reference/rollout-systems.md §A5).
//
// Input: a DeploymentStrategy as the API / CLI returns it (JSON or YAML, PascalCase or
// camelCase), a CloudFormation template (AWS::AppConfig::DeploymentStrategy, or an
// AWS::AppConfig::Deployment naming a predefined strategy, with the environment's Monitors
// and their AWS::CloudWatch::Alarm resources), or a predefined strategy name.
//   GrowthType LINEAR, GrowthFactor G, DeploymentDurationInMinutes D: ceil(100/G) equal steps
//   spread over D starting from 0% ("0h 0%, 2h 20%, ... 10h 100%" for 20% over 10 h) ->
//   rollout linear {step: G, interval: D / steps, start_at_zero: true};
//   EXPONENTIAL: G x 2^N % until every target has it -> exponential {initial: G}, its steps
//   spread evenly over D the same way (AWS does not document the spacing: approximated);
//   FinalBakeTimeInMinutes -> final_bake (alarms still roll back); D = 0 -> all at once.
//   Rollback happens when an alarm of the environment's Monitors goes to ALARM during the
//   deployment or the bake (cloudwatch_alarm_import.h); without alarms there are no checks.
// Name, Description, ReplicateTo, Tags and Id have no effect.
//
// Throws ConfigError at file:line:col; writes ctx.policy().
#pragma once

#include <string>

#include "import/import_context.h"
#include "import/spec_format.h"

namespace fleetsim::import {

struct PredefinedAppConfig {
  const char* name;
  bool exponential;
  double growth_factor;
  int duration_minutes;
  int final_bake_minutes;
};

// The predefined strategies of the AppConfig user guide; null when `name` is none of them.
const PredefinedAppConfig* FindPredefinedAppConfig(const std::string& name);

// Returns the policy name.
std::string ImportAppConfig(const SpecInput& input, ImportContext& ctx);

}  // namespace fleetsim::import
