#include "policies/batching/backlog_goal.h"

#include <algorithm>

#include "policies/batching/batching_registry.h"

namespace fleetsim {

int64_t BacklogGoalCommitsPerRollout(std::span<const QueuedCommit> queue, SimTime now, SimTime goal,
                                     SimTime rollout_duration, int64_t max_commits) {
  int64_t need = 1;
  for (size_t k = 0; k < queue.size(); ++k) {
    const int64_t position = static_cast<int64_t>(k) + 1;
    const SimTime left = goal - (now - queue[k].landed);
    const int64_t fit = left.millis() > 0 ? left.millis() / rollout_duration.millis() : 0;
    need = std::max(need, fit > 0 ? (position + fit - 1) / fit : max_commits);
  }
  return std::min({need, max_commits, static_cast<int64_t>(queue.size())});
}

namespace {

class BacklogGoal : public BatchingPolicy {
 public:
  struct Params {
    SimTime goal = SimTime::Minutes(30);  // deploy every commit within this time of landing
    SimTime rollout_duration = SimTime::Minutes(10);  // the hard-coded estimate of one rollout
    int64_t max_commits = 3;                          // cap on commits per rollout
    PipelineOptions pipeline;
  };
  explicit BacklogGoal(Params p) : BatchingPolicy(p.pipeline), params_(p) {}
  std::string_view Kind() const override { return "backlog_goal"; }
  BatchDecision Decide(const BatchingContext& c) const override {
    return BatchDecision{
        BacklogGoalCommitsPerRollout(c.queue, c.now, params_.goal, params_.rollout_duration,
                                     params_.max_commits),
        std::nullopt};
  }

 private:
  Params params_;
};

BacklogGoal::Params ReadBacklogGoal(YamlMap& m) {
  BacklogGoal::Params p;
  p.goal = m.Duration("goal", p.goal);
  p.rollout_duration = m.Duration("rollout_duration", p.rollout_duration);
  if (p.rollout_duration <= SimTime::Zero())
    m.Required("rollout_duration").Fail("batching.rollout_duration: expected a positive duration");
  p.max_commits = m.Int("max_commits", p.max_commits);
  m.RequireRange("max_commits", static_cast<double>(p.max_commits), 1, 1e6);
  p.pipeline = ParsePipelineOptions(m);
  return p;
}

KindDef<BatchingPolicy, BacklogGoal::Params> BacklogGoalKind() {
  using P = BacklogGoal::Params;
  return {
      .summary =
          "Instagram's rule: per queued commit, the commits per rollout needed to meet "
          "the goal; the maximum, capped.",
      .params = {Param("goal", "duration", &P::goal,
                       "time from landing within which every commit should be deployed"),
                 Param("rollout_duration", "duration", &P::rollout_duration,
                       "estimated duration of one rollout (Instagram: hard-coded)"),
                 Param("max_commits", "integer", &P::max_commits, "cap on commits per rollout")},
      .example = "{kind: backlog_goal, goal: 30m, rollout_duration: 10m, max_commits: 3}",
      .read = ReadBacklogGoal,
      .make = New<BacklogGoal>{}};
}

}  // namespace

FLEETSIM_REGISTER_BATCHING_KIND(backlog_goal, BacklogGoalKind);

}  // namespace fleetsim
