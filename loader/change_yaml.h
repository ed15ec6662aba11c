// YAML reading of a scenario's `changes:` block: Poisson config changes (`config:`), one-off
// injected changes (`injected:`, with an optional bypass push, fault_yaml.h) and the code commit
// stream (`commits:`, sim/commit_stream.h). What changes target (`config.scope`,
// `injected[].target`, target_yaml.h) is added to the scenario's targets. Fault names are checked
// against the catalog and injection times against the scenario's duration. Errors name
// file:line:col and what was expected (yaml_reader.h). Pure function; throws ConfigError.
#pragma once

#include "loader/yaml_reader.h"
#include "sim/change_stream.h"
#include "sim/fault.h"
#include "sim/fleet.h"
#include "sim/scenario.h"
#include "sim/sim_time.h"

namespace fleetsim {

ChangeStreamsSpec ParseChanges(const ConfigNode& node, const FaultCatalog& catalog,
                               SimTime duration, const FleetSpec& fleet, Scenario& scenario);

}  // namespace fleetsim
