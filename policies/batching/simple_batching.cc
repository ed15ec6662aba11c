// single, fixed_n and whole_backlog: batching kinds that need no clock arithmetic.
//   single        one commit per release (the head of the queue);
//   fixed_n       n commits per release once n are ready; a smaller batch when the oldest ready
//                 commit has waited max_wait;
//   whole_backlog every ready commit at once (the on-call "deploying the entire backlog").
#include <algorithm>

#include "policies/batching/batching_registry.h"

namespace fleetsim {
namespace {

class Single : public BatchingPolicy {
 public:
  using BatchingPolicy::BatchingPolicy;
  std::string_view Kind() const override { return "single"; }
  BatchDecision Decide(const BatchingContext&) const override {
    return BatchDecision{1, std::nullopt};
  }
};

class WholeBacklog : public BatchingPolicy {
 public:
  using BatchingPolicy::BatchingPolicy;
  std::string_view Kind() const override { return "whole_backlog"; }
  BatchDecision Decide(const BatchingContext& c) const override {
    return BatchDecision{static_cast<int64_t>(c.queue.size()), std::nullopt};
  }
};

class FixedN : public BatchingPolicy {
 public:
  struct Params {
    int64_t n = 1;  // commits per release
    SimTime
        max_wait;  // ship a smaller batch once the oldest ready commit waited this long (0 = never)
  };
  FixedN(PipelineOptions o, Params p) : BatchingPolicy(o), params_(p) {}
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

}  // namespace

void RegisterSimpleBatching(BatchingRegistry& registry) {
  registry.Register(
      KindDoc{"single",
              "One commit per release, oldest first (Instagram before backlog handling).",
              {},
              "{kind: single}"},
      [](YamlMap& m) -> std::unique_ptr<BatchingPolicy> {
        return std::make_unique<Single>(ParsePipelineOptions(m));
      });
  registry.Register(
      KindDoc{"whole_backlog", "Every ready commit in one release.", {}, "{kind: whole_backlog}"},
      [](YamlMap& m) -> std::unique_ptr<BatchingPolicy> {
        return std::make_unique<WholeBacklog>(ParsePipelineOptions(m));
      });
  registry.Register(
      KindDoc{"fixed_n",
              "Releases of exactly n commits once n are ready; a smaller one when the oldest "
              "waited max_wait.",
              {{"n", "integer", "required", "commits per release"},
               {"max_wait", "duration", "1h",
                "ship what is ready once the oldest ready commit waited this long (0s = never)"}},
              "{kind: fixed_n, n: 5, max_wait: 2h}"},
      [](YamlMap& m) -> std::unique_ptr<BatchingPolicy> {
        FixedN::Params p;
        p.n = m.Required("n").AsInt("batching.n");
        m.RequireRange("n", static_cast<double>(p.n), 1, 1e6);
        p.max_wait = m.Duration("max_wait", SimTime::Hours(1));
        return std::make_unique<FixedN>(ParsePipelineOptions(m), p);
      });
}

}  // namespace fleetsim
