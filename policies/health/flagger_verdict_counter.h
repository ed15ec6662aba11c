// FlaggerVerdictCounter: Flagger's canary analysis counting (fluxcd/flagger
// pkg/controller/scheduler.go, advanceCanary) driving the engine (health.counting: flagger).
//
// Each verdict is one analysis tick. A failing verdict (or an inconclusive one under
// on_inconclusive: fail; Flagger counts "no values found" as a failed check) increments
// failedChecks, which is cumulative over the run and never reset by a passing check, and
// holds the step (kHold). Once failedChecks >= threshold (`failure_limit`), StopDue(): the
// next tick rolls back before any analysis runs, one interval after the threshold-th failed
// check, which is Flagger's documented "interval x threshold" from the first failed check of a
// persistent failure. A passing verdict returns kContinue: the step may advance
// (HealthSchedule::advance_on_pass). Reset() starts over (after a person resumed).
//
// Per-rollout mutable state owned by the engine; not thread-safe.
#pragma once

#include "sim/health_policy.h"
#include "sim/verdict_counter.h"

namespace fleetsim {

class FlaggerVerdictCounter : public VerdictCounter {
 public:
  explicit FlaggerVerdictCounter(const HealthSchedule& schedule)
      : threshold_(schedule.failure_limit), on_inconclusive_(schedule.on_inconclusive) {}
  CountDecision Add(const Verdict& verdict) override;
  void Reset() override { failed_checks_ = 0; }
  bool StopDue() const override { return failed_checks_ >= threshold_; }
  int failed_checks() const { return failed_checks_; }

 private:
  int threshold_;
  InconclusiveAction on_inconclusive_;
  int failed_checks_ = 0;
};

}  // namespace fleetsim
