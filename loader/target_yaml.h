// YAML reading of what a change targets (sim/fleet_target.h): `changes.config.scope` (every
// change of the stream) and `changes.injected[].target` (one change), each a mapping
//   {regions: [us-east, eu-west], clusters: [us-east-c1]}
// or {service: web, regions: [eu-west]} on a fleet that runs services (service_yaml.h). Every
// key is optional: the service's clusters (every service's when none), of the regions listed
// (all regions when none), restricted to the clusters listed (all when none). Names are checked
// against the parsed fleet, and a target that holds no cluster is an error; each at file:line:col.
// Pure function; throws ConfigError.
#pragma once

#include <string>

#include "loader/yaml_reader.h"
#include "sim/fleet.h"
#include "sim/fleet_target.h"

namespace fleetsim {

TargetSpec ParseTarget(const ConfigNode& node, const FleetSpec& fleet, const std::string& what);

// Whether `spec` holds some cluster of `fleet` (running `service`, when not null).
bool TargetHoldsSomething(const TargetSpec& spec, const FleetSpec& fleet,
                          const FleetServiceSpec* service);

}  // namespace fleetsim
