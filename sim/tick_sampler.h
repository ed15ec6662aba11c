// TickSampler: the per-tick signal sweep of one Simulation (DESIGN §4.3-4.5).
//
// Every tick it draws the signals of every cohort (the hosts of a cell that run the same
// changes) from their exact aggregate distributions (signal_sampler.h), adds them up into the
// fleet, its evaluation groups and each change's canary and control, records those windows
// for health evaluation (health_evaluator.h), reports the tick's ground truth (OnTick,
// OnRegionImpacted) and leaves the fleet-wide window for the global alert. A tick is, in order:
//
//   BeginTick   each region's traffic rate in this tick (then the Simulation updates the
//               fault conditions, active_faults.h, which read it)
//   Sample:
//    path       cell by cell, or the aggregated per-cluster path (cluster_sampler.h) when that
//               is exact and cheaper
//    1. place   where every active change runs (Placement), and an entry per cell for the
//               changes that split it or whose fault acts on it (the placement index)
//    2. cells   every cohort of every cell (SampleCells: a stage over a range of cells);
//               2a. plain cells summed by column (region x bucket) drawn per column;
//               2b. feature flags whose fault manifests, thinned cell by cell
//    impacts    the regions where a fault showed first reported (OnRegionImpacted)
//    3. canary  each change's canary = its directly drawn part + its whole cells from prefix
//               sums (canary_sums.h); control = its target (the fleet, or the groups or
//               clusters of a scoped change, fleet_target.h) minus canary, per group too;
//               3xx/4xx mix; recorded for health evaluation; OnTick
//
// A scoped change's placement is computed on its target's view and kept in fleet cells; while
// one is in flight the per-cell path is taken (the cluster runs know no targets).
//
// Cost per tick O(cells + active changes x clusters) on the per-cell path (O(columns) draws
// for plain cells when they can be summed), O(clusters + active x clusters) on the aggregated
// one; never O(hosts), never O(cells x changes).
//
// Owns the signal sampler, the cell profiles, the traffic rates, the regions' incident counts
// and every per-tick buffer (placement index, cell and column totals, the tick's TickTotals);
// borrows the scenario, the traffic model, the rollout table (it updates placements, ground
// truth and health windows), the fault conditions, the health evaluator and the observer.
// Not thread-safe itself; within Sample the cell ranges are swept in parallel on the calling
// TBB arena (SampleCells is const apart from its explicit, per-range outputs).
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "sim/active_faults.h"
#include "sim/canary_sums.h"
#include "sim/cell_ranges.h"
#include "sim/cluster_sampler.h"
#include "sim/health_evaluator.h"
#include "sim/mixed_binomial_cache.h"
#include "sim/range_totals.h"
#include "sim/rollout_state.h"
#include "sim/scenario.h"
#include "sim/signal_sampler.h"
#include "sim/sim_observer.h"
#include "sim/tick_totals.h"
#include "sim/traffic.h"

namespace fleetsim {

class TickSampler {
 public:
  TickSampler(const Scenario& scenario, uint64_t seed, uint32_t replica, SimTime max_lag,
              const TrafficModel& traffic, RolloutTable& rollouts, const ActiveFaults& faults,
              const HealthEvaluator& health, SimObserver& observer);

  // Once, when the run starts: the replica's cell profiles and the per-run sums.
  void Start();
  // Each region's requests per host in the tick ending at `now`.
  void BeginTick(SimTime now);
  std::span<const double> region_rates() const { return region_rate_; }
  // The sweep of tick number `tick` (ending at `now`), after BeginTick and the fault update.
  void Sample(SimTime now, int64_t tick);
  // This tick's fleet-wide window (for the global alert).
  const SignalWindow& fleet_window() const { return totals_.fleet; }
  // Per region: its failure history plus the incidents of this run (a change's fault showing
  // there for the first time), read by rollout policies that pick regions.
  const std::vector<int64_t>& region_incidents() const { return region_incidents_; }

 private:
  // A change in a cell: the first `exposed` hosts of the cell run it.
  struct CellEntry {
    int64_t exposed;
    int32_t slot;              // index into the active list
    bool partial;              // the change's boundary cell (its canary share is taken here)
    bool bounds_fault = true;  // its fault acts on these `exposed` hosts (if it manifests)
  };
  struct CellTriple {
    int32_t cell;
    CellEntry entry;
  };
  // Scratch of the per-cell stage (one per range of cells).
  struct CellScratch {
    std::vector<FaultEffect> faults;  // of the current cohort, with their slots
    std::vector<int32_t> fault_slots;
    std::vector<int64_t> fault_errors;
    std::vector<int32_t> manifesting;   // entries of the cell whose fault acts there
    std::vector<uint32_t> noise_words;  // the range's CellNoise words (table draws)
  };
  // Plain cells summed by column (region x bucket): their means and hosts.
  struct ColumnSums {
    std::vector<CohortMeans> means;
    std::vector<int64_t> hosts;
  };

  bool PerCellPath() const;
  // A cell's requests per host in this tick.
  double RateOf(const Cell& cell) const;
  // With `requests: expected`: per plain cell, the table its errors are drawn from (or none).
  // (Each range's runs found in parallel, the cache noted serially in cell order; the range's
  // cells get their tables from FillCellTables, within the parallel sweep.)
  void AssignCellTables();
  struct TableRun {
    size_t first, last;  // cells [first, last) of one cluster
    int64_t n;           // requests per cell
    double mu;           // error probability
    const MixedBinomialTable* table;
  };
  void FindTableRuns(size_t first_cell, size_t last_cell, std::vector<TableRun>& runs) const;
  void FillCellTables(size_t range);
  bool ColumnsPossible() const;
  // Step 1: placements and the placement index (cell_entry_begin_, cell_entries_).
  void PlaceChanges(SimTime now);
  void UpdatePlacement(SimTime now, Rollout& r) const;
  void IndexCells();
  // Step 2 over cells [first, last), a range of whole groups (cell_ranges.h). Reads only the
  // tick's inputs (placement index, rates, profiles, fault conditions, rollouts); writes only
  // the range's own entries (sorted in place), cell totals, columns and groups, and `out`.
  // RNG streams are keyed by (tick, cell), so ranges run in parallel (CellRanges::ForEachRange)
  // and their RangeTotals are merged in range order.
  void SampleCells(size_t first, size_t last, std::span<CellEntry> entries,
                   std::span<CellTotals> cell_totals, CellScratch& scratch, ColumnSums& columns,
                   RangeTotals& out) const;
  // From cell c (a table cell, tick_sampler.cc AssignCellTables) on, the table cells of its
  // cluster with nothing in them, drawn from `words` (c's CellNoise words first); returns the
  // first cell after them.
  size_t SampleTableCells(size_t c, size_t last, const uint32_t* words,
                          std::span<CellTotals> cell_totals, RangeTotals& out) const;
  // A cell with entries: its cohorts, in order of exposure.
  CellTotals SampleCohorts(size_t c, CellEntry* begin, CellEntry* end, CellScratch& scratch,
                           RangeTotals& out) const;
  void SampleColumns();                      // 2a
  void SampleManifestingFlags(SimTime now);  // 2b
  void ReportFirstImpacts(SimTime now);
  // Step 3 for slot s: canary, ground truth, control and health recording.
  // (`group_control`: scratch of the calling chunk; slots of one tick may run in parallel)
  void SumCanaryAndControl(SimTime now, size_t s, std::vector<SignalWindow>& group_control);
  // A flag whose fault does not manifest: its canary is a thinning of each group's requests.
  void ThinUnaffectedFlag(SimTime now, size_t s, SignalWindow* canary_by_group,
                          std::vector<SignalWindow>& group_control);
  // The totals of r's target this tick (not the whole fleet's), and per group when `by_group`
  // (sized to every group; zero outside the target).
  CellTotals TargetTotals(const Rollout& r, bool by_group,
                          std::vector<SignalWindow>& group_totals) const;
  // 3xx/4xx among each group's successful requests of canary and control.
  void DrawStatusMix(const Rollout& r, CellTotals& canary, CellTotals& control,
                     SignalWindow* canary_by_group, std::vector<SignalWindow>& group_control);

  const Scenario& scenario_;
  const Fleet& fleet_;
  uint64_t seed_;
  uint32_t replica_;
  SimTime max_lag_;
  const TrafficModel& traffic_;
  RolloutTable& rollouts_;
  const ActiveFaults& faults_;
  const HealthEvaluator& health_;
  SimObserver& observer_;
  SignalSampler sampler_;
  ClusterSampler clusters_;
  CanaryPrefixSums canary_sums_;
  std::vector<CellProfile> cell_profiles_;
  // `requests: expected` without per-cell heterogeneity: plain cells draw from tables.
  bool use_tables_ = false;
  MixedBinomialCache noise_tables_;
  bool tables_tick_ = false;                             // plain cells draw from tables this tick
  std::vector<const MixedBinomialTable*> cell_table_;    // per cell this tick (null: none)
  std::vector<std::vector<TableRun>> range_table_runs_;  // per range, this tick
  bool aggregate_ = false;  // the aggregated path applies (SignalSpec::AggregationExact)
  std::vector<double> region_rate_;
  std::vector<double> traffic_factor_;  // per cluster: its service's traffic_factor
  std::vector<int64_t> region_incidents_;
  // Per target (Scenario::targets): its evaluation groups, ascending, and whether it holds
  // them whole (then its totals are theirs; otherwise summed cluster by cluster).
  struct TargetGroups {
    std::vector<int> groups;
    bool complete = true;
  };
  std::vector<TargetGroups> target_groups_;

  // This tick.
  int64_t tick_ = 0;
  TickTotals totals_;
  bool per_cell_ = false;
  int common_b_ = 0;  // every cluster's bucket count on the per-cell path (0: they differ)
  bool columns_ = false;
  bool any_manifesting_flag_ = false;
  bool cluster_sums_read_ = false;          // some change reads per-cluster prefix sums
  std::vector<CanarySource> slot_sources_;  // per slot: where its whole cells are summed from
  std::vector<CellTriple> triples_;
  std::vector<std::pair<int32_t, int64_t>> on_both_;
  std::vector<int32_t> fill_;
  std::vector<int32_t> cell_entry_begin_;  // per cell: its entries in cell_entries_
  std::vector<CellEntry> cell_entries_;
  std::vector<CellTotals> cell_totals_;
  CellRanges ranges_;                       // the cells' fixed partition (Start)
  std::vector<CellScratch> range_scratch_;  // per range
  std::vector<RangeTotals> range_totals_;   // per range, merged in range order
  ColumnSums column_sums_;
  std::vector<CellTotals> column_totals_;
  // Per chunk of kSlotsPerChunk changes in flight: a change's control per group (scratch).
  static constexpr size_t kSlotsPerChunk = 32;
  std::vector<std::vector<SignalWindow>> slot_scratch_;
};

}  // namespace fleetsim
