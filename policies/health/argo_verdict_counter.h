// ArgoVerdictCounter: Argo Rollouts' AnalysisRun counting (argo_counting.h) driving the engine.
//
// Each verdict is one measurement: pass = Successful, fail = Failed, inconclusive =
// Inconclusive. The run's phase decides: Failed or Error -> the rollout aborts (the schedule's
// on_failure), Inconclusive -> it pauses for a person, Successful -> the run is complete (with
// run_per_step, Argo's inline analysis step, the step may then advance), Running -> go on.
// Reset() starts a new run (after a person resumes).
#pragma once

#include "policies/health/argo_counting.h"
#include "sim/verdict_counter.h"

namespace fleetsim {

class ArgoVerdictCounter : public VerdictCounter {
 public:
  explicit ArgoVerdictCounter(const ArgoLimits& limits) : limits_(limits), run_(limits) {}
  CountDecision Add(VerdictKind verdict) override;
  void Reset() override { run_ = ArgoMetricRun(limits_); }
  ArgoPhase phase() const { return run_.phase(); }

 private:
  ArgoLimits limits_;
  ArgoMetricRun run_;
};

}  // namespace fleetsim
