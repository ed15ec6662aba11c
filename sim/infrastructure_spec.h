// InfrastructureSpec: what the infrastructure does to a rollout, independent of any change.
//
// - outages: a region or a cluster goes down at `at` and recovers after `for`. Its hosts serve
//   nothing meanwhile; their traffic is carried by the rest of the fleet (the load on every
//   other host rises by total / serving hosts), which load-dependent faults see.
// - unreachable_hosts: a share of the hosts the deploy system cannot reach: their updates fail
//   (they count against the phase's fault tolerance, deploy_spec.h) and they keep the old version.
//   Modelled as an extra, independent failure probability u of every host update (each host
//   is updated once per rollout, so the count of unreachable hosts met is Binomial(n, u)).
// - propagation_delay: config distribution lag per region; a region not listed gets `default`.
//   A config change placed on hosts by its rollout policy reaches a region's hosts that delay
//   after the deploy system pushes it, and so does its rollback (or kill switch): the hosts of
//   the region run the pushed exposure path shifted by the delay (exposure_motion.h). The
//   policy sees its own push (a step is reached when the push is done, bakes count from then);
//   exposure, signals, impact, regions and lead time follow the hosts. Feature flags (their own
//   `propagation`), bypass pushes (`bypass.regions`) and code releases are not delayed.
// Plain value types; everything defaults to "no such effect".
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/sim_time.h"

namespace fleetsim {

struct InfraOutage {
  std::string region;  // exactly one of region / cluster is set
  std::string cluster;
  SimTime at;
  SimTime duration;  // `for:` in YAML
};

struct PropagationDelay {
  SimTime default_delay;
  std::vector<std::pair<std::string, SimTime>> regions;  // in file order

  SimTime ForRegion(const std::string& region) const {
    for (const auto& [name, delay] : regions) {
      if (name == region) return delay;
    }
    return default_delay;
  }
  bool enabled() const { return default_delay > SimTime::Zero() || !regions.empty(); }
};

struct InfrastructureSpec {
  std::vector<InfraOutage> outages;
  double unreachable_hosts = 0;  // share of hosts that cannot be updated
  PropagationDelay propagation_delay;
};

}  // namespace fleetsim
