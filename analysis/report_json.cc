// JSON report (schema_version 1). Shape:
//   {schema_version, tool, seed, replicas, scenario:{name, file, hosts, regions, clusters,
//    cells, duration_minutes, changes_per_replica}, policy:{name, source, rollout, health},
//    summary:{metric: {mean, ci95:[lo,hi], p50, p95, p99, n, unit, over} | {rate, ci95, count,
//    n, over}}, totals:{...}}
// `summary` holds the RunSummary's metrics, i.e. every applicable entry of the metric registry
// (metrics.h): the sample metrics in registry order, then the rates in registry order. A sweep's
// points carry one key per Pareto axis of the registry (SweepKey: lead_time_p50, ...).
// A scenario with severity levels adds to totals `sev_changes: {sevN: bad changes at level N}`
// and `replicas_by_worst_sev: {sevN: replicas whose worst incident was level N, none: ...}`.
// With several policies (compare), `policy`/`summary`/`totals` move into `runs: [...]`, and
// `paired` holds each policy's per-metric paired difference against the first.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "analysis/report.h"

namespace fleetsim {
namespace {

using nlohmann::ordered_json;

ordered_json Number(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }

ordered_json SampleJson(const SampleMetric& m) {
  const SampleSummary& s = m.summary;
  return ordered_json{{"mean", Number(s.mean)}, {"ci95", {Number(s.ci95.lo), Number(s.ci95.hi)}},
                      {"p50", Number(s.p50)},   {"p95", Number(s.p95)},
                      {"p99", Number(s.p99)},   {"n", s.n},
                      {"unit", m.unit},         {"over", m.over}};
}

ordered_json RateJson(const RateMetric& m) {
  const RateSummary& r = m.summary;
  return ordered_json{{"rate", Number(r.rate)},
                      {"ci95", {Number(r.ci95.lo), Number(r.ci95.hi)}},
                      {"count", r.count},
                      {"n", r.trials},
                      {"over", m.over}};
}

ordered_json PolicyJson(const Policy& p) {
  return ordered_json{
      {"name", p.name},
      {"source", p.source},
      {"rollout", std::string(p.rollout->Kind())},
      {"health", p.health ? ordered_json(std::string(p.health->Kind())) : ordered_json(nullptr)}};
}

ordered_json TotalsJson(const RunTotals& t, const SeveritySpec& severity) {
  ordered_json out{{"changes", t.changes},
                   {"good", t.good},
                   {"bad", t.bad},
                   {"latent", t.latent},
                   {"detected", t.detected},
                   {"detected_by_automation", t.detected_by_automation},
                   {"detected_by_human", t.detected_by_human},
                   {"escaped", t.escaped},
                   {"false_positives", t.false_positives},
                   {"misattributed", t.misattributed},
                   {"unmitigated", t.unmitigated},
                   {"completed", t.completed},
                   {"rolled_back", t.rolled_back},
                   {"paused", t.paused},
                   {"dry_run_would_stop_good", t.dry_run_would_stop_good},
                   {"dry_run_would_stop_bad", t.dry_run_would_stop_bad}};
  if (severity.levels.empty()) return out;
  std::vector<int> levels;
  for (const SevThreshold& l : severity.levels) levels.push_back(l.level);
  std::sort(levels.begin(), levels.end());
  ordered_json changes = ordered_json::object();
  ordered_json replicas = ordered_json::object();
  for (int level : levels) {
    changes["sev" + std::to_string(level)] = t.sev_changes[static_cast<size_t>(level)];
    replicas["sev" + std::to_string(level)] = t.worst_sev_replicas[static_cast<size_t>(level)];
  }
  replicas["none"] = t.worst_sev_replicas[0];
  out["sev_changes"] = changes;
  out["replicas_by_worst_sev"] = replicas;
  return out;
}

ordered_json SummaryJson(const RunSummary& s) {
  ordered_json out = ordered_json::object();
  for (const SampleMetric& m : s.samples) out[m.name] = SampleJson(m);
  for (const RateMetric& m : s.rates) out[m.name] = RateJson(m);
  return out;
}

}  // namespace

std::string RenderJson(const Report& report) {
  const Scenario& sc = *report.scenario;
  double changes = 0;
  if (!report.runs.empty()) {
    const SampleMetric* m = report.runs.front().summary.FindSample("changes_per_replica");
    if (m) changes = m->summary.mean;
  }
  ordered_json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["tool"] = "fleetsim";
  j["seed"] = report.seed;
  j["replicas"] = report.replicas;
  j["scenario"] = ordered_json{{"name", sc.name},
                               {"file", sc.file},
                               {"hosts", sc.fleet->total_hosts()},
                               {"regions", sc.fleet->regions().size()},
                               {"clusters", sc.fleet->clusters().size()},
                               {"cells", sc.fleet->cells().size()},
                               {"duration_minutes", sc.duration.minutes()},
                               {"changes", Number(changes)}};
  if (report.runs.size() == 1) {
    j["policy"] = PolicyJson(*report.runs[0].policy);
    j["summary"] = SummaryJson(report.runs[0].summary);
    j["totals"] = TotalsJson(report.runs[0].summary.totals, sc.severity);
  } else {
    ordered_json runs = ordered_json::array();
    for (const PolicyRun& run : report.runs) {
      runs.push_back(ordered_json{{"policy", PolicyJson(*run.policy)},
                                  {"summary", SummaryJson(run.summary)},
                                  {"totals", TotalsJson(run.summary.totals, sc.severity)}});
    }
    j["runs"] = runs;
    ordered_json paired = ordered_json::array();
    for (const PairedComparison& c : report.paired) {
      ordered_json metrics = ordered_json::object();
      for (const PairedMetric& m : c.metrics) {
        metrics[m.name] =
            ordered_json{{"baseline_mean", Number(m.baseline_mean)},
                         {"policy_mean", Number(m.policy_mean)},
                         {"mean_difference", Number(m.difference.mean)},
                         {"ci95", {Number(m.difference.ci95.lo), Number(m.difference.ci95.hi)}},
                         {"p_value", Number(m.difference.p_value)},
                         {"n", m.difference.n},
                         {"verdict", PairedVerdictName(m.verdict)}};
      }
      paired.push_back(ordered_json{{"baseline", c.baseline},
                                    {"policy", c.policy},
                                    {"alpha", kPairedAlpha},
                                    {"metrics", metrics}});
    }
    if (!report.paired.empty()) j["paired"] = paired;
    if (!report.sweep.empty()) {
      ordered_json sweep = ordered_json::array();
      const std::vector<const MetricDef*> axes = ParetoAxes();
      for (const ParetoPoint& p : report.sweep) {
        ordered_json point = ordered_json::object();
        point["point"] = p.label;
        for (size_t k = 0; k < axes.size(); ++k) point[SweepKey(*axes[k])] = Number(p.axes[k]);
        point["on_pareto_front"] = p.on_front;
        sweep.push_back(point);
      }
      j["sweep"] = sweep;
    }
  }
  return j.dump(2) + "\n";
}

}  // namespace fleetsim
