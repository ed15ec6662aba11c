// VerdictCounter: turns a rollout's sequence of health verdicts into what the engine does next.
//
// A health policy hands the engine one fresh counter per analysis run (HealthPolicy::NewCounter:
// one per rollout, or one per step when HealthSchedule::run_per_step). The default,
// ScheduleCounter, applies HealthSchedule's own rules: `failure_limit` failing verdicts
// (cumulative) or `consecutive_failure_limit` in a row stop the rollout (on_failure decides
// rollback or pause), and on_inconclusive says whether an inconclusive verdict counts as a
// failure, is ignored, or pauses. Other counting semantics (Argo's AnalysisRun: failureLimit,
// consecutiveSuccessLimit, count; Flagger's failedChecks) live with their policies and may also
// report success, which ends the run (and, per step, lets the step advance).
//
// Counters are per-rollout mutable state owned by the engine; not shared, not thread-safe.
#pragma once

#include <cstdint>
#include <memory>

#include "sim/health_policy.h"

namespace fleetsim {

enum class CountDecision : uint8_t {
  kContinue,   // keep judging
  kStop,       // limits reached: take the schedule's on_failure (or report it under dry_run)
  kPause,      // hand the rollout to a person (resume or roll back after their response time)
  kSucceeded,  // the analysis run completed successfully: stop judging this run
  kHold,       // a failed check that was counted, limits not reached (Flagger: the step holds)
};

class VerdictCounter {
 public:
  virtual ~VerdictCounter() = default;
  virtual CountDecision Add(const Verdict& verdict) = 0;
  // After a person resumed a paused rollout, or a dry-run stop: start counting over.
  virtual void Reset() = 0;
  // True when the run must stop at the next evaluation before anything is judged (Flagger
  // rolls back at the first tick that finds failedChecks >= threshold).
  virtual bool StopDue() const { return false; }
  // > 0: the next evaluation comes this long after the one just added instead of one interval
  // later (Argo retries a measurement that ended in Error after 10 s).
  virtual SimTime RetryAfter() const { return SimTime::Zero(); }
};

class ScheduleCounter : public VerdictCounter {
 public:
  explicit ScheduleCounter(const HealthSchedule& schedule) : schedule_(schedule) {}
  CountDecision Add(const Verdict& verdict) override;
  void Reset() override {
    failures_ = 0;
    consecutive_failures_ = 0;
  }

 private:
  HealthSchedule schedule_;
  int failures_ = 0;
  int consecutive_failures_ = 0;
};

}  // namespace fleetsim
