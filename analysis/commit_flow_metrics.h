// Commit-flow metrics (issue #5): the second half of the metric registry (metrics.h), for runs of
// scenarios with a commit stream: lead time per commit, deploys per day, commits per release,
// backlog (time average and maximum), time the pipeline was blocked, bisection steps, bad commits
// that reached 100%, and the commit rates.
//
// Every entry has commit_flow set, so summaries, compare and check of scenarios without commits
// are unchanged. Replicas without a commit flow observe nothing (per replica: NaN). Per-replica
// quantities are one observation per replica; lead time and commits per release pool all commits
// / releases of all replicas. Pure; safe from any thread.
#pragma once

#include <vector>

#include "analysis/metrics.h"

namespace fleetsim {

// The commit-flow entries in registry order (Metrics() appends them to the change-level ones).
std::vector<MetricDef> CommitFlowMetrics();

}  // namespace fleetsim
