#include "analysis/commit_flow_summary.h"

#include <algorithm>
#include <limits>

namespace fleetsim {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

SampleSummary NonNegative(SampleSummary s) {
  s.ci95.lo = std::max(0.0, s.ci95.lo);
  s.ci95.hi = std::max(0.0, s.ci95.hi);
  return s;
}

}  // namespace

void AddCommitFlowMetrics(const std::vector<ReplicaResult>& replicas, RunSummary& summary) {
  bool any = false;
  for (const ReplicaResult& r : replicas) any = any || r.commit_flow.has_value();
  if (!any) return;
  std::vector<double> lead, per_release, deploys_per_day, backlog_mean, backlog_max, blocked,
      bisect, bad_full;
  int64_t bad = 0, bad_reached = 0, good = 0, good_reverted = 0, landed = 0, deployed = 0;
  for (const ReplicaResult& r : replicas) {
    if (!r.commit_flow) continue;
    const CommitFlowResult& f = *r.commit_flow;
    for (const CommitRecord& c : f.commits) {
      ++landed;
      if (auto l = c.lead_time()) {
        lead.push_back(l->minutes());
        ++deployed;
      }
      if (c.bad) {
        ++bad;
        if (c.reached_full) ++bad_reached;
      } else {
        ++good;
        if (c.fate == CommitFate::kRevertedByTests || c.fate == CommitFate::kRevertedAsCulprit)
          ++good_reverted;
      }
    }
    for (int64_t n : f.release_sizes) per_release.push_back(static_cast<double>(n));
    const double days = f.duration.minutes() / 1440.0;
    deploys_per_day.push_back(days > 0 ? static_cast<double>(f.releases_deployed) / days : 0.0);
    backlog_mean.push_back(f.backlog_time_average);
    backlog_max.push_back(static_cast<double>(f.backlog_max));
    blocked.push_back(f.blocked.minutes());
    bisect.push_back(static_cast<double>(f.bisection_steps));
    bad_full.push_back(static_cast<double>(f.bad_commits_reached_full));
  }
  const std::vector<SampleMetric> samples = {
      {"commit_lead_time", "minutes", "deployed commits (landed -> release at 100%)",
       NonNegative(Summarize(lead))},
      {"deploys_per_day", "releases", "replicas", NonNegative(Summarize(deploys_per_day))},
      {"commits_per_release", "commits", "releases", NonNegative(Summarize(per_release))},
      {"backlog_mean", "commits", "replicas (time average of the queue)",
       NonNegative(Summarize(backlog_mean))},
      {"backlog_max", "commits", "replicas", NonNegative(Summarize(backlog_max))},
      {"pipeline_blocked", "minutes", "replicas", NonNegative(Summarize(blocked))},
      {"bisection_steps", "canaries", "replicas", NonNegative(Summarize(bisect))},
      {"bad_commits_reached_full", "commits", "replicas", NonNegative(Summarize(bad_full))},
  };
  summary.samples.insert(summary.samples.end(), samples.begin(), samples.end());
  summary.rates.push_back(
      {"bad_commit_escape_rate", "bad commits (reached 100%)", SummarizeRate(bad_reached, bad)});
  summary.rates.push_back({"good_commit_revert_rate",
                           "good commits (reverted by CI or as a suspect)",
                           SummarizeRate(good_reverted, good)});
  summary.rates.push_back({"commits_deployed", "landed commits", SummarizeRate(deployed, landed)});
}

double ReplicaCommitLeadTime(const ReplicaResult& r) {
  if (!r.commit_flow) return kMissing;
  double sum = 0;
  int64_t n = 0;
  for (const CommitRecord& c : r.commit_flow->commits) {
    if (auto l = c.lead_time()) {
      sum += l->minutes();
      ++n;
    }
  }
  return n > 0 ? sum / static_cast<double>(n) : kMissing;
}

double ReplicaBacklogMean(const ReplicaResult& r) {
  return r.commit_flow ? r.commit_flow->backlog_time_average : kMissing;
}

double ReplicaBlockedMinutes(const ReplicaResult& r) {
  return r.commit_flow ? r.commit_flow->blocked.minutes() : kMissing;
}

double ReplicaBadCommitsReachedFull(const ReplicaResult& r) {
  return r.commit_flow ? static_cast<double>(r.commit_flow->bad_commits_reached_full) : kMissing;
}

}  // namespace fleetsim
