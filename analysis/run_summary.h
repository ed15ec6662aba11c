// RunSummary: the metrics of DESIGN §5 across all replicas of one (scenario, policy) run.
//
// `samples` and `rates` hold every applicable entry of the metric registry (metrics.h), each
// pooled by its own reducer, in registry order: sample metrics as distributions (t interval on
// the mean, percentiles), rates with Wilson intervals. `totals` are the plain counts of the run
// (changes, bad, escaped, SEV levels, ...) for the totals section of the reports. Durations are
// in minutes. Pure function of its input: deterministic.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "analysis/monte_carlo.h"
#include "analysis/statistics.h"

namespace fleetsim {

struct SampleMetric {
  std::string name;
  std::string unit;
  std::string over;  // population: "bad changes", "replicas", ...
  SampleSummary summary;
};

struct RateMetric {
  std::string name;
  std::string over;
  RateSummary summary;
};

struct RunTotals {
  int64_t replicas = 0;
  int64_t changes = 0;
  int64_t good = 0;
  int64_t bad = 0;
  int64_t latent = 0;
  int64_t detected = 0;
  int64_t detected_by_automation = 0;
  int64_t detected_by_human = 0;
  int64_t escaped = 0;
  int64_t false_positives = 0;
  int64_t misattributed = 0;
  int64_t unmitigated = 0;  // bad changes still manifesting when the run ended
  int64_t completed = 0;
  int64_t rolled_back = 0;
  int64_t paused = 0;                   // changes paused at least once by an automated verdict
  int64_t dry_run_would_stop_good = 0;  // dry_run: good changes it would have stopped
  int64_t dry_run_would_stop_bad = 0;   // dry_run: bad changes it would have stopped
  // SEV levels (sim/severity.h), index = level 1..9: bad changes that reached each level, and
  // replicas whose most severe incident had that level (index 0: replicas without any SEV).
  std::array<int64_t, 10> sev_changes{};
  std::array<int64_t, 10> worst_sev_replicas{};
};

struct RunSummary {
  RunTotals totals;
  std::vector<SampleMetric> samples;
  std::vector<RateMetric> rates;

  const SampleMetric* FindSample(const std::string& name) const;
  const RateMetric* FindRate(const std::string& name) const;
};

RunSummary SummarizeRun(const std::vector<ReplicaResult>& replicas);

}  // namespace fleetsim
