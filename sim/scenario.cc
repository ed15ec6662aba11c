// FinalizeScenario: the checks and the built Fleet that every scenario needs, however it was
// assembled (by loader/scenario_loader.h or by code).
#include "sim/scenario.h"

namespace fleetsim {

Status FinalizeScenario(Scenario& scenario) {
  Result<Fleet> fleet = Fleet::Build(scenario.fleet_spec);
  if (!fleet.ok()) return fleet.status();
  scenario.fleet = std::make_shared<const Fleet>(std::move(fleet).value());
  if (scenario.targets.empty() || !scenario.targets.front().whole())
    return Status::Error("targets: the first target must be the whole fleet");
  auto targets = std::make_shared<std::vector<FleetTarget>>();
  for (const TargetSpec& spec : scenario.targets) {
    Result<FleetTarget> t = FleetTarget::Build(scenario.fleet, spec);
    if (!t.ok()) return t.status();
    targets->push_back(std::move(t).value());
  }
  scenario.fleet_targets = std::move(targets);
  const auto known = [&](int t) { return t >= 0 && t < static_cast<int>(scenario.targets.size()); };
  if (!known(scenario.changes.config.target))
    return Status::Error("changes.config: unknown target");
  for (const InjectedChange& ic : scenario.changes.injected) {
    if (!ic.fault.empty() && scenario.faults.Find(ic.fault) < 0) {
      return Status::Error("changes.injected: unknown fault '" + ic.fault + "'");
    }
    if (!known(ic.target)) return Status::Error("changes.injected: unknown target");
  }
  return Status::Ok();
}

int AddTarget(Scenario& scenario, const TargetSpec& spec) {
  for (size_t i = 0; i < scenario.targets.size(); ++i) {
    if (scenario.targets[i] == spec) return static_cast<int>(i);
  }
  scenario.targets.push_back(spec);
  return static_cast<int>(scenario.targets.size()) - 1;
}

}  // namespace fleetsim
