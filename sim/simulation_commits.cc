// Simulation's commit flow: the glue between the engine and its CommitPipeline.
//
// The pipeline (commit_pipeline.h) decides; the engine turns its wake-ups into kPipeline events
// and each release it cuts into a kReleaseStart event at the same instant (never a direct call:
// the pipeline is told about verdicts while the engine iterates its active changes, so a new
// rollout must wait for the next event). A release becomes a dynamically created change: id
// after every config change (config changes keep their ids and random streams), kind code,
// ground truth and fault effect composed from its commits.
#include <string>

#include "sim/commit_stream.h"
#include "sim/simulation.h"

namespace fleetsim {
namespace {

// Without a batching policy, commits ship one per release.
class OneCommitPerRelease : public BatchingPolicy {
 public:
  OneCommitPerRelease() : BatchingPolicy(PipelineOptions{}) {}
  std::string_view Kind() const override { return "single"; }
  BatchDecision Decide(const BatchingContext&) const override {
    return BatchDecision{1, std::nullopt};
  }
};

}  // namespace

const Change& Simulation::ChangeById(int64_t id) const {
  if (id < first_release_id_) return changes_[static_cast<size_t>(id)];
  return releases_[static_cast<size_t>(id - first_release_id_)];
}

const RolloutPolicy& Simulation::RolloutFor(const Change& change) const {
  if (change.info.kind == ChangeKind::kCode && policies_.risk) {
    if (const RolloutPolicy* routed = policies_.risk->RolloutFor(change.info.risk)) return *routed;
  }
  return *policies_.rollout;
}

void Simulation::StartCommitPipeline() {
  first_release_id_ = static_cast<int64_t>(changes_.size());
  const CommitStreamSpec& spec = scenario_.changes.commits;
  if (spec.per_day <= 0) return;
  const BatchingPolicy* batching = policies_.batching;
  if (!batching) {
    default_batching_ = std::make_unique<OneCommitPerRelease>();
    batching = default_batching_.get();
  }
  pipeline_ = std::make_unique<CommitPipeline>(
      spec, *batching, policies_.risk, scenario_.faults, scenario_.humans,
      GenerateCommits(spec, scenario_.faults, scenario_.traffic.start_weekday, scenario_.duration,
                      seed_, replica_),
      seed_, replica_);
  CommitPipeline::Outbox out;
  pipeline_->Start(out);
  ApplyPipeline(SimTime::Zero(), out);
}

void Simulation::ApplyPipeline(SimTime now, CommitPipeline::Outbox& out) {
  for (const CommitPipeline::Outbox::Wake& w : out.wakes) {
    if (w.at <= scenario_.duration)
      queue_.Schedule(w.at, EngineEvent{EventKind::kPipeline, static_cast<int64_t>(w.token)});
  }
  for (int64_t release : out.releases) {
    queue_.Schedule(now, EngineEvent{EventKind::kReleaseStart, release});
  }
  out.wakes.clear();
  out.releases.clear();
}

void Simulation::StartRelease(SimTime now, int64_t release) {
  const CommitPipeline::ReleaseTruth truth = pipeline_->Truth(release);
  Change c;
  c.info.id = first_release_id_ + release;
  c.info.kind = ChangeKind::kCode;
  c.info.arrival = now;
  const size_t commits = pipeline_->release_commits(release).size();
  c.info.label = "release " + std::to_string(release + 1) + " (" + std::to_string(commits) +
                 (commits == 1 ? " commit)" : " commits)");
  c.truth.fault = truth.fault;
  c.info.risk = truth.risk;
  releases_.push_back(c);
  StartArrival(now, c.info.id);
}

void Simulation::NotifyPipeline(SimTime now, int64_t id, ReleaseNews news) {
  if (!pipeline_ || id < first_release_id_) return;
  const int64_t release = id - first_release_id_;
  CommitPipeline::Outbox out;
  switch (news) {
    case ReleaseNews::kCanaryPassed:
      pipeline_->OnCanaryPassed(now, release, out);
      break;
    case ReleaseNews::kFullyDeployed:
      pipeline_->OnFullyDeployed(now, release);
      break;
    case ReleaseNews::kCompleted:
      pipeline_->OnCompleted(now, release, out);
      break;
    case ReleaseNews::kFailed:
      pipeline_->OnFailed(now, release, out);
      break;
  }
  ApplyPipeline(now, out);
}

}  // namespace fleetsim
