// ArgoVerdictCounter: Argo Rollouts' AnalysisRun counting (argo_counting.h) driving the engine.
//
// Each verdict is one measurement: pass = Successful, fail = Failed, inconclusive =
// Inconclusive, and a verdict without data (Verdict::no_data) is ArgoLimits::no_data (Error for
// conditions that index the result). The run's phase decides: Failed or Error -> the rollout
// aborts (the schedule's on_failure), Inconclusive -> it pauses for a person, Successful -> the
// run is complete (with run_per_step, Argo's inline analysis step, the step may then advance),
// Running -> go on. After an Error measurement the next one comes 10 s later
// (analysis/analysis.go DefaultErrorRetryInterval), not one interval later: RetryAfter().
// Reset() starts a new run (after a person resumes).
#pragma once

#include "policies/health/argo_counting.h"
#include "sim/verdict_counter.h"

namespace fleetsim {

class ArgoVerdictCounter : public VerdictCounter {
 public:
  explicit ArgoVerdictCounter(const ArgoLimits& limits) : limits_(limits), run_(limits) {}
  CountDecision Add(const Verdict& verdict) override;
  void Reset() override {
    run_ = ArgoMetricRun(limits_);
    errored_ = false;
  }
  SimTime RetryAfter() const override {
    return errored_ && !ArgoPhaseCompleted(run_.phase()) ? kErrorRetryInterval : SimTime::Zero();
  }
  ArgoPhase phase() const { return run_.phase(); }

 private:
  static constexpr SimTime kErrorRetryInterval = SimTime::Seconds(10);

  ArgoLimits limits_;
  ArgoMetricRun run_;
  bool errored_ = false;  // the last measurement was an Error
};

}  // namespace fleetsim
