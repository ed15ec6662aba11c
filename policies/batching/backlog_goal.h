// backlog_goal: Instagram's commit selection with backlog handling ("Continuous Deployment at
// Instagram", 2016): "setting a time goal in which to deploy every commit (30 min). For each
// commit in the queue, it calculates the time remaining to meet the goal, the number of
// rollouts that can be done in that time (using a hard-coded value), and the number of
// commits that would have to be deployed per rollout. It takes the maximum commits/rollout
// value, but caps it at three."
//
// Exactly, for the queue q_1..q_n (oldest first) at time now:
//   left_i  = goal - (now - landed_i)                     time remaining to meet the goal
//   fit_i   = floor(left_i / rollout_duration)            rollouts that fit (<= 0 if none)
//   need_i  = ceil(i / fit_i), or max_commits if fit_i <= 0   (commit i ships with the i-th
//             commit of the queue, so i commits must go out within fit_i rollouts)
//   take    = min(max_commits, max_i need_i, n), at least 1.
#pragma once

#include <cstdint>
#include <span>

#include "sim/batching_policy.h"

namespace fleetsim {

int64_t BacklogGoalCommitsPerRollout(std::span<const QueuedCommit> queue, SimTime now, SimTime goal,
                                     SimTime rollout_duration, int64_t max_commits);

}  // namespace fleetsim
