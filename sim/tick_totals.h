// CellTotals and TickTotals: what one tick's signal sampling adds up.
//
// CellTotals is a window plus the requests faults failed in it (ground truth). TickTotals is
// the tick's accumulator, shared by every sampling path (tick_sampler.h cell by cell,
// cluster_sampler.h run by run): the fleet-wide and per-group windows (the control groups
// are these minus a change's canary), per change in flight ("slot", an index into the active
// list) its ground truth and the part of its canary that is drawn directly (cells or runs it
// splits; its whole cells come from prefix sums, canary_sums.h), and the regions where a
// change's fault showed for the first time (reported once the sampling is over, in the order
// they were found, so that the sampling stages themselves have no side effects).
//
// Plain data; owned by the TickSampler, reset at the start of every tick.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/health_policy.h"
#include "sim/sim_observer.h"

namespace fleetsim {

struct CellTotals {
  SignalWindow window;
  int64_t fault_errors = 0;
  void Add(const CellTotals& o) {
    window.Add(o.window);
    fault_errors += o.fault_errors;
  }
  void Subtract(const CellTotals& o) {
    window.Subtract(o.window);
    fault_errors -= o.fault_errors;
  }
};

struct TickTotals {
  SignalWindow fleet;
  int64_t fleet_fault_errors = 0;
  std::vector<SignalWindow> group;          // per evaluation group (region or cluster)
  std::vector<int64_t> group_fault_errors;  // per group: the requests faults failed there
  std::vector<ChangeTickSample> samples;    // per slot: ground truth, reported by OnTick
  std::vector<SignalWindow> canary;         // per slot: canary drawn directly (partial cells, runs)
  std::vector<int64_t> canary_fault_errors;
  // [slot * group_stride + group]; group_stride is 0 (and this empty) while no change in
  // flight reads per-group windows: O(active x groups) per tick otherwise wasted.
  std::vector<SignalWindow> canary_by_group;
  size_t group_stride = 0;
  // (slot, region): the change's fault showed in the region for the first time, in order.
  std::vector<std::pair<int32_t, int32_t>> first_impacts;

  void Reset(size_t slots, size_t groups, bool per_group_canaries) {
    fleet = SignalWindow{};
    fleet_fault_errors = 0;
    samples.assign(slots, ChangeTickSample{});
    canary.assign(slots, SignalWindow{});
    canary_fault_errors.assign(slots, 0);
    group_stride = per_group_canaries ? groups : 0;
    canary_by_group.assign(slots * group_stride, SignalWindow{});
    group.assign(groups, SignalWindow{});
    group_fault_errors.assign(groups, 0);
    first_impacts.clear();
  }
  // Adds w to the fleet-wide and group windows.
  void AddFleet(const SignalWindow& w, int group_index) {
    fleet.Add(w);
    group[static_cast<size_t>(group_index)].Add(w);
  }
  // Adds requests faults failed in group `group_index` to the fleet's and the group's.
  void AddFleetFaults(int64_t errors, int group_index) {
    fleet_fault_errors += errors;
    group_fault_errors[static_cast<size_t>(group_index)] += errors;
  }
  // Adds a directly drawn part of slot s's canary (in group g).
  void AddCanary(size_t s, int g, const CellTotals& part) {
    canary[s].Add(part.window);
    canary_fault_errors[s] += part.fault_errors;
    if (group_stride) canary_by_group[s * group_stride + static_cast<size_t>(g)].Add(part.window);
  }
  // Slot s's fault showed in `region`, which its change had not seen impacted before this tick.
  void NoteImpact(int32_t s, int32_t region) {
    for (const auto& [slot, r] : first_impacts) {
      if (slot == s && r == region) return;
    }
    first_impacts.emplace_back(s, region);
  }
};

}  // namespace fleetsim
