#include "sim/tick_sampler.h"

#include <algorithm>
#include <cmath>

#include "sim/deploy_actuator.h"
#include "sim/philox_blocks.h"
#include "sim/random_draws.h"

namespace fleetsim {
namespace {

// The aggregated path is used while (active changes x clusters) stays within this multiple of
// the cell count (measured crossovers: bench/fleetsim_scaling, docs/performance.md). The
// per-cell path is much cheaper when it can sum plain cells by column (their counts then cost
// two draws per column, not per cell).
constexpr double kAggregatedCostRatio = 4;
constexpr double kAggregatedCostRatioWithColumns = 0.125;

// A sampled cohort of `hosts` hosts as a window; errors of faults that do not show in the error
// signal are left out.
SignalWindow WindowOf(const SegmentSample& seg, int64_t hosts, int64_t hidden_errors = 0) {
  return SignalWindow{seg.requests,
                      seg.errors - hidden_errors,
                      seg.latency_p99 * seg.expected_requests,
                      hosts,
                      0,
                      seg.expected_requests};
}

}  // namespace

TickSampler::TickSampler(const Scenario& scenario, uint64_t seed, uint32_t replica, SimTime max_lag,
                         const TrafficModel& traffic, RolloutTable& rollouts,
                         const ActiveFaults& faults, const HealthEvaluator& health,
                         SimObserver& observer)
    : scenario_(scenario),
      fleet_(*scenario.fleet),
      seed_(seed),
      replica_(replica),
      max_lag_(max_lag),
      traffic_(traffic),
      rollouts_(rollouts),
      faults_(faults),
      health_(health),
      observer_(observer),
      sampler_(scenario.signals),
      clusters_(*scenario.fleet, scenario.signals, seed, replica, health),
      canary_sums_(*scenario.fleet, health),
      noise_tables_(sampler_.overdispersion_sigma()) {}

void TickSampler::Start() {
  cell_profiles_ = sampler_.DrawCellProfiles(fleet_, seed_, replica_);
  // Each cluster's service's traffic (1 without services).
  traffic_factor_.clear();
  for (const Cluster& cluster : fleet_.clusters()) {
    traffic_factor_.push_back(
        fleet_.services().empty()
            ? 1.0
            : fleet_.services()[static_cast<size_t>(cluster.service)].traffic_factor);
  }
  aggregate_ = scenario_.signals.allow_aggregation && scenario_.signals.AggregationExact();
  // (per_cell sampling keeps the reference draws: DrawCellMinute, then a Binomial)
  use_tables_ = scenario_.signals.allow_aggregation && !scenario_.signals.poisson_requests &&
                scenario_.signals.cell_heterogeneity == 0;
  if (aggregate_) clusters_.Start(cell_profiles_);
  cell_entry_begin_.assign(fleet_.cells().size() + 1, 0);
  std::vector<int> group_of_cell;
  group_of_cell.reserve(fleet_.cells().size());
  for (const Cell& cell : fleet_.cells())
    group_of_cell.push_back(health_.GroupOf(static_cast<size_t>(cell.cluster)));
  ranges_.Build(group_of_cell);
  range_scratch_.resize(ranges_.size());
  range_totals_.resize(ranges_.size());
  range_table_runs_.resize(ranges_.size());
  region_rate_.assign(fleet_.regions().size(), 0.0);
  region_incidents_.clear();
  for (const Region& region : fleet_.regions()) region_incidents_.push_back(region.failure_history);
  // Each target's evaluation groups; a target that holds whole groups has its totals summed
  // from theirs, any other from its clusters' (per-cluster prefix sums).
  target_groups_.clear();
  for (const FleetTarget& target : *scenario_.fleet_targets) {
    TargetGroups tg;
    tg.complete = target.whole() || !health_.region_groups() || target.whole_regions();
    for (size_t v = 0; v < target.view().clusters().size(); ++v)
      tg.groups.push_back(health_.GroupOf(static_cast<size_t>(target.FleetCluster(v))));
    std::sort(tg.groups.begin(), tg.groups.end());
    tg.groups.erase(std::unique(tg.groups.begin(), tg.groups.end()), tg.groups.end());
    target_groups_.push_back(std::move(tg));
  }
}

void TickSampler::BeginTick(SimTime now) {
  const double tick_minutes = scenario_.tick.minutes();
  const SimTime midpoint = now - SimTime::Millis(scenario_.tick.millis() / 2);
  for (size_t r = 0; r < region_rate_.size(); ++r) {
    region_rate_[r] = traffic_.RatePerHostMinute(static_cast<int>(r), midpoint) * tick_minutes;
  }
}

void TickSampler::Sample(SimTime now, int64_t tick) {
  tick_ = tick;
  const size_t n_active = rollouts_.active_count();
  totals_.Reset(n_active, health_.groups().size(), rollouts_.group_window_readers() > 0);
  for (size_t s = 0; s < n_active; ++s)
    totals_.samples[s].change_id = rollouts_.Active(s).change->info.id;
  per_cell_ = PerCellPath();
  common_b_ = per_cell_ ? fleet_.common_cell_count() : 0;
  columns_ = false;
  any_manifesting_flag_ = false;
  cluster_sums_read_ = false;
  slot_sources_.assign(n_active, CanarySource::kNone);
  column_totals_.clear();
  bool sums_in_sweep = false;
  if (!per_cell_) {
    // Aggregated fast path (DESIGN §4): exact when no per-(cell, minute) randomness exists.
    clusters_.Sample(now, tick, rollouts_, region_rate_, totals_);
  } else {
    PlaceChanges(now);
    IndexCells();
    cell_totals_.resize(fleet_.cells().size());
    AssignCellTables();
    for (RangeTotals& r : range_totals_) r.Clear(totals_);
    // Without a manifesting flag (which rewrites cells after the sweep) each range's prefix
    // sums are taken right after its cells, while they are in cache.
    sums_in_sweep = !any_manifesting_flag_;
    if (sums_in_sweep) canary_sums_.Prepare(cluster_sums_read_, common_b_);
    ranges_.ForEachRange([this, sums_in_sweep](size_t i) {
      if (tables_tick_) FillCellTables(i);
      SampleCells(ranges_.first(i), ranges_.last(i), cell_entries_, cell_totals_, range_scratch_[i],
                  column_sums_, range_totals_[i]);
      if (sums_in_sweep) canary_sums_.BuildRange(cell_totals_, ranges_.first(i), ranges_.last(i));
    });
    for (const RangeTotals& r : range_totals_) r.MergeInto(totals_);
    SampleColumns();
    if (any_manifesting_flag_) SampleManifestingFlags(now);
  }
  ReportFirstImpacts(now);
  if (sums_in_sweep) {
    canary_sums_.Finish(cell_totals_, column_totals_);
  } else {
    canary_sums_.Build(cell_totals_, column_totals_, cluster_sums_read_, common_b_, ranges_);
  }
  // Step 3 change by change: each slot reads the tick's totals and writes only its own canary,
  // sample and rollout, so fixed chunks of slots run in parallel (each with its own scratch).
  const size_t n_chunks = (n_active + kSlotsPerChunk - 1) / kSlotsPerChunk;
  if (slot_scratch_.size() < n_chunks) slot_scratch_.resize(n_chunks);
  ParallelForEach(n_chunks, [&](size_t chunk) {
    const size_t end = std::min(n_active, (chunk + 1) * kSlotsPerChunk);
    for (size_t s = chunk * kSlotsPerChunk; s < end; ++s)
      SumCanaryAndControl(now, s, slot_scratch_[chunk]);
  });
  observer_.OnTick(FleetTickSample{now, totals_.fleet.requests, totals_.fleet.errors},
                   totals_.samples);
}

bool TickSampler::PerCellPath() const {
  // Fault shapes, crash loops, outages: the exact per-cell path.
  if (!aggregate_ || faults_.shaped_tick()) return true;
  // A manifesting feature flag splits every cell's requests: sample cell by cell this tick.
  for (int64_t id : rollouts_.active()) {
    const Rollout& r = rollouts_.Get(id);
    if (r.Flag() && r.Manifesting()) return true;
    if (!r.target->whole()) return true;  // the runs know no targets
  }
  // Both paths are exact; take the cheaper one. The aggregated path sorts every change's
  // range boundaries in every cluster (~clusters x active x log active), the per-cell path
  // pays per cell plus a placement per (change, cluster): past a few changes in flight the
  // cells win when they can be summed by column, past a few hundred otherwise.
  const double ratio = ColumnsPossible() ? kAggregatedCostRatioWithColumns : kAggregatedCostRatio;
  return static_cast<double>(rollouts_.active_count() * fleet_.clusters().size()) >
         ratio * static_cast<double>(fleet_.cells().size());
}

double TickSampler::RateOf(const Cell& cell) const {
  const auto cluster = static_cast<size_t>(cell.cluster);
  return region_rate_[cell.region] * traffic_factor_[cluster] *
         (faults_.shaped_tick() ? faults_.conditions().LoadFactor(cluster) : 1.0);
}

void TickSampler::AssignCellTables() {
  tables_tick_ = use_tables_ && faults_.cascading_slots().empty();
  if (!tables_tick_) return;
  cell_table_.resize(fleet_.cells().size());  // (written range by range: FillCellTables)
  // The runs in parallel, range by range; then one Note per run, in cell order (the cache
  // counts draws per key: the same tables whatever the thread count).
  ranges_.ForEachRange(
      [this](size_t i) { FindTableRuns(ranges_.first(i), ranges_.last(i), range_table_runs_[i]); });
  for (std::vector<TableRun>& runs : range_table_runs_) {
    for (TableRun& run : runs)
      run.table = noise_tables_.Note(run.n, run.mu, static_cast<int64_t>(run.last - run.first));
  }
  noise_tables_.EndTick();
}

void TickSampler::FindTableRuns(size_t first_cell, size_t last_cell,
                                std::vector<TableRun>& runs) const {
  // Runs of plain cells of one key (same requests, same error rate) within a cluster. Cells of
  // a cluster share its rate; their host counts differ by at most one.
  runs.clear();
  if (first_cell >= last_cell) return;
  const auto k_first = static_cast<size_t>(fleet_.cells()[first_cell].cluster);
  const auto k_last = static_cast<size_t>(fleet_.cells()[last_cell - 1].cluster) + 1;
  for (size_t k = k_first; k < k_last; ++k) {
    const Cluster& cluster = fleet_.clusters()[k];
    const auto first = static_cast<size_t>(cluster.first_cell);
    const size_t last = first + static_cast<size_t>(cluster.cell_count);
    const double rate = RateOf(fleet_.cells()[first]);
    int64_t hosts_of_n = -1, n = 0;
    const auto key_of = [&](size_t c) {
      const int64_t hosts = fleet_.cells()[c].hosts;
      if (hosts != hosts_of_n) {
        hosts_of_n = hosts;
        n = std::llround(static_cast<double>(hosts) * rate);
      }
      return n;
    };
    size_t c = first;
    while (c < last) {
      if (cell_entry_begin_[c] != cell_entry_begin_[c + 1]) {
        ++c;
        continue;
      }
      const int64_t run_n = key_of(c);
      const double mu = cell_profiles_[c].error_rate;
      size_t end = c + 1;
      while (end < last && cell_entry_begin_[end] == cell_entry_begin_[end + 1] &&
             cell_profiles_[end].error_rate == mu && key_of(end) == run_n) {
        ++end;
      }
      runs.push_back(TableRun{c, end, run_n, mu, nullptr});
      c = end;
    }
  }
}

void TickSampler::FillCellTables(size_t range) {
  const auto begin = cell_table_.begin();
  std::fill(begin + static_cast<std::ptrdiff_t>(ranges_.first(range)),
            begin + static_cast<std::ptrdiff_t>(ranges_.last(range)), nullptr);
  for (const TableRun& run : range_table_runs_[range]) {
    std::fill(begin + static_cast<std::ptrdiff_t>(run.first),
              begin + static_cast<std::ptrdiff_t>(run.last), run.table);
  }
}

bool TickSampler::ColumnsPossible() const {
  // As far as the scenario and the fault conditions tell (the changes in flight may still need
  // cells one by one).
  const SignalSpec& spec = sampler_.spec();
  return spec.allow_aggregation && spec.poisson_requests && fleet_.common_cell_count() > 0 &&
         health_.region_groups() && faults_.cascading_slots().empty();
}

void TickSampler::PlaceChanges(SimTime now) {
  // Cells get an entry only where a change splits the cell (its partial boundary cell) or where
  // its fault manifests; whole cells of healthy changes are accounted for by prefix sums in
  // step 3. One compact pass also notes, per change, where its canary sums come from.
  triples_.clear();
  for (size_t s = 0; s < rollouts_.active_count(); ++s) {
    Rollout& r = rollouts_.Active(s);
    const bool manifesting = r.Manifesting();
    const TargetGroups& tg = target_groups_[static_cast<size_t>(r.change->info.target)];
    // (a target of part of a group sums its totals cluster by cluster)
    cluster_sums_read_ |= !tg.complete;
    // A flag splits requests, not hosts: no placement (steps 2b and 3 handle it).
    if (r.Flag()) {
      any_manifesting_flag_ |= manifesting;
      continue;
    }
    UpdatePlacement(now, r);
    // Bucket-major over the fleet (or its region groups) when it has the same buckets in
    // every cluster, else per cluster.
    // A target of whole region groups sums its whole cells over its groups only.
    const Placement& p = r.placement;
    const bool whole = r.target->whole();
    CanarySource source = CanarySource::kNone;
    if (!(p.full == 0 && p.uniform)) {
      if (whole && p.uniform && common_b_ > 0 && !r.needs.group_windows) {
        source = CanarySource::kFleet;
      } else if (p.uniform && common_b_ > 0 && health_.region_groups() && tg.complete) {
        source = CanarySource::kGroups;
      } else {
        source = CanarySource::kClusters;
      }
    }
    slot_sources_[s] = source;
    cluster_sums_read_ |= source == CanarySource::kClusters;
    const auto slot = static_cast<int32_t>(s);
    // A fault a labelled change triggered acts only on the hosts running both (below).
    const bool on_both = manifesting && r.trigger_change >= 0 &&
                         !faults_.conditions().Cascades(r.change->truth.fault);
    for (const auto& [cell, hosts] : p.partial)
      triples_.push_back(CellTriple{cell, CellEntry{hosts, slot, true, !on_both}});
    if (!manifesting) continue;
    if (on_both) {
      on_both_.clear();
      faults_.HostsOnBoth(now, r, on_both_);
      for (const auto& [cell, both] : on_both_)
        triples_.push_back(CellTriple{cell, CellEntry{both, slot, false, true}});
      continue;
    }
    const FleetTarget& target = *r.target;
    for (size_t v = 0; v < target.view().clusters().size(); ++v) {
      const Cluster& cluster = fleet_.clusters()[static_cast<size_t>(target.FleetCluster(v))];
      const ClusterExposure e = p.In(v);
      for (int j = 0; j < e.full; ++j) {
        const int cell = cluster.first_cell + (e.start + j) % cluster.cell_count;
        triples_.push_back(CellTriple{cell, CellEntry{fleet_.cells()[cell].hosts, slot, false}});
      }
    }
  }
}

void TickSampler::UpdatePlacement(SimTime now, Rollout& r) const {
  Placement& p = r.placement;
  if (p.valid) return;
  // On the change's target (the fleet, or a view of some of its clusters); cells are kept as
  // the fleet's.
  const FleetTarget& target = *r.target;
  const Fleet& view = target.view();
  const size_t n_clusters = view.clusters().size();
  p.partial.clear();
  // Settled: every host has what was pushed (with a propagation delay, the slowest region too).
  p.valid = now >= r.motion.end + (r.motion.lag ? max_lag_ : SimTime::Zero());
  if (const int b = view.common_cell_count(); b > 0 && r.motion_uniform) {
    // The same span in every cluster: O(1), plus the boundary cells while it splits them.
    const BucketSpan span = SpanInBuckets(b, r.motion.At(0, now), r.offset);
    p.uniform = true;
    p.clusters.clear();
    p.full = span.full;
    p.start = span.full == 0 || span.full == b ? 0 : span.start;
    if (span.partial > 0) {
      p.partial.reserve(n_clusters);
      for (const Cluster& cluster : view.clusters()) {
        const ClusterExposure e = ExposureFromSpan(view, cluster, span);
        if (e.partial_cell >= 0)
          p.partial.emplace_back(target.FleetCell(e.partial_cell), e.partial_hosts);
      }
    }
    return;
  }
  p.uniform = view.common_cell_count() > 0;
  p.clusters.resize(n_clusters);
  SpanCache spans;
  for (size_t k = 0; k < n_clusters; ++k) {
    const Cluster& cluster = view.clusters()[k];
    ClusterExposure e = ExposureFromSpan(
        view, cluster, spans.For(cluster.cell_count, r.motion.At(k, now), r.offset));
    if (e.full == 0 || e.full == cluster.cell_count)
      e.start = 0;  // the same cells wherever it starts
    if (e.partial_cell >= 0) e.partial_cell = target.FleetCell(e.partial_cell);
    p.clusters[k] = e;
    if (e.partial_cell >= 0) p.partial.emplace_back(e.partial_cell, e.partial_hosts);
    if (k == 0) {
      p.start = e.start;
      p.full = e.full;
    } else if (e.start != p.start || e.full != p.full) {
      p.uniform = false;
    }
  }
}

void TickSampler::IndexCells() {
  // Columns: a plain cell's counts only ever enter sums over whole buckets of a region (the
  // bucket-major prefix sums, the region and fleet windows) unless some change reads cells
  // cluster by cluster or a manifesting flag splits every cell's requests. Then each cell
  // still draws its own per-minute conditions (error probability, latency noise), but its
  // counts are drawn summed with the rest of its column (SignalSampler::SampleSummed: exact).
  columns_ = ColumnsPossible() && !any_manifesting_flag_ && !cluster_sums_read_;
  const size_t n_columns = columns_ ? health_.groups().size() * static_cast<size_t>(common_b_) : 0;
  column_sums_.means.assign(n_columns, CohortMeans{});
  column_sums_.hosts.assign(n_columns, 0);
  // The entries grouped by cell (counting sort, stable: slot order within a cell).
  const size_t n_cells = fleet_.cells().size();
  std::fill(cell_entry_begin_.begin(), cell_entry_begin_.end(), 0);
  for (const CellTriple& t : triples_) ++cell_entry_begin_[t.cell + 1];
  for (size_t c = 0; c < n_cells; ++c) cell_entry_begin_[c + 1] += cell_entry_begin_[c];
  cell_entries_.resize(triples_.size());
  fill_.assign(cell_entry_begin_.begin(), cell_entry_begin_.end() - 1);
  for (const CellTriple& t : triples_) cell_entries_[fill_[t.cell]++] = t.entry;
}

void TickSampler::SampleCells(size_t first, size_t last, std::span<CellEntry> entries,
                              std::span<CellTotals> cell_totals, CellScratch& scratch,
                              ColumnSums& columns, RangeTotals& out) const {
  const bool cascades = !faults_.cascading_slots().empty();
  const bool shaped = faults_.shaped_tick();
  const FaultConditions& conditions = faults_.conditions();
  const auto b = static_cast<size_t>(common_b_);
  // The range's table words: block c / 2 of the tick's CellNoise stream holds cells c & ~1, c | 1.
  const auto first_block = static_cast<uint32_t>(first / 2);
  if (tables_tick_ && last > first) {
    const size_t n_blocks = (last - 1) / 2 - first_block + 1;
    scratch.noise_words.resize(4 * n_blocks);
    PhiloxBlocks(StreamKey::CellNoise(seed_, replica_, tick_), first_block, n_blocks,
                 scratch.noise_words.data());
  }
  for (size_t c = first; c < last; ++c) {
    CellEntry* begin = entries.data() + cell_entry_begin_[c];
    CellEntry* end = entries.data() + cell_entry_begin_[c + 1];
    if (begin != end || cascades) {
      cell_totals[c] = SampleCohorts(c, begin, end, scratch, out);
      continue;
    }
    // Most cells: no change splits the cell and no fault acts on it; one cohort, drawn as
    // SampleCohorts would draw it.
    const Cell& cell = fleet_.cells()[c];
    const auto cluster = static_cast<size_t>(cell.cluster);
    if (tables_tick_ && cell_table_[c]) {
      c = SampleTableCells(c, last, scratch.noise_words.data() + 2 * (c - 2 * size_t{first_block}),
                           cell_totals, out) -
          1;
      continue;
    }
    RandomStream rng(StreamKey::Signals(seed_, replica_, tick_, c));
    const CellMinute minute = sampler_.DrawCellMinute(rng, cell_profiles_[c]);
    const double rate = region_rate_[cell.region] * traffic_factor_[cluster] *
                        (shaped ? conditions.LoadFactor(cluster) : 1.0);
    if (columns_) {
      // Only its means: its counts are drawn with its column's (SampleColumns).
      const CohortMeans m =
          sampler_.MeansWithoutFaults(cell.hosts, rate, minute, cell_profiles_[c]);
      const size_t column =
          static_cast<size_t>(health_.GroupOf(cluster)) * b +
          static_cast<size_t>(static_cast<int>(c) - fleet_.clusters()[cluster].first_cell);
      CohortMeans& sum = columns.means[column];
      sum.errors += m.errors;
      sum.successes += m.successes;
      sum.requests += m.requests;
      sum.latency_p99 += m.latency_p99 * m.requests;  // the column's p99 x weight, summed
      columns.hosts[column] += cell.hosts;
      cell_totals[c] = CellTotals{};
      continue;
    }
    const SegmentSample seg =
        sampler_.SampleSegment(rng, cell.hosts, rate, minute, cell_profiles_[c], {}, {});
    CellTotals& totals = cell_totals[c];
    totals = CellTotals{};
    totals.window = WindowOf(seg, cell.hosts);
    out.AddFleet(totals.window, health_.GroupOf(cluster));
  }
}

size_t TickSampler::SampleTableCells(size_t c, size_t last, const uint32_t* words,
                                     std::span<CellTotals> cell_totals, RangeTotals& out) const {
  // A run of table cells of one cluster: one rate, one group; their window summed locally.
  const Cell& head = fleet_.cells()[c];
  const int cluster = head.cluster;
  const double rate = RateOf(head);
  SignalWindow run;
  const size_t first = c;
  for (; c < last && cell_table_[c] && fleet_.cells()[c].cluster == cluster; ++c) {
    if (cell_entry_begin_[c] != cell_entry_begin_[c + 1]) break;
    const Cell& cell = fleet_.cells()[c];
    const uint32_t* w = words + 2 * (c - first);
    RandomStream latency_rng(StreamKey::Signals(seed_, replica_, tick_, c));  // (drawn lazily)
    const SegmentSample seg =
        sampler_.SampleFromTable(uint64_t{w[0]} << 32 | w[1], *cell_table_[c], cell.hosts, rate,
                                 cell_profiles_[c], latency_rng);
    CellTotals& totals = cell_totals[c];
    totals = CellTotals{};
    totals.window = WindowOf(seg, cell.hosts);
    run.Add(totals.window);
  }
  out.AddFleet(run, health_.GroupOf(static_cast<size_t>(cluster)));
  return c;
}

CellTotals TickSampler::SampleCohorts(size_t c, CellEntry* begin, CellEntry* end,
                                      CellScratch& scratch, RangeTotals& out) const {
  // Within a cell, the hosts running a change are a prefix, so sorting the entries by exposed
  // hosts yields the cohorts as consecutive ranges. Insertion sort, stable (slot order among
  // equals); lists are short.
  for (CellEntry* i = begin + 1; i < end; ++i) {
    const CellEntry e = *i;
    CellEntry* j = i;
    while (j > begin && (j - 1)->exposed > e.exposed) {
      *j = *(j - 1);
      --j;
    }
    *j = e;
  }
  const RolloutTable& rollouts = rollouts_;
  const FaultConditions& conditions = faults_.conditions();
  const bool shaped = faults_.shaped_tick();
  const Cell& cell = fleet_.cells()[c];
  const auto cluster = static_cast<size_t>(cell.cluster);
  const int group = health_.GroupOf(cluster);
  const size_t m = static_cast<size_t>(end - begin);
  scratch.manifesting.clear();
  for (size_t j = 0; j < m; ++j) {
    const auto slot = static_cast<size_t>(begin[j].slot);
    if (begin[j].bounds_fault && faults_.ActsIn(rollouts.Active(slot), slot, cluster))
      scratch.manifesting.push_back(static_cast<int32_t>(j));
  }
  size_t first_manifesting = 0;  // manifesting[first_manifesting..] sit at positions >= i
  RandomStream rng(StreamKey::Signals(seed_, replica_, tick_, c));
  const CellMinute minute = sampler_.DrawCellMinute(rng, cell_profiles_[c]);
  const double rate = region_rate_[cell.region] * traffic_factor_[cluster] *
                      (shaped ? conditions.LoadFactor(cluster) : 1.0);
  CellTotals cumulative;
  int64_t prev = 0;
  for (size_t i = 0; i <= m; ++i) {
    const int64_t upper = i < m ? begin[i].exposed : cell.hosts;
    const int64_t hosts = upper - prev;
    if (hosts > 0) {
      // The faults acting on this cohort: the changes whose hosts include it, then the faults
      // of dependency services, which reach every host of the cluster (fault_conditions.h).
      scratch.faults.clear();
      scratch.fault_slots.clear();
      while (first_manifesting < scratch.manifesting.size() &&
             static_cast<size_t>(scratch.manifesting[first_manifesting]) < i) {
        ++first_manifesting;
      }
      for (size_t k = first_manifesting; k < scratch.manifesting.size(); ++k) {
        const int32_t slot = begin[scratch.manifesting[k]].slot;
        scratch.faults.push_back(faults_.EffectIn(rollouts.Active(static_cast<size_t>(slot)),
                                                  static_cast<size_t>(slot), cluster));
        scratch.fault_slots.push_back(slot);
      }
      for (size_t s : faults_.cascading_slots()) {
        if (!conditions.Acts(s, cluster)) continue;
        scratch.faults.push_back(conditions.Effect(s, cluster));
        scratch.fault_slots.push_back(static_cast<int32_t>(s));
      }
      scratch.fault_errors.assign(scratch.faults.size(), 0);
      double segment_rate = rate;
      if (shaped && conditions.any_crash()) {
        // Hosts in a crash loop serve nothing (fault_conditions.h).
        for (int32_t slot : scratch.fault_slots)
          segment_rate *= conditions.ServingShare(static_cast<size_t>(slot), cluster);
      }
      const SegmentSample seg =
          sampler_.SampleSegment(rng, hosts, segment_rate, minute, cell_profiles_[c],
                                 scratch.faults, scratch.fault_errors);
      int64_t hidden_errors = 0;  // failures of faults not visible in the error signal
      for (size_t k = 0; shaped && k < scratch.fault_slots.size(); ++k) {
        const int fault =
            rollouts.Active(static_cast<size_t>(scratch.fault_slots[k])).change->truth.fault;
        if (!scenario_.faults.faults[fault].visible_errors)
          hidden_errors += scratch.fault_errors[k];
      }
      cumulative.window.Add(WindowOf(seg, hosts, hidden_errors));
      for (size_t k = 0; k < scratch.fault_slots.size(); ++k) {
        const int32_t s = scratch.fault_slots[k];
        out.AddManifesting(s, scratch.fault_errors[k], hosts, seg.requests);
        cumulative.fault_errors += scratch.fault_errors[k];
        if (!rollouts.Active(static_cast<size_t>(s)).region_seen[cell.region])
          out.NoteImpact(s, cell.region);
      }
    }
    if (i < m && begin[i].partial)
      out.AddCanary(static_cast<size_t>(begin[i].slot), group, cumulative);
    prev = upper;
  }
  out.AddFleet(cumulative.window, group);
  out.AddFleetFaults(cumulative.fault_errors, group);
  return cumulative;
}

void TickSampler::SampleColumns() {
  // The columns' summed counts, one stream per (tick, column).
  const size_t n_columns = column_sums_.hosts.size();
  column_totals_.assign(n_columns, CellTotals{});
  for (size_t column = 0; column < n_columns; ++column) {
    if (column_sums_.hosts[column] == 0) continue;
    RandomStream rng(StreamKey::ColumnSignals(seed_, replica_, tick_, column));
    const CohortMeans& sum = column_sums_.means[column];
    const SegmentSample seg = sampler_.SampleSummed(rng, sum);
    CellTotals& totals = column_totals_[column];
    totals.window = SignalWindow{
        seg.requests, seg.errors, sum.latency_p99, column_sums_.hosts[column], 0, sum.requests};
    totals_.AddFleet(totals.window, static_cast<int>(column / static_cast<size_t>(common_b_)));
  }
}

void TickSampler::SampleManifestingFlags(SimTime now) {
  // In every cell, each request takes the flagged path with probability `share` (so the
  // flagged errors and successes are binomial thinnings of the cell's), and the fault fails
  // flagged requests that would have succeeded with its error increase and slows them by its
  // latency factor. Exact per request; O(cells) per manifesting flag.
  const size_t n_cells = fleet_.cells().size();
  for (size_t s = 0; s < rollouts_.active_count(); ++s) {
    const Rollout& r = rollouts_.Active(s);
    if (!r.Flag() || !r.Manifesting()) continue;
    const double share = r.motion.At(0, now);
    RandomStream rng(StreamKey::FlagSplit(seed_, replica_, r.change->info.id, tick_));
    ChangeTickSample& sample = totals_.samples[s];
    // The cells of its target: all of them, or its clusters' (each a range of cells).
    const FleetTarget& target = *r.target;
    const size_t n_ranges = target.whole() ? 1 : target.view().clusters().size();
    for (size_t range = 0; range < n_ranges; ++range) {
      size_t first = 0, last = n_cells;
      if (!target.whole()) {
        const Cluster& cluster = fleet_.clusters()[static_cast<size_t>(target.FleetCluster(range))];
        first = static_cast<size_t>(cluster.first_cell);
        last = first + static_cast<size_t>(cluster.cell_count);
      }
      for (size_t c = first; c < last; ++c) {
        CellTotals& cell = cell_totals_[c];
        const int region = fleet_.cells()[c].region;
        const auto cluster = static_cast<size_t>(fleet_.cells()[c].cluster);
        const int group = health_.GroupOf(cluster);
        const FaultEffect effect = faults_.EffectIn(r, s, cluster);
        const int64_t flagged_ok =
            DrawBinomial(rng, cell.window.requests - cell.window.errors, share);
        const int64_t flagged_errors = DrawBinomial(rng, cell.window.errors, share);
        const int64_t caused = DrawBinomial(rng, flagged_ok, effect.error_increase);
        const int64_t flagged = flagged_ok + flagged_errors;
        const double p99 = cell.window.latency_p99();
        const double flagged_weight = share * cell.window.latency_weight;  // expected requests
        const double extra_latency = flagged_weight * p99 * (effect.latency_factor - 1.0);
        const SignalWindow delta{0, caused, extra_latency, 0};
        cell.window.Add(delta);
        cell.fault_errors += caused;
        totals_.AddFleet(delta, group);
        totals_.AddFleetFaults(caused, group);
        const SignalWindow flagged_window{
            flagged, flagged_errors + caused, flagged_weight * p99 * effect.latency_factor, 0,
            0,       flagged_weight};
        totals_.AddCanary(s, group, CellTotals{flagged_window, caused});
        sample.fault_errors += caused;
        sample.manifesting_requests += flagged;
        if (flagged > 0 && !r.region_seen[region])
          totals_.NoteImpact(static_cast<int32_t>(s), region);
      }
    }
    sample.manifesting_hosts =
        std::llround(share * static_cast<double>(target.view().total_hosts()));
  }
}

void TickSampler::ReportFirstImpacts(SimTime now) {
  for (const auto& [slot, region] : totals_.first_impacts) {
    Rollout& r = rollouts_.Active(static_cast<size_t>(slot));
    if (r.region_seen[region]) continue;
    r.region_seen[region] = 1;
    observer_.OnRegionImpacted(r.change->info.id, region, now);
    ++region_incidents_[region];
  }
}

void TickSampler::SumCanaryAndControl(SimTime now, size_t s,
                                      std::vector<SignalWindow>& group_control) {
  Rollout& r = rollouts_.Active(s);
  SignalWindow* canary_by_group =
      totals_.group_stride ? &totals_.canary_by_group[s * totals_.group_stride] : nullptr;
  if (r.Flag() && !r.Manifesting()) ThinUnaffectedFlag(now, s, canary_by_group, group_control);
  // Canary = its directly drawn part (step 2, or the cluster runs) + its whole cells.
  CellTotals canary{totals_.canary[s], totals_.canary_fault_errors[s]};
  const TargetGroups& tg = target_groups_[static_cast<size_t>(r.change->info.target)];
  canary_sums_.AddCanary(slot_sources_[s], *r.target,
                         r.target->whole() ? std::span<const int>() : tg.groups, r.placement,
                         canary, canary_by_group);
  ChangeTickSample& sample = totals_.samples[s];
  sample.exposed_hosts =
      r.Flag()
          ? std::llround(r.motion.At(0, now) * static_cast<double>(r.target->view().total_hosts()))
          : canary.window.host_minutes;
  r.last_fault_errors = sample.fault_errors;
  if (r.phase != Phase::kDeploying && r.phase != Phase::kBaking) return;
  // Control: the rest of its target (the fleet, or the target's groups or clusters).
  const size_t n_groups = r.needs.group_windows ? health_.groups().size() : 0;
  CellTotals control{totals_.fleet, totals_.fleet_fault_errors};
  if (r.target->whole()) {
    group_control.assign(totals_.group.begin(), totals_.group.begin() + n_groups);
  } else {
    control = TargetTotals(r, n_groups > 0, group_control);
    group_control.resize(n_groups);
  }
  control.Subtract(canary);
  for (size_t g = 0; g < n_groups; ++g) group_control[g].Subtract(canary_by_group[g]);
  if (scenario_.signals.other_status_share > 0)  // (needs.group_windows is set then)
    DrawStatusMix(r, canary, control, canary_by_group, group_control);
  health_.Record(
      r, CanaryControlTick{canary.window, control.window,
                           std::span<const SignalWindow>(canary_by_group, n_groups), group_control,
                           canary.fault_errors, control.fault_errors, sample.fault_errors});
}

void TickSampler::ThinUnaffectedFlag(SimTime now, size_t s, SignalWindow* canary_by_group,
                                     std::vector<SignalWindow>& group_control) {
  // Its flagged requests are a binomial thinning of each group's requests and errors (exact;
  // nothing of the flag's own changes the signals).
  const Rollout& r = rollouts_.Active(s);
  const double share = r.motion.At(0, now);
  RandomStream rng(StreamKey::FlagSplit(seed_, replica_, r.change->info.id, tick_));
  if (!r.target->whole()) TargetTotals(r, true, group_control);
  for (size_t g = 0; g < health_.groups().size(); ++g) {
    const SignalWindow& group = r.target->whole() ? totals_.group[g] : group_control[g];
    const int64_t flagged_ok = DrawBinomial(rng, group.requests - group.errors, share);
    const int64_t flagged_errors = DrawBinomial(rng, group.errors, share);
    canary_by_group[g] = SignalWindow{
        flagged_ok + flagged_errors, flagged_errors, share * group.latency_weighted_sum, 0, 0,
        share * group.latency_weight};
    totals_.canary[s].Add(canary_by_group[g]);
  }
}

CellTotals TickSampler::TargetTotals(const Rollout& r, bool by_group,
                                     std::vector<SignalWindow>& group_totals) const {
  const TargetGroups& tg = target_groups_[static_cast<size_t>(r.change->info.target)];
  CellTotals total;
  group_totals.assign(by_group ? health_.groups().size() : 0, SignalWindow{});
  if (tg.complete) {
    // Whole groups: their totals.
    for (int g : tg.groups) {
      const auto i = static_cast<size_t>(g);
      total.Add(CellTotals{totals_.group[i], totals_.group_fault_errors[i]});
      if (by_group) group_totals[i] = totals_.group[i];
    }
    return total;
  }
  // Part of a group: cluster by cluster.
  const FleetTarget& target = *r.target;
  for (size_t v = 0; v < target.view().clusters().size(); ++v) {
    const auto k = static_cast<size_t>(target.FleetCluster(v));
    const CellTotals cluster = canary_sums_.ClusterTotal(k);
    total.Add(cluster);
    if (by_group) group_totals[static_cast<size_t>(health_.GroupOf(k))].Add(cluster.window);
  }
  return total;
}

void TickSampler::DrawStatusMix(const Rollout& r, CellTotals& canary, CellTotals& control,
                                SignalWindow* canary_by_group,
                                std::vector<SignalWindow>& group_control) {
  // Independent per request, so the sums over the groups are the windows' exact draws.
  RandomStream rng(StreamKey::StatusMix(seed_, replica_, r.change->info.id, tick_));
  const double share = scenario_.signals.other_status_share;
  canary.window.other_status = 0;
  control.window.other_status = 0;
  for (size_t g = 0; g < health_.groups().size(); ++g) {
    SignalWindow& c = canary_by_group[g];
    SignalWindow& k = group_control[g];
    c.other_status = DrawBinomial(rng, c.requests - c.errors, share);
    k.other_status = DrawBinomial(rng, k.requests - k.errors, share);
    canary.window.other_status += c.other_status;
    control.window.other_status += k.other_status;
  }
}

}  // namespace fleetsim
