// Change streams: the config changes (and, later, commits) that arrive during one replica.
//
// Config changes arrive as a Poisson process with `per_day` mean rate; each is bad with
// probability `bad_fraction`, drawing its fault from the catalog by weight (or from
// `fault_names` only, if given). One-off injected changes (a scenario's "at 2h, this fault")
// are merged in by time. Everything is drawn from keyed streams, so the list depends only on
// (seed, replica) and is the same for every policy: that is what makes `compare` paired.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/change.h"
#include "sim/commit_stream.h"
#include "sim/fault.h"

namespace fleetsim {

struct ConfigStreamSpec {
  double per_day = 0;                    // mean arrivals per simulated day; 0 = no stream
  double bad_fraction = 0;               // probability that a change is bad
  std::vector<std::string> fault_names;  // faults bad changes draw from; empty = whole catalog
  int target = 0;  // what every change of the stream targets (Scenario::targets; `scope:`)
  // With services on the fleet: each change targets one of these (Scenario::targets, each a
  // service within `target`'s scope), drawn with these weights from its ChangeService stream.
  std::vector<int> service_targets;
  std::vector<double> service_weights;
};

// A push that bypasses the rollout policy (an emergency path, a global config system): every
// host of a region takes the change `propagation` after it is submitted (a region listed in
// `regions` after its own delay), and no automated health check judges it.
struct BypassSpec {
  bool enabled = false;
  SimTime propagation;
  std::vector<std::pair<std::string, SimTime>> regions;  // per-region propagation, file order
};

struct InjectedChange {
  SimTime at;
  std::string fault;  // empty = a good change
  std::string label;
  BypassSpec bypass;
  int target = 0;  // what it targets (Scenario::targets; `target:`)
};

struct ChangeStreamsSpec {
  ConfigStreamSpec config;
  std::vector<InjectedChange> injected;
  CommitStreamSpec commits;  // code commits (commit_stream.h); per_day 0 = none
};

// Generates the changes arriving in [0, duration), sorted by arrival (ties: injected first,
// then stream order), with dense ids. Injected fault names must exist in `catalog`.
std::vector<Change> GenerateChanges(const ChangeStreamsSpec& spec, const FaultCatalog& catalog,
                                    SimTime duration, uint64_t seed, uint32_t replica);

}  // namespace fleetsim
