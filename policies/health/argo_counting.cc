// Argo Rollouts AnalysisRun counting rules. See argo_counting.h.
#include "policies/health/argo_counting.h"

#include <cassert>

namespace fleetsim {

const char* ArgoPhaseName(ArgoPhase p) {
  switch (p) {
    case ArgoPhase::kSuccessful:
      return "Successful";
    case ArgoPhase::kRunning:
      return "Running";
    case ArgoPhase::kPending:
      return "Pending";
    case ArgoPhase::kInconclusive:
      return "Inconclusive";
    case ArgoPhase::kError:
      return "Error";
    case ArgoPhase::kFailed:
      return "Failed";
  }
  return "?";
}

bool ArgoPhaseCompleted(ArgoPhase p) {
  return p != ArgoPhase::kRunning && p != ArgoPhase::kPending;
}

ArgoPhase WorstArgoPhase(ArgoPhase a, ArgoPhase b) {
  return static_cast<uint8_t>(b) > static_cast<uint8_t>(a) ? b : a;
}

ArgoMetricRun::ArgoMetricRun(const ArgoLimits& limits) : limits_(limits) {
  assert(limits.failure_limit >= -1 && limits.inconclusive_limit >= 0 &&
         limits.consecutive_error_limit >= 0 && limits.consecutive_success_limit >= 0 &&
         limits.count >= 0);
  assert(limits.failure_limit >= 0 || limits.consecutive_success_limit > 0);
}

ArgoPhase ArgoMetricRun::Record(ArgoMeasurement m) {
  if (ArgoPhaseCompleted(phase_)) return phase_;
  ArgoCounters& c = counters_;
  switch (m) {
    case ArgoMeasurement::kSuccessful:
      ++c.successful;
      ++c.count;
      c.consecutive_error = 0;
      ++c.consecutive_success;
      break;
    case ArgoMeasurement::kFailed:
      ++c.failed;
      ++c.count;
      c.consecutive_error = 0;
      c.consecutive_success = 0;
      break;
    case ArgoMeasurement::kInconclusive:
      ++c.inconclusive;
      ++c.count;
      c.consecutive_error = 0;
      c.consecutive_success = 0;
      break;
    case ArgoMeasurement::kError:
      ++c.error;
      ++c.consecutive_error;
      c.consecutive_success = 0;
      break;
  }
  phase_ = Assess();
  return phase_;
}

ArgoPhase ArgoMetricRun::Assess() const {
  const ArgoCounters& c = counters_;
  const ArgoLimits& l = limits_;
  // 1. Breaches; a later assignment overrides an earlier one, as in Argo.
  ArgoPhase breach = ArgoPhase::kRunning;
  if (l.failure_limit >= 0 && c.failed > l.failure_limit) breach = ArgoPhase::kFailed;
  if (c.inconclusive > l.inconclusive_limit) breach = ArgoPhase::kInconclusive;
  if (c.consecutive_error > l.consecutive_error_limit) breach = ArgoPhase::kError;
  if (breach != ArgoPhase::kRunning) return breach;
  // 2. Enough consecutive successes.
  const bool success_applies = l.consecutive_success_limit > 0;
  if (success_applies && c.consecutive_success >= l.consecutive_success_limit) {
    return ArgoPhase::kSuccessful;
  }
  // 3. Count reached.
  if (l.count > 0 && c.count >= l.count) {
    const bool failure_applies = l.failure_limit >= 0;
    if (failure_applies && success_applies) return ArgoPhase::kInconclusive;
    if (success_applies) return ArgoPhase::kFailed;
    return ArgoPhase::kSuccessful;
  }
  return ArgoPhase::kRunning;
}

ArgoPhase ArgoMetricRun::Terminate() {
  if (!ArgoPhaseCompleted(phase_)) phase_ = ArgoPhase::kSuccessful;
  return phase_;
}

std::vector<ArgoPhase> ArgoPhaseTimeline(const ArgoLimits& limits,
                                         const std::vector<ArgoMeasurement>& measurements) {
  ArgoMetricRun run(limits);
  std::vector<ArgoPhase> out;
  out.reserve(measurements.size());
  for (ArgoMeasurement m : measurements) out.push_back(run.Record(m));
  return out;
}

}  // namespace fleetsim
