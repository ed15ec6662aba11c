#include "analysis/run_summary.h"

#include <algorithm>
#include <limits>

#include "analysis/commit_flow_summary.h"

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

namespace {

// A t interval is symmetric and can leave the range a quantity can take (a blast radius above
// 100%, a negative count); clip it to that range.
SampleSummary Bounded(SampleSummary s, double lo, double hi) {
  s.ci95.lo = std::clamp(s.ci95.lo, lo, hi);
  s.ci95.hi = std::clamp(s.ci95.hi, lo, hi);
  return s;
}

constexpr double kUnbounded = std::numeric_limits<double>::infinity();

}  // namespace

RunSummary SummarizeRun(const std::vector<ReplicaResult>& replicas) {
  RunSummary s;
  RunTotals& t = s.totals;
  t.replicas = static_cast<int64_t>(replicas.size());
  std::vector<double> blast, failed_bad, ttd, ttm, lead, impacted, exposed_minutes;
  std::vector<double> failed_per_replica, changes_per_replica, bad_per_replica;
  for (const ReplicaResult& r : replicas) {
    double failed_total = 0;
    int64_t bad_here = 0;
    int worst_sev = 0;  // most severe (lowest) level of this replica; 0: none
    for (const ChangeOutcome& o : r.outcomes) {
      ++t.changes;
      failed_total += static_cast<double>(o.failed_requests);
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
        ++bad_here;
        blast.push_back(o.peak_exposed_fraction);
        failed_bad.push_back(static_cast<double>(o.failed_requests));
        impacted.push_back(o.impacted_traffic_peak);
        exposed_minutes.push_back(o.exposed_host_minutes);
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
        if (auto d = o.ttd()) ttd.push_back(d->minutes());
        if (auto m = o.ttm())
          ttm.push_back(m->minutes());
        else
          ++t.unmitigated;
      }
      if (auto l = o.lead_time()) lead.push_back(l->minutes());
    }
    ++t.worst_sev_replicas[static_cast<size_t>(worst_sev)];
    failed_per_replica.push_back(failed_total);
    changes_per_replica.push_back(static_cast<double>(r.outcomes.size()));
    bad_per_replica.push_back(static_cast<double>(bad_here));
  }
  s.samples = {
      {"blast_radius", "fraction of hosts", "bad changes", Bounded(Summarize(blast), 0, 1)},
      {"failed_requests", "requests", "bad changes", Bounded(Summarize(failed_bad), 0, kUnbounded)},
      {"failed_requests_per_replica", "requests", "replicas",
       Bounded(Summarize(failed_per_replica), 0, kUnbounded)},
      {"impacted_traffic_peak", "fraction of traffic", "bad changes",
       Bounded(Summarize(impacted), 0, 1)},
      {"exposed_host_minutes", "host-minutes", "bad changes",
       Bounded(Summarize(exposed_minutes), 0, kUnbounded)},
      {"ttd", "minutes", "detected bad changes", Bounded(Summarize(ttd), 0, kUnbounded)},
      {"ttm", "minutes", "mitigated bad changes (mean = MTTR)",
       Bounded(Summarize(ttm), 0, kUnbounded)},
      {"lead_time", "minutes", "changes that reached 100%",
       Bounded(Summarize(lead), 0, kUnbounded)},
      {"changes_per_replica", "changes", "replicas",
       Bounded(Summarize(changes_per_replica), 0, kUnbounded)},
      {"bad_changes_per_replica", "changes", "replicas",
       Bounded(Summarize(bad_per_replica), 0, kUnbounded)},
  };
  s.rates = {
      {"escape_rate", "bad changes", SummarizeRate(t.escaped, t.bad)},
      {"false_positive_rate", "good changes", SummarizeRate(t.false_positives, t.good)},
      {"detection_rate", "bad changes", SummarizeRate(t.detected, t.bad)},
      {"automated_detection_rate", "bad changes", SummarizeRate(t.detected_by_automation, t.bad)},
      {"misattribution_rate", "good changes", SummarizeRate(t.misattributed, t.good)},
      {"dry_run_false_positive_rate", "good changes",
       SummarizeRate(t.dry_run_would_stop_good, t.good)},
      {"dry_run_detection_rate", "bad changes", SummarizeRate(t.dry_run_would_stop_bad, t.bad)},
  };
  AddCommitFlowMetrics(replicas, s);  // only for scenarios with a commit stream
  return s;
}

}  // namespace fleetsim
