// Argo Rollouts AnalysisRun counting rules for one metric: how a sequence of measurement
// results turns into the metric's phase (analysis/analysis.go assessMetricStatus and
// assessMetricFailureInconclusiveOrError; shared/reference/rollout-systems.md §A1), plus the
// run-level combination (the worst metric phase) and premature termination.
//
// Counters, updated per measurement as Argo does: Successful, Failed and Inconclusive increment
// their own count and `count` and reset the consecutive-error streak; Successful extends the
// consecutive-success streak, every other result resets it; Error increments the error count and
// the consecutive-error streak but NOT `count` (a provider error is retried, not a measurement).
//
// Phase after each measurement, first match wins (the assessment order of assessMetricStatus):
//   1. Breaches (all checked; when several hold the later one wins, as in Argo):
//        failure_limit >= 0 and failed > failure_limit                       -> Failed
//        inconclusive > inconclusive_limit                                   -> Inconclusive
//        consecutive errors > consecutive_error_limit                        -> Error
//   2. consecutive_success_limit > 0 and consecutive successes >= it         -> Successful
//   3. count > 0 and measurements counted >= count (the truth table in analysis.md):
//        consecutive_success_limit > 0 and failure_limit >= 0 (both apply)   -> Inconclusive
//        only consecutive_success_limit applies (failure_limit = -1)         -> Failed
//        only failure_limit applies                                          -> Successful
//   4. otherwise Running (Pending before the first measurement).
// Once a phase is final (not Pending/Running) later measurements are ignored.
// Terminate() (premature end: background analysis at the end of the rollout, or an abort):
// a final phase stays; otherwise the run is Successful ("termination is success unless
// failureLimit was already violated", which would already have made it Failed).
// The rollout aborts on Failed or Error and pauses for a human on Inconclusive.
//
// Not modelled here: Argo's "no interval and no count means count 1" (the caller passes count),
// dry-run metrics, and measurement timing (initialDelay, interval, error retry interval).
//
// Contract: value type, deterministic, not thread-safe for concurrent mutation. Requires
// failure_limit >= -1, the other limits >= 0, and at least one of failure_limit >= 0 or
// consecutive_success_limit > 0 (Argo's validation; asserted).
#pragma once

#include <cstdint>
#include <vector>

namespace fleetsim {

enum class ArgoMeasurement : uint8_t { kSuccessful, kFailed, kInconclusive, kError };

// Ordered best to worst as Argo's analysisStatusOrder.
enum class ArgoPhase : uint8_t { kSuccessful, kRunning, kPending, kInconclusive, kError, kFailed };

const char* ArgoPhaseName(ArgoPhase p);

// True for Successful, Inconclusive, Error and Failed.
bool ArgoPhaseCompleted(ArgoPhase p);

// The worse of two phases (the run's phase is the worst of its metrics').
ArgoPhase WorstArgoPhase(ArgoPhase a, ArgoPhase b);

struct ArgoLimits {
  int failure_limit = 0;              // failed measurements tolerated; -1 disables
  int inconclusive_limit = 0;         // inconclusive measurements tolerated
  int consecutive_error_limit = 4;    // DefaultConsecutiveErrorLimit
  int consecutive_success_limit = 0;  // 0 = disabled; N > 0 succeeds after N in a row
  int count = 0;                      // measurements to take; 0 = until terminated
  // What a measurement of a canary that served no request is (the provider returned an empty
  // result): Error when the conditions index it (`result[0] >= 0.95`: expr-lang fails, and
  // utils/evaluate/evaluate.go EvaluateResult returns Error), else what they evaluate to
  // (`len(result) == 0 || ...`: Successful). The importer derives it from the conditions.
  ArgoMeasurement no_data = ArgoMeasurement::kInconclusive;
};

struct ArgoCounters {
  int count = 0, successful = 0, failed = 0, inconclusive = 0, error = 0;
  int consecutive_error = 0, consecutive_success = 0;
};

class ArgoMetricRun {
 public:
  explicit ArgoMetricRun(const ArgoLimits& limits);

  // Records one measurement and returns the phase after it.
  ArgoPhase Record(ArgoMeasurement m);
  // Ends the run prematurely and returns its final phase.
  ArgoPhase Terminate();

  ArgoPhase phase() const { return phase_; }
  const ArgoCounters& counters() const { return counters_; }

 private:
  ArgoPhase Assess() const;

  ArgoLimits limits_;
  ArgoCounters counters_;
  ArgoPhase phase_ = ArgoPhase::kPending;
};

// The phase after each measurement of `measurements` (same length).
std::vector<ArgoPhase> ArgoPhaseTimeline(const ArgoLimits& limits,
                                         const std::vector<ArgoMeasurement>& measurements);

}  // namespace fleetsim
