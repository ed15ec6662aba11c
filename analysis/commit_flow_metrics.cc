// The commit-flow entries of the metric registry; see commit_flow_metrics.h.
#include "analysis/commit_flow_metrics.h"

namespace fleetsim {
namespace {

using Out = std::vector<double>;

// Appends value(f) for a replica with a commit flow f (one observation per replica).
template <typename Value>
void ObserveFlow(const ReplicaResult& r, Out& out, Value value) {
  if (r.commit_flow) out.push_back(value(*r.commit_flow));
}

// Trials: the replica's commits in the population; count: those for which success(c) holds.
template <typename Include, typename Success>
Tally TallyCommits(const ReplicaResult& r, Include include, Success success) {
  Tally t;
  if (!r.commit_flow) return t;
  for (const CommitRecord& c : r.commit_flow->commits) {
    if (!include(c)) continue;
    ++t.trials;
    if (success(c)) ++t.count;
  }
  return t;
}

}  // namespace

std::vector<MetricDef> CommitFlowMetrics() {
  return {
      {.name = "commit_lead_time",
       .unit = "minutes",
       .over = "deployed commits (landed -> release at 100%)",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             if (!r.commit_flow) return;
             for (const CommitRecord& c : r.commit_flow->commits) {
               if (auto l = c.lead_time()) out.push_back(l->minutes());
             }
           },
       .paired = true,
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "commit lead time (min)", 1, "%.1f", true}},
      {.name = "deploys_per_day",
       .unit = "releases",
       .over = "replicas",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveFlow(r, out, [](const CommitFlowResult& f) {
               const double days = f.duration.minutes() / 1440.0;
               return days > 0 ? static_cast<double>(f.releases_deployed) / days : 0.0;
             });
           },
       .lower_is_better = false,
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "deploys / day"}},
      {.name = "commits_per_release",
       .unit = "commits",
       .over = "releases",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             if (!r.commit_flow) return;
             for (int64_t n : r.commit_flow->release_sizes) out.push_back(static_cast<double>(n));
           },
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "commits / release", 1, "%.2f"}},
      {.name = "backlog_mean",
       .unit = "commits",
       .over = "replicas (time average of the queue)",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveFlow(r, out, [](const CommitFlowResult& f) { return f.backlog_time_average; });
           },
       .paired = true,
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "backlog (time avg)", 1, "%.2f"}},
      {.name = "backlog_max",
       .unit = "commits",
       .over = "replicas",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveFlow(r, out, [](const CommitFlowResult& f) {
               return static_cast<double>(f.backlog_max);
             });
           },
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "backlog max"}},
      {.name = "pipeline_blocked",
       .unit = "minutes",
       .over = "replicas",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveFlow(r, out, [](const CommitFlowResult& f) { return f.blocked.minutes(); });
           },
       .paired = true,
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "pipeline blocked (min)"}},
      {.name = "bisection_steps",
       .unit = "canaries",
       .over = "replicas",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveFlow(r, out, [](const CommitFlowResult& f) {
               return static_cast<double>(f.bisection_steps);
             });
           },
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "bisection steps", 1, "%.2f"}},
      {.name = "bad_commits_reached_full",
       .unit = "commits",
       .over = "replicas",
       .observe =
           [](const ReplicaResult& r, Out& out) {
             ObserveFlow(r, out, [](const CommitFlowResult& f) {
               return static_cast<double>(f.bad_commits_reached_full);
             });
           },
       .paired = true,
       .commit_flow = true},
      {.name = "bad_commit_escape_rate",
       .unit = "fraction of bad commits",
       .over = "bad commits (reached 100%)",
       .tally =
           [](const ReplicaResult& r) {
             return TallyCommits(
                 r, [](const CommitRecord& c) { return c.bad; },
                 [](const CommitRecord& c) { return c.reached_full; });
           },
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "bad commits at 100%"}},
      {.name = "good_commit_revert_rate",
       .unit = "fraction of good commits",
       .over = "good commits (reverted by CI or as a suspect)",
       .tally =
           [](const ReplicaResult& r) {
             return TallyCommits(
                 r, [](const CommitRecord& c) { return !c.bad; },
                 [](const CommitRecord& c) {
                   return c.fate == CommitFate::kRevertedByTests ||
                          c.fate == CommitFate::kRevertedAsCulprit;
                 });
           },
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "good commits reverted"}},
      {.name = "commits_deployed",
       .unit = "fraction of landed commits",
       .over = "landed commits",
       .tally =
           [](const ReplicaResult& r) {
             return TallyCommits(
                 r, [](const CommitRecord&) { return true; },
                 [](const CommitRecord& c) { return c.lead_time().has_value(); });
           },
       .lower_is_better = false,
       .commit_flow = true,
       .table = {TableSection::kCommitFlow, "commits deployed"}},
  };
}

}  // namespace fleetsim
