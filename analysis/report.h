// Reports of a finished run: terminal table, versioned JSON, and per-change CSV.
//
// A Report is one scenario run under one or more policies with the same seeds. Rendering is a
// pure function of the Report (no wall-clock time, no thread count) so equal seeds give
// byte-identical output. Files are written atomically by the caller (atomic_file.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/metrics.h"
#include "analysis/monte_carlo.h"
#include "analysis/paired_comparison.h"
#include "analysis/run_summary.h"
#include "policies/policy_loader.h"
#include "sim/scenario.h"

namespace fleetsim {

inline constexpr int kJsonSchemaVersion = 1;

struct PolicyRun {
  const Policy* policy = nullptr;
  std::vector<ReplicaResult> replicas;
  RunSummary summary;
};

// One point of a sweep (a parameter combination), for the Pareto chart and table.
struct ParetoPoint {
  std::string label;         // "rollout.stages[0].bake=10m"
  std::vector<double> axes;  // the value on each of ParetoAxes() (metrics.h), in axis order
  bool on_front = false;     // not dominated on all axes
  // The value on the axis of metric `name` (one of ParetoAxes()).
  double Axis(std::string_view name) const;
};

struct Report {
  const Scenario* scenario = nullptr;
  uint64_t seed = 0;
  int replicas = 0;
  std::vector<PolicyRun> runs;           // one for `run`, several (same seeds) for `compare`
  std::vector<ParetoPoint> sweep;        // filled by `sweep` only
  std::vector<PairedComparison> paired;  // runs[i] vs runs[0], i >= 1 (compare)
};

// Fills report.paired: every run against the first, on the same seeds.
void AddPairedComparisons(Report& report);

std::string RenderTable(const Report& report);
// For sweeps: one row per grid point, Pareto-front points starred.
std::string RenderSweepTable(const Report& report);
// Fills report.sweep from report.runs (one run per grid point; labels from the policy names).
void AddSweepPoints(Report& report, const std::vector<std::string>& labels);
// The number a sweep shows for `metric` (its SweepColumn statistic) in a run's summary.
double SweepValue(const RunSummary& summary, const MetricDef& metric);
std::string RenderJson(const Report& report);
std::string RenderCsv(const Report& report);
// One row per commit per replica (scenarios with changes.commits; report_commits_csv.cc).
std::string RenderCommitsCsv(const Report& report);

}  // namespace fleetsim
