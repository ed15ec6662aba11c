// RiskPolicy: routing of code releases by their risk score (Meta's Diff Risk Score).
//
// Every commit carries an observable risk score in (0, 1) (commit_stream.h); a release's score
// is the highest of its commits'. A risk policy decides (a) whether a commit is released alone
// rather than batched with others, and (b) which rollout a release takes: a slower path (e.g.
// RCV or more stages) for high risk, a faster one for low risk, or the policy's own rollout.
// Config changes are never routed. Kinds live in policies/risk/ and are immutable after
// construction (shared by every replica and thread).
#pragma once

#include <string_view>

#include "sim/rollout_policy.h"

namespace fleetsim {

class RiskPolicy {
 public:
  virtual ~RiskPolicy() = default;
  virtual std::string_view Kind() const = 0;
  // A commit with this score ships in a release of its own.
  virtual bool ReleaseAlone(double risk) const = 0;
  // The rollout for a release with this score; null = the policy's own rollout.
  virtual const RolloutPolicy* RolloutFor(double risk) const = 0;
};

}  // namespace fleetsim
