// Settings: `--set PATH=VALUE` on run, compare and replay — a counterfactual without copying a
// file, e.g. `fleetsim replay crowdstrike-2024 --set automation.enabled=false`.
//
// A setting is one sweep grid point (analysis/sweep.h): the same paths, with the same meaning
// (`rollout.` / `health.` / `batching.` / `risk.` / `policy.` edit the policy, anything else,
// optionally prefixed `scenario.`, the scenario), applied by ExpandSweep to the files as written
// and re-validated by the normal loaders. Scenario settings apply to the scenario; policy
// settings to every policy of the command (the policy of the day and each --policy).
//
// Pure functions of their inputs (they read the files named).
#pragma once

#include <string>
#include <vector>

#include "analysis/experiment.h"
#include "analysis/sweep.h"
#include "import/import_context.h"

namespace fleetsim {

// Parses each "PATH=VALUE" (VALUE taken whole, commas included); an error names the argument.
Result<std::vector<SweepAxis>> ParseSettings(const std::vector<std::string>& arguments);

// The scenario at `scenario_path` and the policy `policy_argument` (empty: the scenario's own)
// with `settings` applied. The policy keeps its name, followed by " [PATH=VALUE ...]" when a
// setting edits it. An error says which setting it came from.
Result<SweepPoint> ApplySettings(const std::string& scenario_path,
                                 const std::string& policy_argument,
                                 const std::vector<SweepAxis>& settings,
                                 const import::ImportOptions& options = {});

// LoadExperiment with `settings` applied to the scenario and every policy (no settings:
// LoadExperiment itself).
Result<Experiment> LoadExperimentWithSettings(const std::string& scenario_path,
                                              const std::vector<std::string>& policy_args,
                                              const std::vector<SweepAxis>& settings,
                                              const import::ImportOptions& options = {});

}  // namespace fleetsim
