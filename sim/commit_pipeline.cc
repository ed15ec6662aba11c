#include "sim/commit_pipeline.h"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cassert>
#include <cmath>

#include "sim/culprit_search.h"
#include "sim/random_stream.h"

namespace fleetsim {
namespace {

// Wake-up tokens: kind in the top byte, payload below.
enum TokenKind : uint64_t {
  kCiDone = 1,      // payload: commit id << 8 | attempt
  kUnblocked = 2,   // payload: 0
  kPolicyWake = 3,  // payload: 0
  kCiReviewed = 4,  // payload: commit id (a person looked at a blocking CI failure)
};

uint64_t Token(TokenKind kind, uint64_t payload) {
  return (static_cast<uint64_t>(kind) << 56) | payload;
}

}  // namespace

const char* CommitFateName(CommitFate f) {
  switch (f) {
    case CommitFate::kPending:
      return "pending";
    case CommitFate::kInRelease:
      return "in_release";
    case CommitFate::kDeployed:
      return "deployed";
    case CommitFate::kRevertedByTests:
      return "reverted_by_tests";
    case CommitFate::kRevertedAsCulprit:
      return "reverted_as_culprit";
  }
  return "?";
}

CommitPipeline::CommitPipeline(const CommitStreamSpec& spec, const BatchingPolicy& policy,
                               const RiskPolicy* risk, const FaultCatalog& catalog,
                               const HumanSpec& humans, std::vector<Commit> commits, uint64_t seed,
                               uint32_t replica)
    : spec_(spec),
      policy_(policy),
      risk_(risk),
      catalog_(catalog),
      humans_(humans),
      seed_(seed),
      replica_(replica),
      commits_(std::move(commits)) {
  records_.resize(commits_.size());
  ready_at_.resize(commits_.size());
  for (size_t i = 0; i < commits_.size(); ++i) {
    records_[i].id = commits_[i].id;
    records_[i].landed = commits_[i].landed;
    records_[i].bad = commits_[i].bad();
    records_[i].risk = commits_[i].risk;
  }
}

SimTime CommitPipeline::ResponseTime(const StreamKey& key) const {
  // Lognormal like the on-call's alert response (human_model.h), from the pipeline's own stream.
  RandomStream rng(key);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  const double factor =
      humans_.response_sigma > 0 ? std::exp(humans_.response_sigma * normal(rng)) : 1.0;
  return SimTime::Millis(
      std::llround(static_cast<double>(humans_.response_median.millis()) * factor));
}

void CommitPipeline::Start(Outbox& out) {
  for (const Commit& c : commits_) {
    out.wakes.push_back(
        {c.landed + spec_.test_duration, Token(kCiDone, static_cast<uint64_t>(c.id) << 8)});
  }
}

void CommitPipeline::SetQueueTime(SimTime now) {
  queue_integral_ms_ +=
      static_cast<double>(queue_.size()) * static_cast<double>((now - queue_since_).millis());
  queue_since_ = now;
}

void CommitPipeline::Enqueue(SimTime now, int64_t commit, bool at_front) {
  SetQueueTime(now);
  const Commit& c = commits_[static_cast<size_t>(commit)];
  const QueuedCommit q{c.id, c.landed, ready_at_[static_cast<size_t>(commit)], c.risk};
  if (at_front)
    queue_.push_front(q);
  else
    queue_.push_back(q);
  records_[static_cast<size_t>(commit)].fate = CommitFate::kPending;
  backlog_max_ = std::max(backlog_max_, static_cast<int64_t>(queue_.size()));
}

void CommitPipeline::Block(SimTime now, SimTime length, uint64_t token, Outbox& out) {
  // One on-call: blocks queue up behind each other. The union of blocked time is accumulated
  // as it is added (blocks are added in time order).
  const SimTime start = std::max(now, blocked_until_);
  blocked_total_ += start + length - std::max(start, blocked_until_);
  blocked_until_ = start + length;
  out.wakes.push_back({blocked_until_, token});
}

void CommitPipeline::OnWake(SimTime now, uint64_t token, Outbox& out) {
  const uint64_t kind = token >> 56;
  const uint64_t payload = token & ((uint64_t{1} << 56) - 1);
  if (kind == kCiDone) {
    const int64_t id = static_cast<int64_t>(payload >> 8);
    const int attempt = static_cast<int>(payload & 0xff);
    const Commit& c = commits_[static_cast<size_t>(id)];
    if (!CommitTestFails(c, spec_.flake_probability, attempt, seed_, replica_)) {
      ready_at_[static_cast<size_t>(id)] = now;
      Enqueue(now, id, false);
    } else {
      const PipelineOptions& o = policy_.options();
      if (o.on_test_failure == TestFailureAction::kRetry && attempt < o.max_retries) {
        out.wakes.push_back(
            {now + spec_.test_duration, Token(kCiDone, (static_cast<uint64_t>(id) << 8) |
                                                           static_cast<uint64_t>(attempt + 1))});
      } else if (o.on_test_failure == TestFailureAction::kBlock) {
        Block(now, ResponseTime(StreamKey::CiReview(seed_, replica_, id)),
              Token(kCiReviewed, static_cast<uint64_t>(id)), out);
      } else {
        records_[static_cast<size_t>(id)].fate = CommitFate::kRevertedByTests;
      }
    }
  } else if (kind == kCiReviewed) {
    // The person reverts a bad commit, and lets a good one whose tests flaked through.
    const int64_t id = static_cast<int64_t>(payload);
    if (commits_[static_cast<size_t>(id)].bad()) {
      records_[static_cast<size_t>(id)].fate = CommitFate::kRevertedByTests;
    } else {
      ready_at_[static_cast<size_t>(id)] = now;
      Enqueue(now, id, false);
    }
  }
  TryRelease(now, out);
}

void CommitPipeline::TryRelease(SimTime now, Outbox& out) {
  if (now < blocked_until_ || queue_.empty()) return;
  const bool pipelining = policy_.options().pipelining;
  for (const Release& r : releases_) {
    if (r.state == ReleaseState::kDone || r.state == ReleaseState::kFailed) continue;
    if (!pipelining || r.state == ReleaseState::kCanary) return;
  }
  int64_t take = 0;
  if (Alone(queue_.front().risk)) {
    take = 1;  // high risk: released alone
  } else {
    scratch_queue_.assign(queue_.begin(), queue_.end());
    const BatchDecision d =
        policy_.Decide(BatchingContext{now, scratch_queue_, last_release_start_});
    if (d.wake && *d.wake > now && (!policy_wake_ || *policy_wake_ != *d.wake)) {
      policy_wake_ = d.wake;
      out.wakes.push_back({*d.wake, Token(kPolicyWake, 0)});
    }
    take = std::clamp<int64_t>(d.take, 0, static_cast<int64_t>(queue_.size()));
    // High-risk commits never ride along: cut the batch before the first one.
    for (int64_t i = 1; i < take; ++i) {
      if (Alone(queue_[static_cast<size_t>(i)].risk)) {
        take = i;
        break;
      }
    }
  }
  if (take == 0) return;
  SetQueueTime(now);
  Release release;
  const int64_t index = static_cast<int64_t>(releases_.size());
  for (int64_t i = 0; i < take; ++i) {
    const int64_t id = queue_.front().id;
    queue_.pop_front();
    release.commits.push_back(id);
    records_[static_cast<size_t>(id)].fate = CommitFate::kInRelease;
    records_[static_cast<size_t>(id)].release = index;
  }
  releases_.push_back(std::move(release));
  last_release_start_ = now;
  out.releases.push_back(index);
}

CommitPipeline::ReleaseTruth CommitPipeline::Truth(int64_t release) const {
  ReleaseTruth t;
  double survive = 1.0;
  for (int64_t id : releases_[static_cast<size_t>(release)].commits) {
    const Commit& c = commits_[static_cast<size_t>(id)];
    t.risk = std::max(t.risk, c.risk);
    if (!c.bad()) continue;
    const FaultProfile& f = catalog_.faults[static_cast<size_t>(c.fault)];
    if (t.fault < 0 || f.onset_delay < catalog_.faults[static_cast<size_t>(t.fault)].onset_delay)
      t.fault = c.fault;
    survive *= 1.0 - f.error_rate_increase;
    t.effect.latency_factor *= f.latency_factor;
  }
  t.effect.error_increase = 1.0 - survive;
  return t;
}

void CommitPipeline::OnCanaryPassed(SimTime now, int64_t release, Outbox& out) {
  Release& r = releases_[static_cast<size_t>(release)];
  if (r.state == ReleaseState::kCanary) r.state = ReleaseState::kRolling;
  TryRelease(now, out);
}

void CommitPipeline::OnFullyDeployed(SimTime now, int64_t release) {
  Release& r = releases_[static_cast<size_t>(release)];
  if (r.reached_full) return;
  r.reached_full = true;
  ++releases_deployed_;
  for (int64_t id : r.commits) {
    CommitRecord& rec = records_[static_cast<size_t>(id)];
    rec.deployed_at = now;
    rec.reached_full = true;
    rec.fate = CommitFate::kDeployed;
    if (rec.bad) ++bad_reached_full_;
  }
}

void CommitPipeline::OnCompleted(SimTime now, int64_t release, Outbox& out) {
  Release& r = releases_[static_cast<size_t>(release)];
  if (r.state != ReleaseState::kFailed) r.state = ReleaseState::kDone;
  TryRelease(now, out);
}

void CommitPipeline::OnFailed(SimTime now, int64_t release, Outbox& out) {
  Release& r = releases_[static_cast<size_t>(release)];
  if (r.state == ReleaseState::kFailed) return;
  r.state = ReleaseState::kFailed;
  ++releases_failed_;
  const size_t n = r.commits.size();
  std::vector<bool> bad(n);
  for (size_t i = 0; i < n; ++i) bad[i] = commits_[static_cast<size_t>(r.commits[i])].bad();
  int64_t suspect = -1;
  SimTime search;
  switch (policy_.options().culprit_search) {
    case CulpritSearch::kBisect: {
      const BisectResult b = Bisect(bad);
      suspect = b.suspect;
      bisection_steps_ += b.steps;
      search = policy_.options().bisect_step * b.steps;
      break;
    }
    case CulpritSearch::kRevert:
      // A person finds the bad commit; after a false positive there is none to revert.
      for (size_t i = 0; i < n && suspect < 0; ++i) {
        if (bad[i]) suspect = static_cast<int64_t>(i);
      }
      search = ResponseTime(StreamKey::CulpritSearch(seed_, replica_, release));
      break;
    case CulpritSearch::kRisk:
      suspect = 0;
      for (size_t i = 1; i < n; ++i) {
        if (commits_[static_cast<size_t>(r.commits[i])].risk >
            commits_[static_cast<size_t>(r.commits[suspect])].risk) {
          suspect = static_cast<int64_t>(i);
        }
      }
      search = policy_.options().revert_time;
      break;
  }
  // The rollback takes every commit of the release off the fleet: the culprit is reverted, the
  // others wait at the head of the queue (in their order) for the next release.
  for (size_t k = n; k-- > 0;) {
    const int64_t id = r.commits[k];
    CommitRecord& rec = records_[static_cast<size_t>(id)];
    rec.deployed_at.reset();
    if (static_cast<int64_t>(k) == suspect)
      rec.fate = CommitFate::kRevertedAsCulprit;
    else
      Enqueue(now, id, true);
  }
  Block(now, search, Token(kUnblocked, 0), out);
  TryRelease(now, out);
}

CommitFlowResult CommitPipeline::Finish(SimTime end) {
  SetQueueTime(end);
  CommitFlowResult out;
  out.duration = end;
  out.commits = records_;
  for (const Release& r : releases_)
    out.release_sizes.push_back(static_cast<int64_t>(r.commits.size()));
  out.releases_deployed = releases_deployed_;
  out.releases_failed = releases_failed_;
  out.backlog_time_average =
      end.millis() > 0 ? queue_integral_ms_ / static_cast<double>(end.millis()) : 0.0;
  out.backlog_max = backlog_max_;
  out.blocked = blocked_total_ - std::max(SimTime::Zero(), blocked_until_ - end);
  out.bisection_steps = bisection_steps_;
  out.bad_commits_reached_full = bad_reached_full_;
  return out;
}

}  // namespace fleetsim
