// single, fixed_n and whole_backlog: batching kinds that need no clock arithmetic.
//   single        one commit per release (the head of the queue);
//   fixed_n       n commits per release once n are ready; a smaller batch when the oldest ready
//                 commit has waited max_wait;
//   whole_backlog every ready commit at once (the on-call "deploying the entire backlog").
#include <algorithm>

#include "policies/batching/batching_registry.h"

namespace fleetsim {
namespace {

// The parameters of a kind with none of its own: the shared pipeline options.
struct PipelineOnly {
  PipelineOptions pipeline;
};

PipelineOnly ReadPipelineOnly(YamlMap& m) { return PipelineOnly{ParsePipelineOptions(m)}; }

class Single : public BatchingPolicy {
 public:
  explicit Single(PipelineOnly p) : BatchingPolicy(p.pipeline) {}
  std::string_view Kind() const override { return "single"; }
  BatchDecision Decide(const BatchingContext&) const override {
    return BatchDecision{1, std::nullopt};
  }
};

class WholeBacklog : public BatchingPolicy {
 public:
  explicit WholeBacklog(PipelineOnly p) : BatchingPolicy(p.pipeline) {}
  std::string_view Kind() const override { return "whole_backlog"; }
  BatchDecision Decide(const BatchingContext& c) const override {
    return BatchDecision{static_cast<int64_t>(c.queue.size()), std::nullopt};
  }
};

class FixedN : public BatchingPolicy {
 public:
  struct Params {
    int64_t n = 1;  // commits per release (required)
    // Ship a smaller batch once the oldest ready commit waited this long (0 = never).
    SimTime max_wait = SimTime::Hours(1);
    PipelineOptions pipeline;
  };
  explicit FixedN(Params p) : BatchingPolicy(p.pipeline), params_(p) {}
  std::string_view Kind() const override { return "fixed_n"; }
  BatchDecision Decide(const BatchingContext& c) const override {
    const int64_t queued = static_cast<int64_t>(c.queue.size());
    if (queued >= params_.n) return BatchDecision{params_.n, std::nullopt};
    if (params_.max_wait <= SimTime::Zero()) return BatchDecision{0, std::nullopt};
    SimTime oldest = c.queue.front().ready;
    for (const QueuedCommit& q : c.queue) oldest = std::min(oldest, q.ready);
    const SimTime due = oldest + params_.max_wait;
    if (c.now >= due) return BatchDecision{queued, std::nullopt};
    return BatchDecision{0, due};
  }

 private:
  Params params_;
};

KindDef<BatchingPolicy, PipelineOnly> SingleKind() {
  return {.summary = "One commit per release, oldest first (Instagram before backlog handling).",
          .params = {},
          .example = "{kind: single}",
          .read = ReadPipelineOnly,
          .make = New<Single>{}};
}

KindDef<BatchingPolicy, PipelineOnly> WholeBacklogKind() {
  return {.summary = "Every ready commit in one release.",
          .params = {},
          .example = "{kind: whole_backlog}",
          .read = ReadPipelineOnly,
          .make = New<WholeBacklog>{}};
}

FixedN::Params ReadFixedN(YamlMap& m) {
  FixedN::Params p;
  p.n = m.Required("n").AsInt("batching.n");
  m.RequireRange("n", static_cast<double>(p.n), 1, 1e6);
  p.max_wait = m.Duration("max_wait", p.max_wait);
  p.pipeline = ParsePipelineOptions(m);
  return p;
}

KindDef<BatchingPolicy, FixedN::Params> FixedNKind() {
  using P = FixedN::Params;
  return {.summary =
              "Releases of exactly n commits once n are ready; a smaller one when the "
              "oldest waited max_wait.",
          .params = {RequiredParam("n", "integer", "commits per release"),
                     Param("max_wait", "duration", &P::max_wait,
                           "ship what is ready once the oldest ready commit waited this long (0s "
                           "= never)")},
          .example = "{kind: fixed_n, n: 5, max_wait: 2h}",
          .read = ReadFixedN,
          .make = New<FixedN>{}};
}

}  // namespace

FLEETSIM_REGISTER_BATCHING_KIND(single, SingleKind);
FLEETSIM_REGISTER_BATCHING_KIND(whole_backlog, WholeBacklogKind);
FLEETSIM_REGISTER_BATCHING_KIND(fixed_n, FixedNKind);

}  // namespace fleetsim
