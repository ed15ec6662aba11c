#include "sim/health_evaluator.h"

#include <algorithm>
#include <limits>

namespace fleetsim {

HealthEvaluator::HealthEvaluator(const Scenario& scenario, const HealthPolicy* policy,
                                 SimObserver& observer)
    : policy_(policy),
      observer_(observer),
      other_status_share_(scenario.signals.other_status_share) {
  if (policy_) schedule_ = policy_->Schedule();
  if (schedule_.lookback == HealthSchedule::Lookback::kSliding) {
    sliding_ticks_ =
        std::max<int64_t>(1, (schedule_.lookback_window.millis() + scenario.tick.millis() - 1) /
                                 scenario.tick.millis());
  }
  // Evaluation groups: the per-group canary/control windows split by region, or by cluster.
  const Fleet& fleet = *scenario.fleet;
  if (schedule_.group_by == HealthSchedule::GroupBy::kCluster) {
    // By site (a cluster of the spec): with services, its slices share one group.
    for (const Site& site : fleet.sites()) group_names_.push_back(site.name);
    for (const Cluster& cluster : fleet.clusters()) group_of_cluster_.push_back(cluster.site);
  } else {
    for (const Region& region : fleet.regions()) group_names_.push_back(region.name);
    for (const Cluster& cluster : fleet.clusters()) group_of_cluster_.push_back(cluster.region);
  }
}

HealthPolicy::ObservationNeeds HealthEvaluator::NeedsOf(const RolloutPlan& plan) const {
  HealthPolicy::ObservationNeeds needs =
      policy_ ? policy_->Needs() : HealthPolicy::ObservationNeeds{false, false};
  for (const RolloutStep& step : plan.steps) {
    if (!step.checks) continue;
    const HealthPolicy::ObservationNeeds step_needs = step.checks->Needs();
    needs.group_windows |= step_needs.group_windows;
    needs.series |= step_needs.series;
  }
  // 3xx/4xx are drawn group by group (tick_sampler.h), whoever reads them.
  needs.group_windows |= other_status_share_ > 0;
  return needs;
}

void HealthEvaluator::Begin(SimTime now, HealthState& h) const {
  h.counter = policy_ ? policy_->NewCounter() : std::make_unique<ScheduleCounter>(schedule_);
  h.next_eval = now + schedule_.initial_delay + schedule_.interval;
  h.run_started = schedule_.start_at_step == 0;
}

void HealthEvaluator::BeginStep(SimTime now, Rollout& r) const {
  HealthState& h = r.health;
  const int step = r.step;
  h.step_passes = 0;
  h.step_moved = false;
  if (!h.run_started && step >= schedule_.start_at_step) {
    // The run begins here: its first window is the step's first interval.
    h.run_started = true;
    h.next_eval = now + schedule_.initial_delay + schedule_.interval;
    h.canary = SignalWindow{};
    h.control = SignalWindow{};
    h.window_ticks = 0;
    std::fill(h.canary_by_region.begin(), h.canary_by_region.end(), SignalWindow{});
    std::fill(h.control_by_region.begin(), h.control_by_region.end(), SignalWindow{});
    h.recent.clear();
  }
  if (!schedule_.run_per_step || !h.run_started) return;
  Unacted(now, r, UnactedReason::kNewRun);  // the last step's run ends below its limits
  h.counter = policy_ ? policy_->NewCounter() : std::make_unique<ScheduleCounter>(schedule_);
  h.run_succeeded = false;
  h.bake_over = false;
}

void HealthEvaluator::Record(Rollout& r, const CanaryControlTick& t) const {
  HealthState& h = r.health;
  h.canary.Add(t.canary);
  h.control.Add(t.control);
  h.canary_total.Add(t.canary);
  h.control_total.Add(t.control);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (r.needs.series) {
    h.canary_error_series.push_back(t.canary.requests > 0 ? t.canary.error_rate() : kNaN);
    h.control_error_series.push_back(t.control.requests > 0 ? t.control.error_rate() : kNaN);
    h.canary_latency_series.push_back(t.canary.requests > 0 ? t.canary.latency_p99() : kNaN);
    h.control_latency_series.push_back(t.control.requests > 0 ? t.control.latency_p99() : kNaN);
  }
  ++h.window_ticks;
  const size_t n_groups = t.control_by_group.size();
  if (r.needs.group_windows) {
    h.canary_by_region.resize(n_groups);
    h.control_by_region.resize(n_groups);
    h.canary_by_region_total.resize(n_groups);
    h.control_by_region_total.resize(n_groups);
  }
  for (size_t g = 0; g < n_groups; ++g) {
    h.canary_by_region[g].Add(t.canary_by_group[g]);
    h.control_by_region[g].Add(t.control_by_group[g]);
    h.canary_by_region_total[g].Add(t.canary_by_group[g]);
    h.control_by_region_total[g].Add(t.control_by_group[g]);
  }
  if (schedule_.lookback == HealthSchedule::Lookback::kSliding) {
    h.recent.push_back(HealthState::TickWindows{
        t.canary, t.control,
        std::vector<SignalWindow>(t.canary_by_group.begin(), t.canary_by_group.end()),
        std::vector<SignalWindow>(t.control_by_group.begin(), t.control_by_group.end())});
    if (const int64_t excess = static_cast<int64_t>(h.recent.size()) - sliding_ticks_; excess > 0) {
      h.recent.erase(h.recent.begin(), h.recent.begin() + excess);
    }
  }
  // The change's own fault errors all fall in its canary; the rest there belong to other
  // changes. Flag when those foreign failures hit the canary harder than the control group.
  const double foreign_in_canary = static_cast<double>(t.canary_fault_errors - t.own_fault_errors);
  if (foreign_in_canary > 0 && t.canary.requests > 0 &&
      foreign_in_canary / static_cast<double>(t.canary.requests) >
          (t.control.requests > 0 ? static_cast<double>(t.control_fault_errors) /
                                        static_cast<double>(t.control.requests)
                                  : 0.0)) {
    h.foreign_fault = true;
  }
}

HealthObservation HealthEvaluator::Observe(SimTime now, const Rollout& r) const {
  const HealthState& h = r.health;
  HealthObservation obs;
  obs.change = &r.change->info;
  obs.step = r.step;
  obs.now = now;
  switch (schedule_.lookback) {
    case HealthSchedule::Lookback::kInterval:
    case HealthSchedule::Lookback::kGrowing: {
      const bool growing = schedule_.lookback == HealthSchedule::Lookback::kGrowing;
      obs.canary = growing ? h.canary_total : h.canary;
      obs.control = growing ? h.control_total : h.control;
      obs.canary_by_region = growing ? h.canary_by_region_total : h.canary_by_region;
      obs.control_by_region = growing ? h.control_by_region_total : h.control_by_region;
      break;
    }
    case HealthSchedule::Lookback::kSliding:
      obs.canary_by_region.assign(group_names_.size(), SignalWindow{});
      obs.control_by_region.assign(group_names_.size(), SignalWindow{});
      for (const HealthState::TickWindows& w : h.recent) {
        obs.canary.Add(w.canary);
        obs.control.Add(w.control);
        for (size_t g = 0; g < w.canary_by_region.size(); ++g) {
          obs.canary_by_region[g].Add(w.canary_by_region[g]);
          obs.control_by_region[g].Add(w.control_by_region[g]);
        }
      }
      break;
  }
  obs.canary_since_start = h.canary_total;
  obs.control_since_start = h.control_total;
  obs.canary_by_region_since_start = h.canary_by_region_total;
  obs.control_by_region_since_start = h.control_by_region_total;
  obs.region_names = &group_names_;
  obs.canary_error_series = h.canary_error_series;
  obs.control_error_series = h.control_error_series;
  obs.canary_latency_series = h.canary_latency_series;
  obs.control_latency_series = h.control_latency_series;
  obs.window_ticks = h.window_ticks;
  return obs;
}

Verdict HealthEvaluator::Judge(const Rollout& r, const HealthObservation& obs) const {
  const std::shared_ptr<const HealthPolicy>& step_checks = r.plan->steps[r.step].checks;
  Verdict verdict = policy_ ? policy_->Judge(obs) : Verdict{};
  if (!step_checks) return verdict;
  // The step's own, stricter checks: a failure there fails the verdict.
  const Verdict extra = step_checks->Judge(obs);
  const std::string label = "stage " + r.plan->steps[r.step].name + ": ";
  if (extra.kind == VerdictKind::kFail) {
    verdict = Verdict{VerdictKind::kFail,
                      (verdict.kind == VerdictKind::kFail ? verdict.reason + "; " : std::string()) +
                          label + extra.reason};
  } else if (extra.kind == VerdictKind::kInconclusive && !policy_) {
    verdict = Verdict{VerdictKind::kInconclusive, label + extra.reason};
  }
  return verdict;
}

bool HealthEvaluator::Gated(const Rollout& r) const {
  if (!policy_ || !schedule_.advance_on_pass || r.bypassed) return false;
  const bool last = r.step + 1 == static_cast<int>(r.plan->steps.size());
  return !(last && r.plan->steps[r.step].bake <= SimTime::Zero());
}

int HealthEvaluator::PassesToAdvance(const RolloutStep& step) const {
  const int64_t interval = schedule_.interval.millis();
  return static_cast<int>(std::max<int64_t>(1, (step.bake.millis() + interval - 1) / interval));
}

HealthOutcome HealthEvaluator::Evaluate(SimTime now, Rollout& r) const {
  HealthState& h = r.health;
  if (r.phase != Phase::kDeploying && r.phase != Phase::kBaking) return HealthOutcome::kNone;
  if (!h.run_started || now < h.next_eval || h.run_succeeded) return HealthOutcome::kNone;
  if (r.bypassed) return HealthOutcome::kNone;  // pushed around the policy: no automated checks
  if (!policy_ && !r.plan->steps[r.step].checks) return HealthOutcome::kNone;
  if (schedule_.advance_on_pass && !Gated(r)) return HealthOutcome::kNone;  // the promotion
  if (h.counter->StopDue()) {
    // Flagger: the threshold was reached at the previous tick; this one rolls back first.
    while (h.next_eval <= now) h.next_eval += schedule_.interval;
    return Stop(now, r, CountDecision::kStop);
  }
  const Verdict verdict = Judge(r, Observe(now, r));
  observer_.OnVerdict(r.change->info.id, r.step, now, verdict, h.foreign_fault);
  h.canary = SignalWindow{};
  h.control = SignalWindow{};
  h.window_ticks = 0;
  std::fill(h.canary_by_region.begin(), h.canary_by_region.end(), SignalWindow{});
  std::fill(h.control_by_region.begin(), h.control_by_region.end(), SignalWindow{});
  h.foreign_fault = false;
  while (h.next_eval <= now) h.next_eval += schedule_.interval;
  if (verdict.kind == VerdictKind::kFail) ++h.unacted;
  const CountDecision decision = h.counter->Add(verdict);
  if (const SimTime retry = h.counter->RetryAfter(); retry > SimTime::Zero())
    h.next_eval = now + retry;  // Argo: an errored measurement is retried sooner
  if (decision == CountDecision::kHold) {
    // A failed check holds the step: an automated action that took effect.
    observer_.OnHalted(r.change->info.id, r.step, now);
    Acted(r);
    return HealthOutcome::kNone;
  }
  if (decision == CountDecision::kContinue) {
    if (!Gated(r)) return HealthOutcome::kNone;
    ++h.step_passes;  // Flagger: a check that did not fail advances a step whose move is done
    return h.step_moved && h.step_passes >= PassesToAdvance(r.plan->steps[r.step])
               ? HealthOutcome::kAdvance
               : HealthOutcome::kNone;
  }
  if (decision == CountDecision::kSucceeded) {
    h.run_succeeded = true;
    Unacted(now, r, UnactedReason::kRunSucceeded);
    // The step was only waiting for its run.
    return h.bake_over ? HealthOutcome::kAdvance : HealthOutcome::kNone;
  }
  return Stop(now, r, decision);
}

HealthOutcome HealthEvaluator::Stop(SimTime now, Rollout& r, CountDecision decision) const {
  if (schedule_.dry_run) {
    observer_.OnDryRunStop(r.change->info.id, r.step, now);
    Unacted(now, r, UnactedReason::kDryRun);
    r.health.counter->Reset();
    return HealthOutcome::kNone;
  }
  return decision == CountDecision::kStop && schedule_.on_failure == FailureAction::kRollback
             ? HealthOutcome::kRollback
             : HealthOutcome::kPause;
}

void HealthEvaluator::Unacted(SimTime now, Rollout& r, UnactedReason why) const {
  if (r.health.unacted == 0) return;
  observer_.OnVerdictsUnacted(r.change->info.id, r.step, now, r.health.unacted, why);
  r.health.unacted = 0;
}

}  // namespace fleetsim
