#include "analysis/paired_comparison.h"

#include <cassert>
#include <cmath>
#include <limits>

#include "analysis/commit_flow_summary.h"

namespace fleetsim {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// Per-replica reductions. NaN = the replica has no value (e.g. no bad change manifested).
template <typename Include, typename Value>
double MeanOver(const ReplicaResult& r, Include include, Value value) {
  double sum = 0;
  int n = 0;
  for (const ChangeOutcome& o : r.outcomes) {
    if (!include(o)) continue;
    sum += value(o);
    ++n;
  }
  return n > 0 ? sum / n : kMissing;
}

bool IsBad(const ChangeOutcome& o) { return o.bad; }
bool IsGood(const ChangeOutcome& o) { return !o.bad; }

double BlastRadius(const ReplicaResult& r) {
  return MeanOver(r, IsBad, [](const ChangeOutcome& o) { return o.peak_exposed_fraction; });
}
double FailedRequests(const ReplicaResult& r) {
  double sum = 0;
  for (const ChangeOutcome& o : r.outcomes) sum += static_cast<double>(o.failed_requests);
  return sum;
}
double Ttd(const ReplicaResult& r) {
  return MeanOver(
      r, [](const ChangeOutcome& o) { return o.ttd().has_value(); },
      [](const ChangeOutcome& o) { return o.ttd()->minutes(); });
}
double Ttm(const ReplicaResult& r) {
  return MeanOver(
      r, [](const ChangeOutcome& o) { return o.ttm().has_value(); },
      [](const ChangeOutcome& o) { return o.ttm()->minutes(); });
}
double EscapeRate(const ReplicaResult& r) {
  return MeanOver(r, IsBad, [](const ChangeOutcome& o) { return o.escaped ? 1.0 : 0.0; });
}
double FalsePositiveRate(const ReplicaResult& r) {
  return MeanOver(r, IsGood, [](const ChangeOutcome& o) { return o.false_positive ? 1.0 : 0.0; });
}
double LeadTime(const ReplicaResult& r) {
  return MeanOver(
      r, [](const ChangeOutcome& o) { return o.lead_time().has_value(); },
      [](const ChangeOutcome& o) { return o.lead_time()->minutes(); });
}

}  // namespace

const std::vector<ReplicaMetric>& ReplicaMetrics() {
  static const std::vector<ReplicaMetric> metrics = {
      {"blast_radius", "fraction of hosts", BlastRadius},
      {"failed_requests_per_replica", "requests", FailedRequests},
      {"ttd", "minutes", Ttd},
      {"ttm", "minutes", Ttm},
      {"escape_rate", "fraction of bad changes", EscapeRate},
      {"false_positive_rate", "fraction of good changes", FalsePositiveRate},
      {"lead_time", "minutes", LeadTime},
      {"commit_lead_time", "minutes", ReplicaCommitLeadTime, true},
      {"backlog_mean", "commits", ReplicaBacklogMean, true},
      {"pipeline_blocked", "minutes", ReplicaBlockedMinutes, true},
      {"bad_commits_reached_full", "commits", ReplicaBadCommitsReachedFull, true},
  };
  return metrics;
}

const ReplicaMetric* FindReplicaMetric(const std::string& name) {
  for (const ReplicaMetric& m : ReplicaMetrics()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const char* PairedVerdictName(PairedVerdict v) {
  switch (v) {
    case PairedVerdict::kBetter:
      return "better";
    case PairedVerdict::kWorse:
      return "worse";
    case PairedVerdict::kNoSignificantDifference:
      return "no significant difference";
    case PairedVerdict::kNotComparable:
      return "not comparable";
  }
  return "?";
}

PairedComparison ComparePaired(const std::string& baseline_name,
                               const std::vector<ReplicaResult>& baseline,
                               const std::string& policy_name,
                               const std::vector<ReplicaResult>& policy) {
  assert(baseline.size() == policy.size());
  PairedComparison out{baseline_name, policy_name, {}};
  bool commit_flow = false;
  for (const ReplicaResult& r : baseline) commit_flow = commit_flow || r.commit_flow.has_value();
  for (const ReplicaResult& r : policy) commit_flow = commit_flow || r.commit_flow.has_value();
  for (const ReplicaMetric& def : ReplicaMetrics()) {
    if (def.commit_flow && !commit_flow) continue;
    std::vector<double> a, b;
    for (size_t r = 0; r < baseline.size(); ++r) {
      const double x = def.reduce(policy[r]);
      const double y = def.reduce(baseline[r]);
      if (std::isnan(x) || std::isnan(y)) continue;
      a.push_back(x);
      b.push_back(y);
    }
    PairedMetric m;
    m.name = def.name;
    m.unit = def.unit;
    if (!a.empty()) {
      double sa = 0, sb = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        sa += a[i];
        sb += b[i];
      }
      m.policy_mean = sa / static_cast<double>(a.size());
      m.baseline_mean = sb / static_cast<double>(b.size());
    }
    m.difference = PairedTTest(a, b);
    if (m.difference.n < 2) {
      m.verdict = PairedVerdict::kNotComparable;
    } else if (m.difference.p_value < kPairedAlpha) {
      m.verdict = m.difference.mean < 0 ? PairedVerdict::kBetter : PairedVerdict::kWorse;
    } else {
      m.verdict = PairedVerdict::kNoSignificantDifference;
    }
    out.metrics.push_back(std::move(m));
  }
  return out;
}

}  // namespace fleetsim
