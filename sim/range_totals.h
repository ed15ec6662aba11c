// RangeTotals: what the per-cell sweep of one range of cells adds to the tick's TickTotals,
// kept apart so that ranges can be swept in parallel and merged in range order (tick_sampler.h).
//
// The ranges are runs of whole evaluation groups (cell_ranges.h), so the per-group windows and
// fault counts (and the columns, which are per group) of a range are its own: they are written
// straight into the shared TickTotals. What several ranges add to — the fleet window and, per
// change in flight, its ground truth, directly drawn canary parts and first impacts — is kept
// here and added by MergeInto, in range order: the canary parts and impacts then arrive in the
// same order as a serial sweep's, the fleet window in a fixed order whatever the thread count.
//
// Plain data, one per range, owned by the TickSampler; Clear() at the start of every tick.
// Costs O(entries the range's cells hold), never O(changes in flight) per range.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/tick_totals.h"

namespace fleetsim {

class RangeTotals {
 public:
  // Writes group-level sums into `shared` (whose groups this range alone touches).
  void Clear(TickTotals& shared) {
    shared_ = &shared;
    fleet_ = SignalWindow{};
    fleet_fault_errors_ = 0;
    canary_.clear();
    samples_.clear();
    impacts_.clear();
  }
  void AddFleet(const SignalWindow& w, int group) {
    fleet_.Add(w);
    shared_->group[static_cast<size_t>(group)].Add(w);
  }
  void AddFleetFaults(int64_t errors, int group) {
    fleet_fault_errors_ += errors;
    shared_->group_fault_errors[static_cast<size_t>(group)] += errors;
  }
  void AddCanary(size_t slot, int group, const CellTotals& part) {
    canary_.push_back(CanaryPart{static_cast<int32_t>(slot), group, part});
  }
  // Ground truth of `slot`: a cohort of `hosts` hosts where its fault manifests.
  void AddManifesting(int32_t slot, int64_t fault_errors, int64_t hosts, int64_t requests) {
    samples_.push_back(SamplePart{slot, fault_errors, hosts, requests});
  }
  void NoteImpact(int32_t slot, int32_t region) {
    for (const auto& [s, r] : impacts_) {
      if (s == slot && r == region) return;
    }
    impacts_.emplace_back(slot, region);
  }

  // Adds what only this range holds to `out` (the TickTotals given to Clear).
  void MergeInto(TickTotals& out) const {
    out.fleet.Add(fleet_);
    out.fleet_fault_errors += fleet_fault_errors_;
    for (const CanaryPart& p : canary_) out.AddCanary(static_cast<size_t>(p.slot), p.group, p.part);
    for (const SamplePart& p : samples_) {
      ChangeTickSample& sample = out.samples[static_cast<size_t>(p.slot)];
      sample.fault_errors += p.fault_errors;
      sample.manifesting_hosts += p.hosts;
      sample.manifesting_requests += p.requests;
    }
    for (const auto& [slot, region] : impacts_) out.NoteImpact(slot, region);
  }

 private:
  struct CanaryPart {
    int32_t slot;
    int group;
    CellTotals part;
  };
  struct SamplePart {
    int32_t slot;
    int64_t fault_errors, hosts, requests;
  };
  TickTotals* shared_ = nullptr;
  SignalWindow fleet_;
  int64_t fleet_fault_errors_ = 0;
  std::vector<CanaryPart> canary_;
  std::vector<SamplePart> samples_;
  std::vector<std::pair<int32_t, int32_t>> impacts_;
};

}  // namespace fleetsim
