#include "policies/health/check_set_policy.h"

namespace fleetsim {

Verdict CheckSetPolicy::Judge(const HealthObservation& o) const {
  if (o.canary.requests < min_requests_) {
    return Verdict{VerdictKind::kInconclusive, "canary served " + std::to_string(o.canary.requests) +
                                                   " requests < min_requests " + std::to_string(min_requests_)};
  }
  int fails = 0, passes = 0;
  std::string reasons;
  for (const auto& check : checks_) {
    Verdict v = check->Evaluate(o);
    if (v.kind == VerdictKind::kFail) {
      ++fails;
      reasons += (reasons.empty() ? "" : "; ") + v.reason;
    } else if (v.kind == VerdictKind::kPass) {
      ++passes;
    }
  }
  const int n = static_cast<int>(checks_.size());
  const bool fail = combine_ == CombineRule::kAny ? fails > 0 : (n > 0 && fails == n);
  if (fail) return Verdict{VerdictKind::kFail, reasons};
  if (passes == 0 && n > 0) return Verdict{VerdictKind::kInconclusive, "no check could decide"};
  return Verdict{};
}

}  // namespace fleetsim
