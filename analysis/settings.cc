// --set PATH=VALUE: see settings.h.
#include "analysis/settings.h"

namespace fleetsim {
namespace {

bool OnPolicy(const std::string& path) {
  for (const char* prefix : {"rollout.", "health.", "batching.", "risk.", "policy."}) {
    if (path.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string Label(const std::vector<SweepAxis>& settings) {
  std::string label;
  for (const SweepAxis& s : settings)
    label += (label.empty() ? "" : " ") + s.path + "=" + s.values.front();
  return label;
}

}  // namespace

Result<std::vector<SweepAxis>> ParseSettings(const std::vector<std::string>& arguments) {
  std::vector<SweepAxis> settings;
  for (const std::string& argument : arguments) {
    const size_t eq = argument.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == argument.size()) {
      return Status::Error("--set '" + argument +
                           "': expected PATH=VALUE (the paths sweep takes, e.g. "
                           "automation.enabled=false or health.failure_limit=3)");
    }
    settings.push_back(SweepAxis{argument.substr(0, eq), {argument.substr(eq + 1)}});
  }
  return settings;
}

Result<SweepPoint> ApplySettings(const std::string& scenario_path,
                                 const std::string& policy_argument,
                                 const std::vector<SweepAxis>& settings,
                                 const import::ImportOptions& options) {
  Result<std::vector<SweepPoint>> points =
      ExpandSweep(scenario_path, policy_argument, settings, options);
  if (!points.ok()) {
    // ExpandSweep says "sweep point 'LABEL': ..." for a point's own errors; here it is --set.
    std::string message = points.status().message();
    const std::string sweep_prefix = "sweep point '" + Label(settings) + "': ";
    if (message.rfind(sweep_prefix, 0) == 0) {
      message = "--set " + Label(settings) + ": " + message.substr(sweep_prefix.size()) +
                " (line numbers are those of the file with the settings applied)";
    }
    return Status::Error(message);
  }
  SweepPoint point = std::move(points.value().front());
  // ExpandSweep names the policy "NAME [LABEL]"; keep only the settings that edit it.
  std::vector<SweepAxis> policy_settings;
  for (const SweepAxis& s : settings) {
    if (OnPolicy(s.path)) policy_settings.push_back(s);
  }
  const std::string label = Label(settings);
  std::string name = point.policy.name;
  if (const size_t at = name.rfind(" [" + label + "]"); at != std::string::npos) name.resize(at);
  point.policy.name = policy_settings.empty() ? name : name + " [" + Label(policy_settings) + "]";
  point.label = label;
  return point;
}

Result<Experiment> LoadExperimentWithSettings(const std::string& scenario_path,
                                              const std::vector<std::string>& policy_args,
                                              const std::vector<SweepAxis>& settings,
                                              const import::ImportOptions& options) {
  if (settings.empty()) return LoadExperiment(scenario_path, policy_args, options);
  Experiment e;
  const std::vector<std::string> own{""};
  bool first = true;
  for (const std::string& arg : policy_args.empty() ? own : policy_args) {
    Result<SweepPoint> point = ApplySettings(scenario_path, arg, settings, options);
    if (!point.ok()) return point.status();
    // Scenario settings give every point the same scenario: keep the first.
    if (first) e.scenario = std::move(point.value().scenario);
    first = false;
    e.policies.push_back(std::move(point.value().policy));
  }
  if (Status st = CheckPoliciesFit(e); !st.ok()) return st;
  return e;
}

}  // namespace fleetsim
