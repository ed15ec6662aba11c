// fuzz_policy: a policy file, as `fleetsim run SCENARIO --policy FILE` (and validate, compare,
// sweep) reads it.
//
// The input is the file's text, taken to be scenarios/policies/fuzz-input.yaml. It goes through
// ParsePolicyText (LoadPolicyFile after reading the file) and, when it loads, CheckPolicyFits
// against three example scenarios (a flat fleet, regions, a weekly conveyor), as LoadExperiment
// checks every policy against its scenario. A failed Status is normal; a parse error must name
// the input's file:line:col.
#include <cstdint>
#include <vector>

#include "analysis/experiment.h"
#include "fuzz/fuzz_support.h"
#include "loader/scenario_loader.h"

namespace fleetsim::fuzz {
namespace {

// Loaded once (the targets's only state: read-only after the first call).
const std::vector<Scenario>& Scenarios() {
  static const std::vector<Scenario> scenarios = [] {
    std::vector<Scenario> s;
    for (const char* name : {"quickstart", "regional-config", "conveyor-week"}) {
      Result<Scenario> r = LoadScenario(ScenariosPath("examples", std::string(name) + ".yaml"));
      Require(r.ok(), "example scenario does not load: " + r.status().message());
      s.push_back(std::move(r).value());
    }
    return s;
  }();
  return scenarios;
}

}  // namespace
}  // namespace fleetsim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fleetsim;
  const std::vector<Scenario>& scenarios = fuzz::Scenarios();
  const std::string path = fuzz::ScenariosPath("policies", "fuzz-input.yaml");
  Result<Policy> policy = ParsePolicyText(fuzz::Text(data, size), path);
  if (!policy.ok()) {
    fuzz::Require(fuzz::Located(policy.status().message(), path),
                  "policy error without file:line:col: " + policy.status().message());
    return 0;
  }
  for (const Scenario& s : scenarios) (void)CheckPolicyFits(policy.value(), s);
  return 0;
}
