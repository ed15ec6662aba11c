// fuzz_scenario: a scenario file, as `fleetsim run/validate/replay SCENARIO` reads it.
//
// The input is the file's text, taken to live in scenarios/examples/ (so `policy:
// ../policies/x.yaml` resolves). It goes through what the CLI does before it simulates:
// ParseScenario (LoadScenario after reading the file), the scenario's own policy (ScenarioPolicy)
// and whether it fits (CheckPolicyFits, as LoadExperiment), the cadence warnings, the resource
// estimate and its limits (run's refusal of an absurd scenario) and replay's CheckReplayable.
// A failed Status is normal; a parse error must name the input's file:line:col.
#include <cstdint>

#include "analysis/experiment.h"
#include "analysis/outage_replay.h"
#include "analysis/resource_estimate.h"
#include "fuzz/fuzz_support.h"
#include "loader/scenario_loader.h"

namespace fleetsim::fuzz {
namespace {

void AfterLoad(Experiment& e) {
  if (e.scenario.policy.path || e.scenario.policy.inline_node) {
    Result<Policy> policy = ScenarioPolicy(e.scenario);
    if (policy.ok() && CheckPolicyFits(policy.value(), e.scenario).ok()) {
      e.policies.push_back(std::move(policy).value());
      (void)CadenceWarnings(e);
    }
  }
  RunShape shape;
  shape.replicas = e.scenario.replicas;
  shape.runs = 2;
  shape.threads = 2;
  shape.per_change_rows = true;
  const ResourceEstimate estimate = EstimateRun(e.scenario, shape);
  (void)estimate.Describe();
  (void)CheckResourceLimits(estimate, 8.0 * (1 << 30), 86'400);
  (void)CheckReplayable(e.scenario);
}

}  // namespace
}  // namespace fleetsim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fleetsim;
  const std::string path = fuzz::ScenariosPath("examples", "fuzz-input.yaml");
  Result<Scenario> scenario = ParseScenario(fuzz::Text(data, size), path);
  if (!scenario.ok()) {
    fuzz::Require(fuzz::Located(scenario.status().message(), path),
                  "scenario error without file:line:col: " + scenario.status().message());
    return 0;
  }
  Experiment e;
  e.scenario = std::move(scenario).value();
  fuzz::AfterLoad(e);
  return 0;
}
