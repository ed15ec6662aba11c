// ActiveFaults: the faults of the changes in flight in one Simulation — when each begins to
// manifest and where and how strongly it acts this tick.
//
// - Onset: when the first hosts run a bad change its fault's onset clock starts (onset delay,
//   a fixed trigger time), or, for a fault that waits for a labelled change (fault.h:
//   trigger), once the first change of that label is on hosts; it schedules kOnset. A
//   labelled change rolled back off every host ends the impacts it triggered.
// - Conditions (fault_conditions.h): once per tick, before signals are drawn, Update() feeds
//   every active change (slot order) to FaultConditions; ActsIn/EffectIn then answer for slot
//   s in cluster k, cascading_slots() lists the faults of dependency services that reach every
//   host, and HostsOnBoth() places a triggered fault on the hosts running both changes.
//
// Owns the conditions, the record of labels on hosts and its per-tick scratch; borrows the
// scenario, the rollout table, the event queue and the observer. Not thread-safe; its const
// queries may be read concurrently while nothing calls Update().
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/engine_event.h"
#include "sim/fault_conditions.h"
#include "sim/rollout_state.h"
#include "sim/scenario.h"
#include "sim/sim_observer.h"

namespace fleetsim {

class ActiveFaults {
 public:
  ActiveFaults(const Scenario& scenario, RolloutTable& rollouts, EngineQueue& queue,
               SimObserver& observer);

  // The first hosts run r: its fault's onset clock starts (or waits for its trigger), and a
  // labelled r releases the faults waiting for it.
  void BeginExposure(SimTime now, Rollout& r);
  // The labelled change `trigger` is off every host again: the faults it triggered stop
  // manifesting (mitigated by removing the trigger, as Fastly "disabled the configuration").
  void EndTriggeredImpacts(SimTime now, const Rollout& trigger);

  // Once per tick, before the signals: every active change's fault conditions, given each
  // region's requests per host in this tick. True when they apply this tick (shaped_tick()):
  // fault shapes, crash loops or outages need the exact per-cell path.
  bool Update(SimTime now, std::span<const double> region_rate_per_tick);
  bool shaped_tick() const { return shaped_tick_; }
  const FaultConditions& conditions() const { return conditions_; }
  // This tick: the slots of manifesting faults of dependency services (on every host).
  const std::vector<size_t>& cascading_slots() const { return cascading_slots_; }
  // Whether the fault of r (in slot `slot`) acts on r's hosts of `cluster` this tick, and how.
  bool ActsIn(const Rollout& r, size_t slot, size_t cluster) const {
    if (!r.Manifesting()) return false;
    if (!shaped_tick_ || !conditions_.Shaped(r.change->truth.fault)) return true;
    if (conditions_.Cascades(r.change->truth.fault)) return false;  // on every host instead
    return conditions_.Acts(slot, cluster);
  }
  FaultEffect EffectIn(const Rollout& r, size_t slot, size_t cluster) const {
    if (!shaped_tick_ || !conditions_.Shaped(r.change->truth.fault)) return r.effect;
    return conditions_.Effect(slot, cluster);
  }
  // A fault that the labelled change r.trigger_change triggered acts only on the hosts running
  // both changes: appends (cell, hosts running both) for every such cell, cluster by cluster.
  // O(cells r covers).
  void HostsOnBoth(SimTime now, const Rollout& r,
                   std::vector<std::pair<int32_t, int64_t>>& cells) const;

 private:
  void StartOnsetClock(SimTime now, Rollout& r);
  void ReleaseTriggers(SimTime now, const Rollout& trigger);

  const Scenario& scenario_;
  const Fleet& fleet_;
  RolloutTable& rollouts_;
  EngineQueue& queue_;
  SimObserver& observer_;
  FaultConditions conditions_;
  bool shaped_tick_ = false;                                     // conditions_ apply this tick
  std::vector<std::pair<std::string, int64_t>> started_labels_;  // first change of each label
  std::vector<FaultConditions::ActiveFault> slots_;              // this tick, per slot
  std::vector<size_t> cascading_slots_;
  std::vector<double> per_minute_;  // this tick, per region: requests per host and minute
};

}  // namespace fleetsim
