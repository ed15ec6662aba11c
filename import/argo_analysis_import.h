// Argo Rollouts analysis import: AnalysisTemplate / ClusterAnalysisTemplate metrics, as
// referenced by a Rollout's background `analysis`, an inline `analysis` step, or blueGreen's
// pre/postPromotionAnalysis, into fleetsim health settings and threshold checks.
//
// Per metric (analysis_types.go Metric; shared/reference/rollout-systems.md §A1):
//   interval -> health.interval; initialDelay -> health.initial_delay; count -> health.count
//   (0 = until the rollout ends); failureLimit, inconclusiveLimit, consecutiveSuccessLimit ->
//   the same limits with health.counting: argo (Failed when failed > failureLimit, Argo's
//   default 0), consecutiveErrorLimit -> health.consecutive_error_limit; successCondition /
//   failureCondition -> a threshold check on the quantity the metrics table (metrics_table.h)
//   says the query measures (with both, the values neither accepts are an Inconclusive band:
//   fail_above / fail_below), and health.no_data: what the conditions make of an empty result,
//   the query of a canary that served no request (Error when they read the value);
//   measurementRetention and args have no effect.
// A Job provider cannot be simulated: its measurements are taken as successful and only their
// duration, initialDelay + (count - 1) x interval, is kept (the time a step waits for it).
// dryRun metrics are judged by Argo but never act, so they are left out of the checks (all of
// them dry-run: health.dry_run). A provider query with no metrics-table entry is an error at
// the metric naming the flags that map or ignore it.
//
// fleetsim judges one verdict per interval over all checks (any failing check fails it);
// Argo counts each metric on its own clock and takes the worst. The two agree for one
// simulated metric; with several the report marks the schedule as approximated.
//
// Functions throw ConfigError at file:line:col; not thread-safe (they write the context).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "import/import_context.h"
#include "import/spec_format.h"

namespace fleetsim::import {

// The AnalysisTemplates and ClusterAnalysisTemplates of an import, by name.
class ArgoTemplateSet {
 public:
  void Add(const SpecDocument& doc);  // a kArgoAnalysisTemplate or kArgoClusterTemplate
  // The template's `spec`, or null.
  const SpecField* Find(const std::string& name, bool cluster) const;
  std::vector<std::string> Names() const;

 private:
  struct Entry {
    std::string name;
    bool cluster;
    SpecField spec;
  };
  std::vector<Entry> entries_;
};

// One fleetsim setting with where it came from.
struct ImportedSetting {
  std::string value;
  std::optional<SpecField> from;  // nullopt: an Argo default
  std::string note;
  bool approximated = false;
};

inline ImportedSetting Setting(std::string value) {
  return ImportedSetting{std::move(value), std::nullopt, "", false};
}

struct ImportedCheck {
  std::string metric;  // error_rate | latency_p99 | status_2xx
  std::optional<double> min, max;
  // Argo Inconclusive band: values past min/max but within these are neither successful nor
  // failed (successCondition and failureCondition both set).
  std::optional<double> fail_below, fail_above;
  SpecField from;  // the condition it came from
  std::string note;
  bool approximated = false;
};

// An Argo analysis run in fleetsim terms.
struct ArgoRun {
  std::vector<ImportedCheck> checks;  // empty: nothing in the run can be simulated
  ImportedSetting interval = Setting("1m"), initial_delay = Setting("0s"), count = Setting("0"),
                  failure_limit = Setting("0"), inconclusive_limit = Setting("0"),
                  consecutive_success_limit = Setting("0"), consecutive_error_limit = Setting("4"),
                  no_data = Setting("inconclusive");
  bool dry_run = false;
  SimTime interval_time = SimTime::Minutes(1);
  SimTime initial_delay_time;
  int count_value = 0;
  // Time the run's measurements take under Argo's clock when it has a count (the first at
  // initialDelay, then every interval); the longest metric's. Zero when it runs until stopped.
  SimTime duration;
  bool until_stopped = false;  // some metric runs until the rollout ends (no count)
  std::string label;           // "templates success-rate" for messages
};

// Reads `analysis` (a RolloutAnalysis: templates, args, dryRun, measurementRetention; plus
// startingStep, which the caller handles) against `templates`.
ArgoRun ImportArgoAnalysis(const SpecField& analysis, const ArgoTemplateSet& templates,
                           ImportContext& ctx);

// Reads one template on its own (for `fleetsim validate` of a templates file): every metric
// must be mapped, ignored or a Job. Returns the run it would give.
ArgoRun CheckArgoTemplate(const SpecField& spec, const ArgoTemplateSet& templates,
                          ImportContext& ctx);

// Writes the run as a health section at `health` (path "health"): counting argo, the schedule,
// the limits and the checks. Requires run.checks non-empty.
void WriteArgoHealth(const ArgoRun& run, DraftNode& health, const std::string& path,
                     ImportContext& ctx);

}  // namespace fleetsim::import
