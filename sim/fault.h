// FaultProfile and FaultCatalog: what a bad change does to the hosts that run it, as data.
//
// A fault manifests on every host running the change once `onset_delay` has passed since the
// change first reached any host (a timer, a cache expiry, a slow leak crossing a threshold).
// Effects compose: when several faulty changes share a host, each adds its failure probability
// and multiplies latency. The catalog is a weighted list from which a bad change draws its
// fault. Plain value types.
//
// Failure shapes beyond "error rate +x, immediately" (all optional, all off by default, so a
// profile with only the first five fields behaves exactly as it always did). They compose on
// one change; fault_shape.h evaluates them per tick per change (never per host). Their YAML
// keys are listed once, in loader/fault_yaml.cc (FaultKeys()); docs/adding-a-fault-shape.md
// says what to touch for a new one:
//   error_rate_factor  relative increase: affected hosts fail factor x base_error_rate
//   ramp               slow ramp (a leak): the effect grows linearly from 0 to full over `ramp`
//                      after onset
//   flapping           alternating bad (first bad_share of every period) and good
//   request_fraction   only this share of requests (a user segment) is affected
//   regions, clusters  manifests only there
//   min_load           manifests only where the per-host load (requests per host per minute,
//                      diurnal curve and capacity loss included) is at least this
//   trigger            latent until a later change (by label) reaches hosts, or until a time
//   crash_fraction     crash loop: this share of the hosts manifesting it leave service; the
//                      survivors of their cluster take their load (x 1/(1-k))
//   blocks_rollback    hosts manifesting it cannot take the revert: the rollback waits for a
//                      manual repair after a lognormal time (median, sigma)
//   visible_in         metrics the fault shows in (errors, latency); an invisible error still
//                      fails requests (ground truth) but not the error signal checks see
//   service            the service (scenario `services:`) the faulty change runs on; when not
//                      the fleet's own, the fault cascades to the fleet in proportion to the
//                      dependency weights (service_graph.h)
#pragma once

#include <string>
#include <vector>

#include "sim/sim_time.h"

namespace fleetsim {

// Alternating bad/good phases: bad during [0, bad_share x period) of every period counted from
// onset. period == 0: no flapping.
struct FlappingSpec {
  SimTime period;
  double bad_share = 0.5;
  bool enabled() const { return period > SimTime::Zero(); }
  bool operator==(const FlappingSpec&) const = default;
};

// Latent until: the first change labelled `label` (changes.injected[].label) reaches a host,
// and/or the time `at` (both given: whichever comes later). After that the fault's onset clock
// starts (onset_delay). With a label, the effect reaches the share of each cluster the trigger
// change has reached, and ends when the trigger change is rolled back.
struct FaultTrigger {
  std::string label;
  bool has_time = false;
  SimTime at;
  bool enabled() const { return !label.empty() || has_time; }
  bool operator==(const FaultTrigger&) const = default;
};

// Time to repair a host by hand: lognormal with this median and shape.
struct RepairTime {
  SimTime median;
  double sigma = 0;
  bool operator==(const RepairTime&) const = default;
};

struct FaultProfile {
  std::string name;
  double weight = 1.0;               // relative probability of being drawn from the catalog
  double error_rate_increase = 0.0;  // absolute increase of the per-request failure probability
  double latency_factor = 1.0;       // multiplies p99 latency on affected hosts
  SimTime onset_delay;               // time from first exposure until the fault manifests

  // Extended shapes (see the header comment); the defaults switch each one off.
  double error_rate_factor = 1.0;  // relative: failure probability x factor on affected hosts
  SimTime ramp{};                  // zero: full effect from onset
  FlappingSpec flapping{};
  double request_fraction = 1.0;        // share of requests affected
  std::vector<std::string> regions{};   // empty: every region
  std::vector<std::string> clusters{};  // empty: every cluster (of the regions in scope)
  double min_load = 0;                  // requests per host per minute; 0: any load
  FaultTrigger trigger{};
  double crash_fraction = 0;  // share of manifesting hosts that leave service
  bool blocks_rollback = false;
  RepairTime repair{};          // with blocks_rollback
  bool visible_errors = true;   // visible_in contains errors
  bool visible_latency = true;  // visible_in contains latency
  std::string service{};        // empty: the fleet's own service

  // True when the profile uses nothing beyond the original five fields: it equals the default
  // profile once those five are copied over. Derived from every field (the defaulted ==), so
  // a new shape field, whose default switches it off, is covered without touching this.
  bool Plain() const {
    FaultProfile plain;
    plain.name = name;
    plain.weight = weight;
    plain.error_rate_increase = error_rate_increase;
    plain.latency_factor = latency_factor;
    plain.onset_delay = onset_delay;
    return *this == plain;
  }

  bool operator==(const FaultProfile&) const = default;
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
