#include "analysis/run_summary.h"

#include "analysis/metrics.h"

namespace fleetsim {

const SampleMetric* RunSummary::FindSample(const std::string& name) const {
  for (const SampleMetric& m : samples) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const RateMetric* RunSummary::FindRate(const std::string& name) const {
  for (const RateMetric& m : rates) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

RunSummary SummarizeRun(const std::vector<ReplicaResult>& replicas) {
  RunSummary s;
  RunTotals& t = s.totals;
  t.replicas = static_cast<int64_t>(replicas.size());
  for (const ReplicaResult& r : replicas) {
    int worst_sev = 0;  // most severe (lowest) level of this replica; 0: none
    for (const ChangeOutcome& o : r.outcomes) {
      ++t.changes;
      if (o.final_state == FinalState::kCompleted) ++t.completed;
      if (o.final_state == FinalState::kRolledBack || o.final_state == FinalState::kRollingBack)
        ++t.rolled_back;
      if (o.latent) ++t.latent;
      if (o.pauses > 0) ++t.paused;
      if (o.dry_run_stops > 0) ++(o.bad ? t.dry_run_would_stop_bad : t.dry_run_would_stop_good);
      if (o.false_positive) ++t.false_positives;
      if (o.misattributed) ++t.misattributed;
      if (!o.bad) {
        ++t.good;
      } else {
        ++t.bad;
        if (o.detected_by != DetectedBy::kNone) {
          ++t.detected;
          if (o.detected_by == DetectedBy::kAutomation)
            ++t.detected_by_automation;
          else
            ++t.detected_by_human;
        }
        if (o.escaped) ++t.escaped;
        if (o.sev >= 1 && o.sev <= 9) {
          ++t.sev_changes[static_cast<size_t>(o.sev)];
          if (worst_sev == 0 || o.sev < worst_sev) worst_sev = o.sev;
        }
        if (!o.ttm()) ++t.unmitigated;
      }
    }
    ++t.worst_sev_replicas[static_cast<size_t>(worst_sev)];
  }
  // The metrics themselves: every registry entry that applies, in registry order.
  const bool commit_flow = AnyCommitFlow(replicas);
  for (const MetricDef& m : Metrics()) {
    if (!MetricApplies(m, commit_flow)) continue;
    if (m.is_rate())
      s.rates.push_back({m.name, m.over, m.PoolRate(replicas)});
    else
      s.samples.push_back({m.name, m.unit, m.over, m.PoolSample(replicas)});
  }
  return s;
}

}  // namespace fleetsim
