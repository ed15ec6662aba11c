#include "policies/health/check_set_policy.h"

#include "policies/health/argo_verdict_counter.h"
#include "policies/health/flagger_verdict_counter.h"

namespace fleetsim {

std::unique_ptr<VerdictCounter> CheckSetPolicy::NewCounter() const {
  if (argo_) return std::make_unique<ArgoVerdictCounter>(*argo_);
  if (schedule_.advance_on_pass) return std::make_unique<FlaggerVerdictCounter>(schedule_);
  return HealthPolicy::NewCounter();
}

HealthPolicy::ObservationNeeds CheckSetPolicy::Needs() const {
  ObservationNeeds needs;
  needs.group_windows = scope_ == EvaluationScope::kPerRegion;
  needs.series = false;
  for (const auto& check : checks_) needs.series |= check->ReadsSeries();
  return needs;
}

Verdict CheckSetPolicy::Judge(const HealthObservation& o) const {
  if (scope_ == EvaluationScope::kFleet || o.canary_by_region.empty()) return JudgeOne(o);
  bool any_decided = false;
  bool no_data = true;  // every group without data (or none with traffic at all)
  std::string reasons;
  for (size_t g = 0; g < o.canary_by_region.size(); ++g) {
    if (o.canary_by_region[g].requests == 0) continue;  // the change is not in this region yet
    HealthObservation region = o;
    region.canary = o.canary_by_region[g];
    region.control = o.control_by_region[g];
    if (g < o.canary_by_region_since_start.size()) {
      region.canary_since_start = o.canary_by_region_since_start[g];
      region.control_since_start = o.control_by_region_since_start[g];
    }
    const Verdict v = JudgeOne(region);
    if (v.kind == VerdictKind::kInconclusive) {
      no_data = no_data && v.no_data;
      continue;
    }
    any_decided = true;
    if (v.kind == VerdictKind::kFail) {
      const std::string name = o.region_names ? (*o.region_names)[g] : "#" + std::to_string(g);
      const char* unit =
          schedule_.group_by == HealthSchedule::GroupBy::kCluster ? "cluster " : "region ";
      reasons += (reasons.empty() ? "" : "; ") + (unit + name + ": " + v.reason);
    }
  }
  if (!reasons.empty()) return Verdict{VerdictKind::kFail, reasons};
  if (!any_decided)
    return Verdict{VerdictKind::kInconclusive,
                   "no region or cluster had enough canary traffic to judge", no_data};
  return Verdict{};
}

Verdict CheckSetPolicy::JudgeOne(const HealthObservation& o) const {
  if (o.canary.requests < min_requests_) {
    return Verdict{VerdictKind::kInconclusive,
                   "canary served " + std::to_string(o.canary.requests) +
                       " requests < min_requests " + std::to_string(min_requests_),
                   true};
  }
  int fails = 0, passes = 0;
  bool no_data = true;  // every undecided check lacked data
  std::string reasons;
  for (const auto& check : checks_) {
    Verdict v = check->Evaluate(o);
    if (v.kind == VerdictKind::kFail) {
      ++fails;
      reasons += (reasons.empty() ? "" : "; ") + v.reason;
    } else if (v.kind == VerdictKind::kPass) {
      ++passes;
    } else {
      no_data = no_data && v.no_data;
    }
  }
  const int n = static_cast<int>(checks_.size());
  const bool fail = combine_ == CombineRule::kAny ? fails > 0 : (n > 0 && fails == n);
  if (fail) return Verdict{VerdictKind::kFail, reasons};
  if (passes == 0 && n > 0)
    return Verdict{VerdictKind::kInconclusive, "no check could decide", no_data};
  return Verdict{};
}

}  // namespace fleetsim
