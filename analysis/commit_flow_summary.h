// Commit-flow metrics (issue #5) across the replicas of one run: lead time per commit, deploys
// per day, commits per release, backlog (time average and maximum), time the pipeline was
// blocked, bisection steps, bad commits that reached 100%.
//
// AddCommitFlowMetrics appends them to a RunSummary only when some replica has a commit flow,
// so reports of scenarios without commits are unchanged. Per-replica quantities are
// summarised across replicas (t interval on the mean); lead time and commits per release are
// pooled over all commits / releases of all replicas; rates carry Wilson intervals. Pure.
#pragma once

#include <vector>

#include "analysis/monte_carlo.h"
#include "analysis/run_summary.h"

namespace fleetsim {

void AddCommitFlowMetrics(const std::vector<ReplicaResult>& replicas, RunSummary& summary);

// Per-replica reductions for compare/check ("lower is better"); NaN without a commit flow.
double ReplicaCommitLeadTime(const ReplicaResult& r);  // mean over deployed commits, minutes
double ReplicaBacklogMean(const ReplicaResult& r);     // time-average backlog, commits
double ReplicaBlockedMinutes(const ReplicaResult& r);
double ReplicaBadCommitsReachedFull(const ReplicaResult& r);

}  // namespace fleetsim
