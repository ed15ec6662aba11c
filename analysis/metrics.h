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
// order; ComparePaired and LoadBaseline/CheckBaseline use the `paired` entries in registry order.
// Commit-flow metrics (commit_flow_metrics.h) are the second half of the same
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

// Whether some replica has a commit flow; a commit-flow metric exists only for such runs.
bool AnyCommitFlow(const std::vector<ReplicaResult>& replicas);
inline bool MetricApplies(const MetricDef& metric, bool any_commit_flow) {
  return !metric.commit_flow || any_commit_flow;
}

}  // namespace fleetsim
