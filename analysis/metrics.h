// Metrics: the one registry of the metrics of DESIGN §5, and everything a report needs to know
// about each of them.
//
// Each MetricDef defines a metric ONCE, as what one replica contributes: `observe` appends the
// replica's observations of a sample metric (the blast radius of each of its bad changes, or a
// single per-replica quantity such as its failed requests), `tally` counts a rate metric's
// successes and trials in the replica (escaped / bad changes). Both reducers derive from it:
//   pooled      PoolSample / PoolRate: the observations (or counts) of all replicas together,
//               summarised (t interval clipped to [lo, hi]; Wilson interval) -> RunSummary;
//   per replica PerReplica: the mean of that replica's observations (count / trials for a rate),
//               NaN where it has none -> paired comparison (compare) and baseline check.
// So for a sample metric the pooled mean is the mean of the per-replica values weighted by each
// replica's observation count, and for a rate the pooled rate is their trial-weighted mean.
//
// Who iterates Metrics(): SummarizeRun (run_summary.cc) fills the summary in registry order, so
// the JSON summary and the HTML table list the sample metrics, then the rates, each in registry
// order; ComparePaired and LoadBaseline/CheckBaseline use the `paired` entries in registry order;
// the terminal table shows the entries with a table section (TableRow), section by section and in
// registry order within one; the sweep table, sweep JSON and Pareto front use the entries with a
// SweepColumn. Commit-flow metrics (commit_flow_metrics.h) are the second half of the same
// registry, present only when some replica has a commit flow. Adding a metric = the outcome field
// it reads + one entry here (docs/adding-a-metric.md).
//
// Thread safety: Metrics() is a function-local static built on first use (thread-safe), then
// read-only; every reducer is a pure function of its arguments.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/monte_carlo.h"
#include "analysis/statistics.h"

namespace fleetsim {

// The terminal table's sections (report_table.cc), in the order it shows them, each followed by
// the table's own rows of counts (bad changes in total, unmitigated, SEV levels, ...).
enum class TableSection : uint8_t {
  kNone,         // not in the terminal table
  kVolume,       // changes per replica
  kBadChanges,   // damage, detection time and detection rates of bad changes
  kGoodChanges,  // false positives on good changes
  kDelivery,     // lead time
  kCommitFlow,   // shown when some run has a commit flow
  kDryRun,       // shown when a dry-run health policy would have stopped something
};

struct TableRow {
  TableSection section = TableSection::kNone;
  const char* label = nullptr;
  double scale = 1;             // samples: values are shown times this (100: percent)
  const char* number = "%.1f";  // samples: printf format of the mean and of the interval ends
  bool p50_row = false;         // samples: followed by a "  p50" row with the median
};

// The one number of a run a sweep shows for a metric.
enum class SweepStatistic : uint8_t { kMean, kP50, kRate };

struct SweepColumn {
  const char* header = nullptr;  // column header in the sweep table; nullptr: not in sweeps
  int width = 0;                 // of the header and of the formatted value
  const char* format = nullptr;  // printf format of statistic x scale, `width` characters wide
  double scale = 1;
  SweepStatistic statistic = SweepStatistic::kMean;
  int pareto_axis = 0;  // 1, 2, ...: position among the Pareto axes (sweep JSON order); 0: none
};

// A rate's successes and trials in one replica.
struct Tally {
  int64_t count = 0, trials = 0;
};

inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

struct MetricDef {
  const char* name;
  const char* unit;  // of one observation; rates: "fraction of <population>"
  const char* over;  // the population: "bad changes", "replicas", ...
  // Exactly one of these is set: sample metrics observe, rate metrics tally.
  void (*observe)(const ReplicaResult& replica, std::vector<double>& out) = nullptr;
  Tally (*tally)(const ReplicaResult& replica) = nullptr;
  double lo = 0, hi = kUnbounded;  // samples: the range the pooled mean's interval is clipped to
  bool lower_is_better = true;
  bool paired = false;       // compared by `compare` and allowed in `check` baselines
  bool commit_flow = false;  // exists only for runs where some replica has a commit flow
  TableRow table = {};
  SweepColumn sweep = {};

  bool is_rate() const { return tally != nullptr; }
  // Pooled over all replicas (samples / rates respectively).
  SampleSummary PoolSample(const std::vector<ReplicaResult>& replicas) const;
  RateSummary PoolRate(const std::vector<ReplicaResult>& replicas) const;
  // One value for one replica; NaN where the replica has no observation (or no trial).
  double PerReplica(const ReplicaResult& replica) const;
};

// Every metric, change-level first, then commit-flow (commit_flow_metrics.h); names are unique.
const std::vector<MetricDef>& Metrics();
const MetricDef* FindMetric(std::string_view name);

// The entries with a Pareto axis, in axis order.
std::vector<const MetricDef*> ParetoAxes();
// The sweep JSON key of an entry's statistic: "lead_time_p50", "blast_radius_mean", or the bare
// name for a rate.
std::string SweepKey(const MetricDef& metric);

// Whether some replica has a commit flow; a commit-flow metric exists only for such runs.
bool AnyCommitFlow(const std::vector<ReplicaResult>& replicas);
inline bool MetricApplies(const MetricDef& metric, bool any_commit_flow) {
  return !metric.commit_flow || any_commit_flow;
}

}  // namespace fleetsim
