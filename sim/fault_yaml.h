// YAML reading of the fault model, infrastructure and people: the keys of faults[] beyond the
// original five, changes.injected[].bypass, and the scenario blocks `infrastructure:`,
// `automation:`, `severity:`, `services:` and the extra keys of `humans:`.
//
// Called from scenario_loader.cc; same conventions (yaml_reader.h): every error names
// file:line:col and what was expected, unknown keys are errors. Region and cluster names are
// checked against the already parsed fleet; references to changes (trigger labels) and
// services are checked by CheckFaultReferences once the whole scenario is read.
#pragma once

#include "sim/automation_spec.h"
#include "sim/change_stream.h"
#include "sim/fault.h"
#include "sim/fleet.h"
#include "sim/human_model.h"
#include "sim/infrastructure_spec.h"
#include "sim/service_graph.h"
#include "sim/severity.h"
#include "sim/yaml_reader.h"

namespace fleetsim {

// Reads the extended keys of one faults[] entry into `f` (the caller reads the original five
// and calls m.Finish()). Returns the nodes needed for later cross checks.
struct FaultReferenceNodes {
  std::optional<ConfigNode> trigger_label;
  std::optional<ConfigNode> service;
};
FaultReferenceNodes ParseFaultShape(YamlMap& m, const FleetSpec& fleet, FaultProfile& f);

// changes.injected[].bypass: {propagation: 30s, regions: {asia: 2m}}.
BypassSpec ParseBypass(const ConfigNode& node, const FleetSpec& fleet);

InfrastructureSpec ParseInfrastructure(const ConfigNode& node, const FleetSpec& fleet);
AutomationSpec ParseAutomation(const ConfigNode& node);
SeveritySpec ParseSeverity(const ConfigNode& node);
ServiceGraphSpec ParseServices(const ConfigNode& node);

// humans.misdiagnosis and humans.mitigation.
void ParseHumanExtensions(YamlMap& m, HumanSpec& h);

// Trigger labels must name an injected change; fault services must exist in `services`.
void CheckFaultReferences(const std::vector<FaultReferenceNodes>& nodes,
                          const FaultCatalog& catalog, const ChangeStreamsSpec& changes,
                          const ServiceGraphSpec& services);

}  // namespace fleetsim
