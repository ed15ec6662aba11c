// Scenario: everything about the world a rollout policy is tested against, as plain data.
//
// Fleet, traffic, signal noise, deploy speed, fault catalog, change streams, people, duration
// and default seed/replicas. loader/scenario_loader.h reads it from YAML; sim/ knows no YAML.
// The policy is referenced (a path, or an inline mapping) but parsed by policies/, which sim/
// does not know. Immutable once loaded; shared by all replicas.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/automation_spec.h"
#include "sim/change_stream.h"
#include "sim/deploy_actuator.h"
#include "sim/fault.h"
#include "sim/fleet.h"
#include "sim/fleet_target.h"
#include "sim/human_model.h"
#include "sim/infrastructure_spec.h"
#include "sim/outage_spec.h"
#include "sim/service_graph.h"
#include "sim/severity.h"
#include "sim/signal_sampler.h"
#include "sim/status.h"
#include "sim/traffic.h"

namespace fleetsim {

// An inline `policy:` mapping as the loader read it (defined in loader/scenario_loader.h);
// sim/ only carries it to whoever parses policies.
struct InlinePolicyNode;

struct PolicyReference {
  std::optional<std::string> path;                      // resolved relative to the scenario file
  std::shared_ptr<const InlinePolicyNode> inline_node;  // set for an inline mapping
  std::string where;  // file:line:col of the `policy:` key, for messages
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
  // Fault model, infrastructure and people (read by loader/fault_yaml.h); each defaults to "off".
  InfrastructureSpec infrastructure;
  AutomationSpec automation;
  SeveritySpec severity;
  ServiceGraphSpec services;
  // With services on the fleet (fleet_spec.services): each one's share of the config changes,
  // in the same order (services: change_share; default its size share).
  std::vector<double> service_change_shares;
  // What changes target (fleet_target.h): [0] is the whole fleet, the rest come from
  // `changes.config.scope` and `changes.injected[].target` (ChangeInfo::target indexes both).
  std::vector<TargetSpec> targets{TargetSpec{}};
  std::shared_ptr<const std::vector<FleetTarget>> fleet_targets;  // built from targets
};

// Index of `spec` in scenario.targets, appended when new.
int AddTarget(Scenario& scenario, const TargetSpec& spec);

// Builds the Fleet (and the targets) of a programmatically assembled scenario and checks cross
// references.
Status FinalizeScenario(Scenario& scenario);

}  // namespace fleetsim
