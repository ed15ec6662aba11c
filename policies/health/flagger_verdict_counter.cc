// Flagger's failedChecks counting. See flagger_verdict_counter.h.
#include "policies/health/flagger_verdict_counter.h"

namespace fleetsim {

CountDecision FlaggerVerdictCounter::Add(const Verdict& v) {
  const VerdictKind verdict = v.kind;
  const bool inconclusive = verdict == VerdictKind::kInconclusive;
  if (verdict == VerdictKind::kFail ||
      (inconclusive && on_inconclusive_ == InconclusiveAction::kFail)) {
    ++failed_checks_;
    return CountDecision::kHold;
  }
  if (inconclusive && on_inconclusive_ == InconclusiveAction::kPause) return CountDecision::kPause;
  return CountDecision::kContinue;
}

}  // namespace fleetsim
