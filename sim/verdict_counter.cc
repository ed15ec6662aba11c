#include "sim/verdict_counter.h"

namespace fleetsim {

std::unique_ptr<VerdictCounter> HealthPolicy::NewCounter() const {
  return std::make_unique<ScheduleCounter>(Schedule());
}

CountDecision ScheduleCounter::Add(const Verdict& v) {
  const VerdictKind verdict = v.kind;
  const bool inconclusive = verdict == VerdictKind::kInconclusive;
  const bool failing = verdict == VerdictKind::kFail ||
                       (inconclusive && schedule_.on_inconclusive == InconclusiveAction::kFail);
  if (failing) {
    ++failures_;
    ++consecutive_failures_;
  } else if (verdict == VerdictKind::kPass) {
    consecutive_failures_ = 0;
  }
  const bool limit_reached =
      failing && (failures_ >= schedule_.failure_limit ||
                  (schedule_.consecutive_failure_limit > 0 &&
                   consecutive_failures_ >= schedule_.consecutive_failure_limit));
  if (limit_reached) return CountDecision::kStop;
  if (inconclusive && schedule_.on_inconclusive == InconclusiveAction::kPause)
    return CountDecision::kPause;
  return CountDecision::kContinue;
}

}  // namespace fleetsim
