#include "analysis/experiment.h"

#include <filesystem>
#include <fstream>

#include "analysis/baseline.h"
#include "loader/named_data.h"
#include "loader/scenario_loader.h"

namespace fleetsim {

namespace fs = std::filesystem;

Result<Policy> ScenarioPolicy(const Scenario& scenario) {
  if (scenario.policy.path) return LoadPolicyFile(*scenario.policy.path);
  if (scenario.policy.inline_node) {
    Policy policy;
    Status st = CatchConfigErrors([&] {
      policy = ParsePolicyNode(scenario.policy.inline_node->node, scenario.name + "-policy");
    });
    if (!st.ok()) return st;
    return policy;
  }
  return Status::Error(scenario.file +
                       ": the scenario names no policy; pass --policy NAME_OR_FILE");
}

Result<Policy> ResolvePolicy(const std::string& argument, const Scenario& scenario) {
  std::vector<fs::path> candidates{fs::path(argument)};
  if (fs::path(argument).extension().empty()) {
    const fs::path dir = fs::path(scenario.file).parent_path();
    candidates.push_back(dir / ".." / "policies" / (argument + ".yaml"));
    candidates.push_back(dir / (argument + ".yaml"));
    for (const fs::path& p : NamedDataCandidates("policies", argument)) candidates.push_back(p);
  }
  std::string tried;
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return LoadPolicyFile(p.lexically_normal().string());
    tried += (tried.empty() ? "" : ", ") + p.lexically_normal().string();
  }
  return Status::Error("policy '" + argument + "' not found (tried: " + tried + ")");
}

Result<Experiment> LoadExperiment(const std::string& scenario_path,
                                  const std::vector<std::string>& policy_args) {
  Result<Scenario> scenario = LoadScenario(scenario_path);
  if (!scenario.ok()) return scenario.status();
  Experiment e;
  e.scenario = std::move(scenario).value();
  if (policy_args.empty()) {
    Result<Policy> p = ScenarioPolicy(e.scenario);
    if (!p.ok()) return p.status();
    e.policies.push_back(std::move(p).value());
  }
  for (const std::string& arg : policy_args) {
    Result<Policy> p = ResolvePolicy(arg, e.scenario);
    if (!p.ok()) return p.status();
    e.policies.push_back(std::move(p).value());
  }
  for (const Policy& p : e.policies) {
    Status st = p.rollout->Validate(*e.scenario.fleet);
    if (st.ok() && p.risk) st = p.risk->Validate(*e.scenario.fleet);  // the risk-routed rollouts
    if (!st.ok()) {
      return Status::Error(p.source + ": policy '" + p.name + "' does not fit scenario '" +
                           e.scenario.name + "': " + st.message());
    }
  }
  return e;
}

Result<std::string> ValidateFile(const std::string& path) {
  auto file = std::make_shared<const std::string>(path);
  bool is_policy = false, is_baseline = false;
  Status st = CatchConfigErrors([&] {
    ConfigNode root = LoadYamlFile(path, file.get());
    if (!root.IsMap())
      root.Fail(
          "expected a scenario (with fleet:), a policy (with rollout:) or a baseline (with "
          "metrics:) mapping");
    is_policy = static_cast<bool>(root.node["rollout"]) && !root.node["fleet"];
    is_baseline = static_cast<bool>(root.node["metrics"]) && !root.node["fleet"];
  });
  if (!st.ok()) return st;
  if (is_baseline) {
    Result<Baseline> b = LoadBaseline(path);
    if (!b.ok()) return b.status();
    Result<Experiment> e = LoadExperiment(b.value().ScenarioPath(), {b.value().PolicyArgument()});
    if (!e.ok()) return Status::Error(path + ": " + e.status().message());
    const bool recorded = !b.value().metrics.empty() && !b.value().metrics.front().recorded.empty();
    return "baseline for policy '" + e.value().policies.front().name + "' on scenario '" +
           e.value().scenario.name + "' (" + std::to_string(b.value().metrics.size()) +
           " metrics, " +
           (recorded ? "recorded" : "not recorded yet: run fleetsim check --update") + ")";
  }
  if (is_policy) {
    Result<Policy> p = LoadPolicyFile(path);
    if (!p.ok()) return p.status();
    return "policy '" + p.value().name + "' (" + std::string(p.value().rollout->Kind()) + ")";
  }
  Result<Scenario> s = LoadScenario(path);
  if (!s.ok()) return s.status();
  std::string what = "scenario '" + s.value().name + "' (" +
                     std::to_string(s.value().fleet->total_hosts()) + " hosts, " +
                     std::to_string(s.value().fleet->regions().size()) + " regions)";
  if (s.value().policy.path || s.value().policy.inline_node) {
    Result<Policy> p = ScenarioPolicy(s.value());
    if (!p.ok()) return p.status();
    what += " with policy '" + p.value().name + "'";
  }
  return what;
}

}  // namespace fleetsim
