#include "analysis/experiment.h"

#include <filesystem>
#include <fstream>

#include "analysis/baseline.h"
#include "analysis/vendor_policy.h"
#include "import/spec_import.h"
#include "loader/named_data.h"
#include "loader/scenario_loader.h"
#include "sim/sim_time.h"

namespace fleetsim {

namespace fs = std::filesystem;

Result<Policy> ScenarioPolicy(const Scenario& scenario, const import::ImportOptions& options) {
  if (scenario.policy.path) {
    Result<Policy> policy = LoadAnyPolicy(*scenario.policy.path, options);
    std::error_code ec;
    if (!policy.ok() && !scenario.policy.where.empty() &&
        !fs::is_regular_file(*scenario.policy.path, ec)) {
      // Name the scenario's line: the file it points to is missing (checked only when the
      // scenario's own policy is used, so --policy can stand in for a missing one).
      return Status::Error(scenario.policy.where + ": policy: no policy file '" +
                           *scenario.policy.path +
                           "' (resolved against the scenario's folder); expected a policy file "
                           "or an inline policy mapping");
    }
    return policy;
  }
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

Result<Policy> ResolvePolicy(const std::string& argument, const Scenario& scenario,
                             const import::ImportOptions& options) {
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
    if (fs::is_regular_file(p, ec)) return LoadAnyPolicy(p.lexically_normal().string(), options);
    tried += (tried.empty() ? "" : ", ") + p.lexically_normal().string();
  }
  if (import::IsPredefinedName(argument)) return LoadAnyPolicy(argument, options);
  return Status::Error("policy '" + argument + "' not found (tried: " + tried + ")");
}

Result<Experiment> LoadExperiment(const std::string& scenario_path,
                                  const std::vector<std::string>& policy_args,
                                  const import::ImportOptions& options) {
  Result<Scenario> scenario = LoadScenario(scenario_path);
  if (!scenario.ok()) return scenario.status();
  Experiment e;
  e.scenario = std::move(scenario).value();
  if (policy_args.empty()) {
    Result<Policy> p = ScenarioPolicy(e.scenario, options);
    if (!p.ok()) return p.status();
    e.policies.push_back(std::move(p).value());
  }
  for (const std::string& arg : policy_args) {
    Result<Policy> p = ResolvePolicy(arg, e.scenario, options);
    if (!p.ok()) return p.status();
    e.policies.push_back(std::move(p).value());
  }
  if (Status st = CheckPoliciesFit(e); !st.ok()) return st;
  return e;
}

Status CheckPoliciesFit(const Experiment& e) {
  for (const Policy& p : e.policies) {
    if (Status st = CheckPolicyFits(p, e.scenario); !st.ok()) return st;
  }
  return Status::Ok();
}

Status CheckPolicyFits(const Policy& policy, const Scenario& scenario) {
  Status st = policy.rollout->Validate(*scenario.fleet);
  if (st.ok() && policy.risk) st = policy.risk->Validate(*scenario.fleet);  // risk-routed rollouts
  if (!st.ok()) {
    return Status::Error(policy.source + ": policy '" + policy.name + "' does not fit scenario '" +
                         scenario.name + "': " + st.message());
  }
  return Status::Ok();
}

std::vector<std::string> CadenceWarnings(const Experiment& experiment) {
  std::vector<std::string> warnings;
  const SimTime tick = experiment.scenario.tick;
  for (const Policy& p : experiment.policies) {
    if (!p.health || tick.millis() <= 0) continue;
    const SimTime interval = p.health->Schedule().interval;
    if (interval.millis() <= 0 || interval.millis() % tick.millis() == 0) continue;
    warnings.push_back("warning: " + p.source + ": policy '" + p.name + "' is judged every " +
                       FormatDuration(interval) + ", but scenario '" + experiment.scenario.name +
                       "' ticks every " + FormatDuration(tick) +
                       ": checks run on ticks, so they come at most once a tick and later than "
                       "written; give the scenario `tick: " +
                       FormatDuration(interval) + "` (or a divisor of it) to judge as written");
  }
  return warnings;
}

namespace {

// A vendor spec: imported as --policy would, or (templates alone) its metrics checked.
Result<std::string> ValidateVendorFile(const std::string& path,
                                       const import::ImportOptions& options) {
  std::vector<std::string> files{path};
  files.insert(files.end(), options.with.begin(), options.with.end());
  Result<import::SpecInput> input = import::ReadSpecDocuments(files);
  if (!input.ok()) return input.status();
  bool policy_object = false;
  for (const import::SpecDocument& d : input.value().documents) {
    using import::DocKind;
    policy_object =
        policy_object ||
        (d.kind != DocKind::kArgoAnalysisTemplate && d.kind != DocKind::kArgoClusterTemplate &&
         d.kind != DocKind::kFlaggerMetricTemplate && d.kind != DocKind::kEmpty &&
         d.kind != DocKind::kKubernetesOther);
  }
  if (!policy_object) {
    Result<std::string> t = import::ValidateTemplatesOnly(input.value(), options);
    if (!t.ok()) return t.status();
    return t.value();
  }
  Result<import::ImportedPolicy> imported = import::ImportSpecInput(input.value(), options);
  if (!imported.ok()) return imported.status();
  Result<Policy> p = LoadAnyPolicy(path, options);
  if (!p.ok()) return p.status();
  const import::MappingReport& r = imported.value().report;
  using import::Disposition;
  return "policy '" + p.value().name + "' (" + std::string(p.value().rollout->Kind()) +
         ") imported from " + import::SpecFormatName(imported.value().format) + ": " +
         std::to_string(r.Count(Disposition::kMapped) + r.Count(Disposition::kDefault)) +
         " fields mapped, " + std::to_string(r.Count(Disposition::kApproximated)) +
         " approximated, " + std::to_string(r.Count(Disposition::kNotSimulated)) +
         " cannot be simulated, " + std::to_string(r.Count(Disposition::kNoEffect)) +
         " with no effect (fleetsim import prints the table)";
}

}  // namespace

Result<std::string> ValidateFile(const std::string& path, const import::ImportOptions& options) {
  if (IsVendorPolicy(path)) return ValidateVendorFile(path, options);
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
    Result<Experiment> e =
        LoadExperiment(b.value().ScenarioPath(), {b.value().PolicyArgument()}, options);
    if (!e.ok()) return Status::Error(path + ": " + e.status().message());
    const bool recorded = !b.value().metrics.empty() && !b.value().metrics.front().recorded.empty();
    return "baseline for policy '" + e.value().policies.front().name + "' on scenario '" +
           e.value().scenario.name + "' (" + std::to_string(b.value().metrics.size()) +
           " metrics, " +
           (recorded ? "recorded" : "not recorded yet: run fleetsim check --update") + ")";
  }
  if (is_policy) {
    Result<Policy> p = LoadAnyPolicy(path, options);
    if (!p.ok()) return p.status();
    return "policy '" + p.value().name + "' (" + std::string(p.value().rollout->Kind()) + ")";
  }
  Result<Scenario> s = LoadScenario(path);
  if (!s.ok()) return s.status();
  std::string what = "scenario '" + s.value().name + "' (" +
                     std::to_string(s.value().fleet->total_hosts()) + " hosts, " +
                     std::to_string(s.value().fleet->regions().size()) + " regions)";
  if (s.value().policy.path || s.value().policy.inline_node) {
    Result<Policy> p = ScenarioPolicy(s.value(), options);
    if (!p.ok()) return p.status();
    what += " with policy '" + p.value().name + "'";
  }
  return what;
}

}  // namespace fleetsim
