#include "policies/health/argo_verdict_counter.h"

namespace fleetsim {

CountDecision ArgoVerdictCounter::Add(const Verdict& verdict) {
  ArgoMeasurement m = ArgoMeasurement::kSuccessful;
  if (verdict.kind == VerdictKind::kFail)
    m = ArgoMeasurement::kFailed;
  else if (verdict.kind == VerdictKind::kInconclusive)
    m = verdict.no_data ? limits_.no_data : ArgoMeasurement::kInconclusive;
  errored_ = m == ArgoMeasurement::kError;
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
