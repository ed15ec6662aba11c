#include "policies/health/argo_verdict_counter.h"

namespace fleetsim {

CountDecision ArgoVerdictCounter::Add(VerdictKind verdict) {
  ArgoMeasurement m = ArgoMeasurement::kSuccessful;
  if (verdict == VerdictKind::kFail)
    m = ArgoMeasurement::kFailed;
  else if (verdict == VerdictKind::kInconclusive)
    m = ArgoMeasurement::kInconclusive;
  switch (run_.Record(m)) {
    case ArgoPhase::kFailed:
    case ArgoPhase::kError:
      return CountDecision::kStop;
    case ArgoPhase::kInconclusive:
      return CountDecision::kPause;
    case ArgoPhase::kSuccessful:
      return CountDecision::kSucceeded;
    case ArgoPhase::kPending:
    case ArgoPhase::kRunning:
      return CountDecision::kContinue;
  }
  return CountDecision::kContinue;
}

}  // namespace fleetsim
