// The metric registry (metrics.h): the reducers every entry shares and the change-level entries;
// the commit-flow entries are in commit_flow_metrics.cc.
#include "analysis/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>
#include <limits>

#include "analysis/commit_flow_metrics.h"

namespace fleetsim {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// Appends value(o) for each change o of the replica that is in the population (include(o)).
template <typename Include, typename Value>
void ObserveChanges(const ReplicaResult& r, std::vector<double>& out, Include include,
                    Value value) {
  for (const ChangeOutcome& o : r.outcomes) {
    if (include(o)) out.push_back(value(o));
  }
}

// Trials: the changes in the population; count: those of them for which success(o) holds.
template <typename Include, typename Success>
Tally TallyChanges(const ReplicaResult& r, Include include, Success success) {
  Tally t;
  for (const ChangeOutcome& o : r.outcomes) {
    if (!include(o)) continue;
    ++t.trials;
    if (success(o)) ++t.count;
  }
  return t;
}

bool IsBad(const ChangeOutcome& o) { return o.bad; }
bool IsGood(const ChangeOutcome& o) { return !o.bad; }
bool Any(const ChangeOutcome&) { return true; }

using Out = std::vector<double>;

// What bad changes cost: hosts, requests, traffic.
std::vector<MetricDef> DamageMetrics() {
  return {
      {.name = "blast_radius",
       .unit = "fraction of hosts",
       .over = "bad changes",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveChanges(r, out, IsBad,
                            [](const ChangeOutcome& o) { return o.peak_exposed_fraction; });
           },
       .hi = 1,
       .paired = true,
       .table = {TableSection::kBadChanges, "blast radius (% hosts)", 100, "%.2f"},
       .sweep = {"blast radius", 12, "%11.2f%%", 100, SweepStatistic::kMean, 2}},
      {.name = "failed_requests",
       .unit = "requests",
       .over = "bad changes",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveChanges(r, out, IsBad, [](const ChangeOutcome& o) {
               return static_cast<double>(o.failed_requests);
             });
           },
       .table = {TableSection::kBadChanges, "failed requests / bad chg", 1, "%.3g"}},
      {.name = "failed_requests_per_replica",
       .unit = "requests",
       .over = "replicas",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             double total = 0;
             for (const ChangeOutcome& o : r.outcomes)
               total += static_cast<double>(o.failed_requests);
             out.push_back(total);
           },
       .paired = true,
       .table = {TableSection::kBadChanges, "failed requests / replica", 1, "%.3g"},
       .sweep = {"failed req/rep", 14, "%14.4g", 1, SweepStatistic::kMean}},
      {.name = "impacted_traffic_peak",
       .unit = "fraction of traffic",
       .over = "bad changes",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveChanges(r, out, IsBad,
                            [](const ChangeOutcome& o) { return o.impacted_traffic_peak; });
           },
       .hi = 1},
      {.name = "exposed_host_minutes",
       .unit = "host-minutes",
       .over = "bad changes",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveChanges(r, out, IsBad,
                            [](const ChangeOutcome& o) { return o.exposed_host_minutes; });
           }},
  };
}

// How fast bad changes are caught and stopped, how often they escape or good ones are stopped,
// and how long delivery takes.
std::vector<MetricDef> SpeedMetrics() {
  return {
      {.name = "ttd",
       .unit = "minutes",
       .over = "detected bad changes",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveChanges(
                 r, out, [](const ChangeOutcome& o) { return o.ttd().has_value(); },
                 [](const ChangeOutcome& o) { return o.ttd()->minutes(); });
           },
       .paired = true,
       .table = {TableSection::kBadChanges, "TTD (min)"},
       .sweep = {"TTD mean", 9, "%9.2f", 1, SweepStatistic::kMean}},
      {.name = "ttm",
       .unit = "minutes",
       .over = "mitigated bad changes (mean = MTTR)",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveChanges(
                 r, out, [](const ChangeOutcome& o) { return o.ttm().has_value(); },
                 [](const ChangeOutcome& o) { return o.ttm()->minutes(); });
           },
       .paired = true,
       .table = {TableSection::kBadChanges, "TTM / MTTR (min)"}},
      {.name = "escape_rate",
       .unit = "fraction of bad changes",
       .over = "bad changes",
       .tally =
           [](const ReplicaResult& r) {
             return TallyChanges(r, IsBad, [](const ChangeOutcome& o) { return o.escaped; });
           },
       .paired = true,
       .table = {TableSection::kBadChanges, "escape rate"},
       .sweep = {"escape rate", 11, "%10.1f%%", 100, SweepStatistic::kRate}},
      {.name = "false_positive_rate",
       .unit = "fraction of good changes",
       .over = "good changes",
       .tally =
           [](const ReplicaResult& r) {
             return TallyChanges(r, IsGood,
                                 [](const ChangeOutcome& o) { return o.false_positive; });
           },
       .paired = true,
       .table = {TableSection::kGoodChanges, "false-positive rate"},
       .sweep = {"FP rate", 11, "%10.2f%%", 100, SweepStatistic::kRate, 3}},
      {.name = "lead_time",
       .unit = "minutes",
       .over = "changes that reached 100%",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveChanges(
                 r, out, [](const ChangeOutcome& o) { return o.lead_time().has_value(); },
                 [](const ChangeOutcome& o) { return o.lead_time()->minutes(); });
           },
       .paired = true,
       .table = {TableSection::kDelivery, "lead time (min)"},
       .sweep = {"lead p50", 11, "%11.1f", 1, SweepStatistic::kP50, 1}},
  };
}

// Volume, who detects, misattribution and the dry run's would-be stops.
std::vector<MetricDef> DetectionMetrics() {
  return {
      {.name = "changes_per_replica",
       .unit = "changes",
       .over = "replicas",
       .observe = [](const ReplicaResult& r,
                     Out& out) { out.push_back(static_cast<double>(r.outcomes.size())); },
       .lower_is_better = false,
       .table = {TableSection::kVolume, "changes / replica"}},
      {.name = "bad_changes_per_replica",
       .unit = "changes",
       .over = "replicas",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             out.push_back(static_cast<double>(TallyChanges(r, Any, IsBad).count));
           }},
      {.name = "detection_rate",
       .unit = "fraction of bad changes",
       .over = "bad changes",
       .tally =
           [](const ReplicaResult& r) {
             return TallyChanges(r, IsBad, [](const ChangeOutcome& o) {
               return o.detected_by != DetectedBy::kNone;
             });
           },
       .lower_is_better = false,
       .table = {TableSection::kBadChanges, "detection rate"}},
      {.name = "automated_detection_rate",
       .unit = "fraction of bad changes",
       .over = "bad changes",
       .tally =
           [](const ReplicaResult& r) {
             return TallyChanges(r, IsBad, [](const ChangeOutcome& o) {
               return o.detected_by == DetectedBy::kAutomation;
             });
           },
       .lower_is_better = false,
       .table = {TableSection::kBadChanges, "  by automation"}},
      {.name = "unacted_verdicts",
       .unit = "verdicts",
       .over = "bad changes",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveChanges(r, out, IsBad, [](const ChangeOutcome& o) {
               return static_cast<double>(o.unacted_verdicts);
             });
           },
       .paired = true,
       .table = {TableSection::kBadChanges, "  failing verdicts unacted"}},
      {.name = "misattribution_rate",
       .unit = "fraction of good changes",
       .over = "good changes",
       .tally =
           [](const ReplicaResult& r) {
             return TallyChanges(r, IsGood, [](const ChangeOutcome& o) { return o.misattributed; });
           },
       .table = {TableSection::kGoodChanges, "  misattributed"}},
      {.name = "dry_run_false_positive_rate",
       .unit = "fraction of good changes",
       .over = "good changes",
       .tally =
           [](const ReplicaResult& r) {
             return TallyChanges(r, IsGood,
                                 [](const ChangeOutcome& o) { return o.dry_run_stops > 0; });
           },
       .table = {TableSection::kDryRun, "dry run: would stop good"}},
      {.name = "dry_run_detection_rate",
       .unit = "fraction of bad changes",
       .over = "bad changes",
       .tally =
           [](const ReplicaResult& r) {
             return TallyChanges(r, IsBad,
                                 [](const ChangeOutcome& o) { return o.dry_run_stops > 0; });
           },
       .lower_is_better = false,
       .table = {TableSection::kDryRun, "dry run: would stop bad"}},
  };
}

// Change-level metrics, in registry order (see metrics.h for who relies on the order).
std::vector<MetricDef> ChangeMetrics() {
  std::vector<MetricDef> all = DamageMetrics();
  for (auto group : {SpeedMetrics, DetectionMetrics}) {
    std::vector<MetricDef> more = group();
    all.insert(all.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  }
  return all;
}

}  // namespace

SampleSummary MetricDef::PoolSample(const std::vector<ReplicaResult>& replicas) const {
  assert(observe);
  std::vector<double> values;
  for (const ReplicaResult& r : replicas) observe(r, values);
  // A t interval is symmetric and can leave the range a quantity can take (a blast radius above
  // 100%, a negative count); clip it to that range.
  SampleSummary s = Summarize(values);
  s.ci95.lo = std::clamp(s.ci95.lo, lo, hi);
  s.ci95.hi = std::clamp(s.ci95.hi, lo, hi);
  return s;
}

RateSummary MetricDef::PoolRate(const std::vector<ReplicaResult>& replicas) const {
  assert(tally);
  Tally total;
  for (const ReplicaResult& r : replicas) {
    const Tally t = tally(r);
    total.count += t.count;
    total.trials += t.trials;
  }
  return SummarizeRate(total.count, total.trials);
}

double MetricDef::PerReplica(const ReplicaResult& replica) const {
  if (tally) {
    const Tally t = tally(replica);
    return t.trials > 0 ? static_cast<double>(t.count) / static_cast<double>(t.trials) : kMissing;
  }
  std::vector<double> values;
  observe(replica, values);
  if (values.empty()) return kMissing;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

const std::vector<MetricDef>& Metrics() {
  static const std::vector<MetricDef> metrics = [] {
    std::vector<MetricDef> all = ChangeMetrics();
    const std::vector<MetricDef> commits = CommitFlowMetrics();
    all.insert(all.end(), commits.begin(), commits.end());
    return all;
  }();
  return metrics;
}

const MetricDef* FindMetric(std::string_view name) {
  for (const MetricDef& m : Metrics()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::vector<const MetricDef*> ParetoAxes() {
  std::vector<const MetricDef*> axes;
  for (const MetricDef& m : Metrics()) {
    if (m.sweep.pareto_axis > 0) axes.push_back(&m);
  }
  std::stable_sort(axes.begin(), axes.end(), [](const MetricDef* a, const MetricDef* b) {
    return a->sweep.pareto_axis < b->sweep.pareto_axis;
  });
  return axes;
}

std::string SweepKey(const MetricDef& metric) {
  switch (metric.sweep.statistic) {
    case SweepStatistic::kMean:
      return std::string(metric.name) + "_mean";
    case SweepStatistic::kP50:
      return std::string(metric.name) + "_p50";
    case SweepStatistic::kRate:
      return metric.name;
  }
  return metric.name;
}

bool AnyCommitFlow(const std::vector<ReplicaResult>& replicas) {
  for (const ReplicaResult& r : replicas) {
    if (r.commit_flow) return true;
  }
  return false;
}

}  // namespace fleetsim
