// Helpers for rollout kinds whose steps target parts of the fleet (rings, rcv): a Scope names
// regions and/or clusters (or "*" for everything) and resolves to a per-cluster mask on a
// concrete Fleet. Scopes are parsed from policy YAML without a fleet; names are checked against
// the scenario's fleet by RolloutPolicy::Validate before a run.
#pragma once

#include <string>
#include <vector>

#include "loader/yaml_reader.h"
#include "sim/fleet.h"
#include "sim/status.h"

namespace fleetsim {

struct Scope {
  bool everything = false;
  std::vector<std::string> regions;
  std::vector<std::string> clusters;
  // Names may be regions or clusters (Conveyor's "scope"): each must match one or the other.
  bool lenient = false;
  // `regions: {smallest: N}`: the N regions with the fewest hosts (ties in fleet order), so a
  // policy can say "start with a small region" without naming one (Azure SDP's canary/pilot).
  int smallest_regions = 0;

  // Reads `regions:` / `clusters:` from `m` (either may be "*" or a list of names; regions may
  // also be {smallest: N}); neither given means everything.
  static Scope Parse(YamlMap& m);
  Status Validate(const Fleet& fleet) const;
  // 1 for every cluster in scope, 0 otherwise.
  std::vector<double> Mask(const Fleet& fleet) const;
  std::string Describe() const;
};

}  // namespace fleetsim
