// FaultProfile and FaultCatalog: what a bad change does to the hosts that run it, as data.
//
// A fault manifests on every host running the change once `onset_delay` has passed since the
// change first reached any host (a timer, a cache expiry, a slow leak crossing a threshold).
// Effects compose: when several faulty changes share a host, each adds its failure probability
// and multiplies latency. The catalog is a weighted list from which a bad change draws its
// fault. Plain value types.
#pragma once

#include <string>
#include <vector>

#include "sim/sim_time.h"

namespace fleetsim {

struct FaultProfile {
  std::string name;
  double weight = 1.0;               // relative probability of being drawn from the catalog
  double error_rate_increase = 0.0;  // absolute increase of the per-request failure probability
  double latency_factor = 1.0;       // multiplies p99 latency on affected hosts
  SimTime onset_delay;               // time from first exposure until the fault manifests
};

struct FaultCatalog {
  std::vector<FaultProfile> faults;

  // Index of the fault named `name`, or -1.
  int Find(const std::string& name) const {
    for (size_t i = 0; i < faults.size(); ++i) {
      if (faults[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }
};

}  // namespace fleetsim
