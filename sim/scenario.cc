// FinalizeScenario: the checks and the built Fleet that every scenario needs, however it was
// assembled (by loader/scenario_loader.h or by code).
#include "sim/scenario.h"

namespace fleetsim {

Status FinalizeScenario(Scenario& scenario) {
  Result<Fleet> fleet = Fleet::Build(scenario.fleet_spec);
  if (!fleet.ok()) return fleet.status();
  scenario.fleet = std::make_shared<const Fleet>(std::move(fleet).value());
  for (const InjectedChange& ic : scenario.changes.injected) {
    if (!ic.fault.empty() && scenario.faults.Find(ic.fault) < 0) {
      return Status::Error("changes.injected: unknown fault '" + ic.fault + "'");
    }
  }
  return Status::Ok();
}

}  // namespace fleetsim
