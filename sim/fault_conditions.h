// FaultConditions: per tick, where and how strongly each active change's fault acts, and the
// per-host load of every cluster's serving hosts (capacity loss from crash loops and outages).
//
// Owned by one Simulation; Update() once per tick before signals are sampled. Cost per tick
// O(active changes x clusters), and nothing at all when the scenario uses no fault shape and no
// infrastructure outage (enabled() is false): then the engine keeps its original paths.
//
// Load: a cluster in an outage serves nothing; its hosts' traffic is spread over the hosts of
// the clusters that are up (factor G = hosts / hosts up). Within a cluster, hosts in a crash
// loop (crash_fraction x intensity of the hosts running the change there) serve nothing and the
// survivors take their load: LoadFactor(k) = G x H_k / (H_k - crashed_k). Hosts running a
// crashing change serve ServingShare = 1 - crash_fraction x intensity of their requests.
// A cascading fault (Cascades) acts on every host of a cluster, not only on the change's hosts;
// its cost is O(cells) per tick per cascading change.
#pragma once

#include <span>
#include <vector>

#include "sim/deploy_actuator.h"
#include "sim/fault_shape.h"
#include "sim/fleet_target.h"
#include "sim/scenario.h"

namespace fleetsim {

class FaultConditions {
 public:
  FaultConditions(const Scenario& scenario, const Fleet& fleet);

  bool enabled() const { return enabled_; }
  bool Shaped(int fault) const { return fault >= 0 && shaped_[static_cast<size_t>(fault)]; }
  const FaultShape& shape(int fault) const { return shapes_[static_cast<size_t>(fault)]; }
  // The fault sits on another service than the fleet's and reaches every fleet host through
  // the dependency graph (service_graph.h): its effect in cluster k is that of intensity x
  // scope x (share of cluster k running the change) x CascadeWeight(its service, the fleet's).
  bool Cascades(int fault) const {
    return fault >= 0 && cascade_weight_[static_cast<size_t>(fault)] >= 0;
  }

  // One active change, as the engine sees it this tick.
  struct ActiveFault {
    int fault = -1;            // catalog index; -1 (good) or a plain fault: not handled here
    bool manifesting = false;  // onset passed and not yet mitigated
    SimTime onset;             // when it began to manifest
    const ExposureMotion* motion = nullptr;  // in its target's clusters
    const FleetTarget* target = nullptr;
    bool has_trigger = false;                 // the fault waits for a labelled change
    const ExposureMotion* trigger = nullptr;  // that change's exposure; null: not on hosts
    const FleetTarget* trigger_target = nullptr;
  };

  void Update(SimTime now, std::span<const ActiveFault> slots,
              std::span<const double> region_rate_per_minute);

  // Valid after Update for shaped, manifesting slots.
  const FaultEffect& Effect(size_t slot, size_t cluster) const {
    return effect_[slot * clusters_ + cluster];
  }
  bool Acts(size_t slot, size_t cluster) const { return acts_[slot * clusters_ + cluster] != 0; }
  double ServingShare(size_t slot, size_t cluster) const {
    return serving_[slot * clusters_ + cluster];
  }
  double LoadFactor(size_t cluster) const { return load_[cluster]; }
  bool Down(size_t cluster) const { return load_[cluster] == 0; }
  bool any_crash() const { return any_crash_; }

 private:
  const Scenario* scenario_;
  const Fleet* fleet_;
  bool enabled_ = false;
  size_t clusters_ = 0;
  std::vector<FaultShape> shapes_;
  std::vector<uint8_t> shaped_;
  std::vector<double> cascade_weight_;  // per fault; -1: the fault is on the fleet's own service
  std::vector<std::vector<size_t>> outage_clusters_;  // per infrastructure outage
  std::vector<FaultEffect> effect_;
  std::vector<uint8_t> acts_;
  std::vector<double> serving_;
  std::vector<double>
      share_;  // scope x intensity (x trigger share for a cascade), before the load gate
  std::vector<double> load_;
  std::vector<double> crashed_;
  bool any_crash_ = false;
};

}  // namespace fleetsim
