// YAML reading of the fault model: the scenario blocks `faults:` (every key of a fault
// profile, the original five and the shapes) and `infrastructure:` (services: service_yaml.h),
// and
// changes.injected[].bypass.
//
// Same conventions as the rest of the loader (yaml_reader.h): every error names file:line:col
// and what was expected, unknown keys are errors. Region and cluster names are checked against
// the already parsed fleet; references to changes (trigger labels) and services are checked by
// CheckFaultReferences once the whole scenario is read. Pure functions; throw ConfigError.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "loader/yaml_reader.h"
#include "sim/change_stream.h"
#include "sim/fault.h"
#include "sim/fleet.h"
#include "sim/infrastructure_spec.h"
#include "sim/service_graph.h"

namespace fleetsim {

// Where a fault names something defined later in the file, for CheckFaultReferences.
struct FaultReferenceNodes {
  std::optional<ConfigNode> trigger_label;
  std::optional<ConfigNode> service;
};

struct FaultKeyReader;  // loader/fault_yaml.cc

// One key of a faults[] entry. FaultKeys() is the single list of them: ParseFaults reads
// exactly these (anything else is an unknown-key error), and the tests hold the README's fault
// example, sim/fault.h's list of shapes and FaultProfile::Plain() to it.
struct FaultKey {
  const char* key;
  // Beyond the original five (name, weight, error_rate_increase, latency_factor,
  // onset_delay): a shape, which any non-default value turns on (FaultProfile::Plain() false).
  bool shape;
  const char* example;  // a valid non-default value in YAML flow syntax, for the tests
  void (*read)(FaultKeyReader& reader);  // reads the key (or leaves the default) and checks it
};

// Every faults[] key, in reading order.
std::span<const FaultKey> FaultKeys();

// The `faults:` list; one entry of `refs` per fault, in order.
FaultCatalog ParseFaults(const ConfigNode& node, const FleetSpec& fleet,
                         std::vector<FaultReferenceNodes>& refs);

// changes.injected[].bypass: {propagation: 30s, regions: {asia: 2m}}.
BypassSpec ParseBypass(const ConfigNode& node, const FleetSpec& fleet);

InfrastructureSpec ParseInfrastructure(const ConfigNode& node, const FleetSpec& fleet);

// Trigger labels must name an injected change; fault services must exist in `services`.
void CheckFaultReferences(const std::vector<FaultReferenceNodes>& nodes,
                          const FaultCatalog& catalog, const ChangeStreamsSpec& changes,
                          const ServiceGraphSpec& services, bool services_on_fleet);

}  // namespace fleetsim
