// ClusterSampler: the aggregated path of the per-tick signal sweep (tick_sampler.h).
//
// When no per-(cell, minute) randomness exists (SignalSpec::AggregationExact) the cells need
// not be drawn one by one: every cluster is cut at the boundaries of the changes' host ranges
// and each run of hosts with the same changes is drawn at once. Poisson splitting: a run's base
// errors, each manifesting fault's errors and its successes are independent Poisson counts
// whose means sum the cells' host x error-probability products (per-cluster prefix sums over
// host positions, built once per run). A change's canary is a range of runs, summed from a
// running prefix of the run totals. O(clusters + active changes x their clusters) per tick,
// independent of the cell count.
//
// Owns the host-position sums and its scratch; reads the rollout table and the cell profiles
// (owned by the TickSampler) and adds into the tick's TickTotals. Not thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/fleet.h"
#include "sim/health_evaluator.h"
#include "sim/rollout_state.h"
#include "sim/signal_sampler.h"
#include "sim/tick_totals.h"

namespace fleetsim {

class ClusterSampler {
 public:
  ClusterSampler(const Fleet& fleet, const SignalSpec& spec, uint64_t seed, uint32_t replica,
                 const HealthEvaluator& groups);

  // Once per run: the per-cluster prefix sums of hosts and of hosts x error probability.
  void Start(std::span<const CellProfile> profiles);
  // Draws tick `tick` (ending at `now`) for the active changes of `rollouts`, with `region_rate`
  // requests per host in the tick, into `out` (its windows, samples, directly drawn canaries,
  // impacts).
  void Sample(SimTime now, int64_t tick, const RolloutTable& rollouts,
              std::span<const double> region_rate, TickTotals& out);

 private:
  // Where a change's host range starts (+1) or ends (-1) in a cluster, packed into one key that
  // sorts by (position, slot, ends before starts): position < 2^40, slot < 2^23.
  struct Boundary {
    uint64_t key;
    static Boundary Make(int64_t position, int32_t slot, int delta) {
      return Boundary{(static_cast<uint64_t>(position) << 24) | (static_cast<uint64_t>(slot) << 1) |
                      (delta > 0 ? 1u : 0u)};
    }
    int64_t position() const { return static_cast<int64_t>(key >> 24); }
    int32_t slot() const { return static_cast<int32_t>((key >> 1) & 0x7fffff); }
    int delta() const { return (key & 1) ? +1 : -1; }
    bool operator<(const Boundary& o) const { return key < o.key; }
  };
  // bounds_ = the boundaries of every (non-flag) active change's host range in cluster k,
  // sorted.
  void CollectBoundaries(SimTime now, size_t k, const RolloutTable& rollouts);
  // Draws the runs of cluster k (tick `tick`, `rate` requests per host): windows, faults'
  // ground truth and first impacts into `out`, the runs' running totals into run_prefix_ and
  // the run at which each boundary applies into bound_run_.
  void SampleRuns(int64_t tick, size_t k, double rate, const RolloutTable& rollouts,
                  TickTotals& out);
  // Adds each change's canary runs in cluster k (summed from run_prefix_) to `out`.
  void AddCanaries(size_t k, size_t n_active, TickTotals& out);

  const Fleet& fleet_;
  double latency_p99_ms_;
  uint64_t seed_;
  uint32_t replica_;
  const HealthEvaluator& groups_;
  std::span<const CellProfile> profiles_;
  std::vector<int64_t> position_hosts_;  // per cluster k at first_cell + k: hosts before bucket j
  std::vector<double> position_error_;   // same layout: sum of hosts x error probability
  std::vector<Boundary> bounds_;
  std::vector<int32_t> covering_;       // the manifesting changes over the current run, ascending
  std::vector<int32_t> open_run_;       // per slot: the run its current interval began at
  std::vector<int32_t> bound_run_;      // per boundary: the run at which it applies
  std::vector<CellTotals> run_prefix_;  // totals of a cluster's runs so far
  std::vector<int64_t> fault_errors_;   // per covering change: its errors in the current run
};

}  // namespace fleetsim
