// Experiment: a scenario together with the policies to run it under, as the CLI loads them.
//
// Policy arguments are resolved in this order: an existing file path; then NAME as
// scenarios/policies/NAME.yaml next to the scenario's folder (../policies/NAME.yaml); then
// NAME.yaml beside the scenario; then scenarios/policies/NAME.yaml in the data roots of the
// running executable (installed share/fleetsim, or the source tree; loader/named_data.h), so a
// ready-made policy is found for any scenario from any working directory. Without --policy, the
// scenario's own `policy:` is used. A vendor spec (an
// Argo Rollout, a Flagger Canary, an AWS AppConfig or CodeDeploy config, or a predefined AWS
// name) is imported on the way (analysis/vendor_policy.h) with `options`.
#pragma once

#include <string>
#include <vector>

#include "import/import_context.h"
#include "policies/policy_loader.h"
#include "sim/scenario.h"

namespace fleetsim {

struct Experiment {
  Scenario scenario;
  std::vector<Policy> policies;
};

Result<Policy> ResolvePolicy(const std::string& argument, const Scenario& scenario,
                             const import::ImportOptions& options = {});

// The scenario's own policy (path or inline).
Result<Policy> ScenarioPolicy(const Scenario& scenario, const import::ImportOptions& options = {});

// Whether `policy` can run `scenario` (its rollout, and its risk-routed rollouts, fit the fleet):
// the check LoadExperiment makes for every policy; the error names both.
Status CheckPolicyFits(const Policy& policy, const Scenario& scenario);

Result<Experiment> LoadExperiment(const std::string& scenario_path,
                                  const std::vector<std::string>& policy_args,
                                  const import::ImportOptions& options = {});

// Each policy's rollout (and risk-routed rollouts) fits the scenario's fleet.
Status CheckPoliciesFit(const Experiment& experiment);

// What the engine cannot do as a policy writes it for this scenario, one line each (empty when
// nothing): a health interval shorter than, or not a multiple of, the scenario's `tick` is judged
// on ticks only (evaluations due within one tick collapse into one), so a policy that steps on
// its checks (Flagger's `interval: 15s` on a 1-minute tick) moves more slowly than written.
std::vector<std::string> CadenceWarnings(const Experiment& experiment);

// Checks a scenario, policy or check-baseline file without running it (kind detected from its
// top-level keys); for a scenario its referenced policy is checked too, for a baseline its
// scenario and policy. A vendor spec is imported (a file of Argo or Flagger templates alone
// has its metrics checked). Returns a one-line description.
Result<std::string> ValidateFile(const std::string& path,
                                 const import::ImportOptions& options = {});

}  // namespace fleetsim
