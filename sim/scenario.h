// Scenario: everything about the world a rollout policy is tested against, loaded from YAML.
//
// Fleet, traffic, signal noise, deploy speed, fault catalog, change streams, people, duration
// and default seed/replicas. The policy is referenced (a path, or an inline mapping) but parsed
// by policies/, which sim/ does not know. Immutable once loaded; shared by all replicas.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/automation_spec.h"
#include "sim/change_stream.h"
#include "sim/deploy_actuator.h"
#include "sim/fault.h"
#include "sim/fleet.h"
#include "sim/human_model.h"
#include "sim/infrastructure_spec.h"
#include "sim/outage_spec.h"
#include "sim/service_graph.h"
#include "sim/severity.h"
#include "sim/signal_sampler.h"
#include "sim/status.h"
#include "sim/traffic.h"

namespace fleetsim {

struct PolicyReference {
  std::optional<std::string> path;  // resolved relative to the scenario file's directory
  std::optional<YAML::Node> inline_node;
  std::shared_ptr<const std::string> inline_file;  // file holding the inline node
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;  // where it was loaded from ("" for programmatic scenarios)
  SimTime duration = SimTime::Days(1);
  SimTime tick = SimTime::Minutes(1);
  uint64_t seed = 1;
  int replicas = 1;

  FleetSpec fleet_spec;
  std::shared_ptr<const Fleet> fleet;  // built from fleet_spec
  TrafficSpec traffic;
  SignalSpec signals;
  DeploySpec deploy;
  FaultCatalog faults;
  ChangeStreamsSpec changes;
  HumanSpec humans;
  PolicyReference policy;
  std::optional<OutageSpec> outage;  // a past outage this scenario reproduces (outage_spec.h)
  // Fault model, infrastructure and people (fault_yaml.h); each defaults to "off".
  InfrastructureSpec infrastructure;
  AutomationSpec automation;
  SeveritySpec severity;
  ServiceGraphSpec services;
};

// Loads and validates a scenario file. Errors name file:line:col and what was expected.
Result<Scenario> LoadScenario(const std::string& path);

// Same, from YAML text; `file` is the name used in messages and to resolve relative paths.
Result<Scenario> ParseScenario(const std::string& yaml_text, const std::string& file);

// Builds the Fleet of a programmatically assembled scenario and checks cross references.
Status FinalizeScenario(Scenario& scenario);

}  // namespace fleetsim
