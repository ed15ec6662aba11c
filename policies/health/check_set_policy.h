// CheckSetPolicy: the HealthPolicy built from a policy file's `health:` section.
//
// Every `interval` (after `initial_delay`) all checks judge the window. The verdict is fail if
// any check fails (combine: any) or only if all fail (combine: all); inconclusive when the
// canary served fewer than `min_requests` requests or no check could decide; pass otherwise.
// After `failure_limit` failing verdicts (cumulative) the engine takes `on_failure`; with
// Argo counting (`argo` set) the verdicts are an AnalysisRun's measurements instead
// (argo_verdict_counter.h); with Flagger counting (schedule.advance_on_pass) they are Flagger's
// analysis ticks (flagger_verdict_counter.h).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "policies/health/argo_counting.h"
#include "policies/health/health_check.h"

namespace fleetsim {

enum class CombineRule : uint8_t { kAny, kAll };

// Where the checks look: the whole canary against the whole control group, or each group's
// canary against that group's control (a regression in one region or cluster is not averaged
// away; the verdict fails if any group fails). Groups are regions, or clusters when the
// schedule's group_by says so (evaluate: per_cluster).
enum class EvaluationScope : uint8_t { kFleet, kPerRegion };

class CheckSetPolicy : public HealthPolicy {
 public:
  CheckSetPolicy(HealthSchedule schedule, std::vector<std::unique_ptr<HealthCheck>> checks,
                 CombineRule combine, int64_t min_requests,
                 EvaluationScope scope = EvaluationScope::kFleet,
                 std::optional<ArgoLimits> argo = std::nullopt)
      : schedule_(schedule),
        checks_(std::move(checks)),
        combine_(combine),
        min_requests_(min_requests),
        scope_(scope),
        argo_(argo) {}

  std::string_view Kind() const override { return "checks"; }
  HealthSchedule Schedule() const override { return schedule_; }
  std::unique_ptr<VerdictCounter> NewCounter() const override;
  Verdict Judge(const HealthObservation& observation) const override;
  ObservationNeeds Needs() const override;

  size_t check_count() const { return checks_.size(); }

 private:
  Verdict JudgeOne(const HealthObservation& observation) const;

  HealthSchedule schedule_;
  std::vector<std::unique_ptr<HealthCheck>> checks_;
  CombineRule combine_;
  int64_t min_requests_;
  EvaluationScope scope_;
  std::optional<ArgoLimits> argo_;
};

}  // namespace fleetsim
