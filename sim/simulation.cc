#include "sim/simulation.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <optional>

#include "sim/bypass_push.h"
#include "sim/change_stream.h"
#include "sim/deploy_actuator.h"
#include "sim/host_updates.h"
#include "sim/random_draws.h"
#include "sim/verdict_counter.h"

namespace fleetsim {

Simulation::Simulation(const Scenario& scenario, PolicySet policies, uint32_t replica,
                       SimObserver* observer, uint64_t seed_override)
    : scenario_(scenario),
      fleet_(*scenario.fleet),
      policies_(policies),
      replica_(replica),
      seed_(seed_override ? seed_override : scenario.seed),
      observer_(observer ? observer : &null_observer_),
      traffic_(scenario.traffic, *scenario.fleet),
      lag_(scenario),
      incidents_(scenario, seed_, replica_, rollouts_, queue_, *observer_),
      health_(scenario, policies.health, *observer_),
      faults_(scenario, rollouts_, queue_, *observer_),
      sampler_(scenario, seed_, replica_, lag_.max(), traffic_, rollouts_, faults_, health_,
               *observer_) {
  assert(policies_.rollout != nullptr);
  for (const FleetTarget& t : *scenario.fleet_targets)
    target_traffic_.emplace_back(scenario.traffic, t.view());
  deploy_ = policies_.deploy ? policies_.deploy->Apply(scenario.deploy) : scenario.deploy;
  if (const double u = scenario.infrastructure.unreachable_hosts; u > 0) {
    // Unreachable hosts (infrastructure_spec.h): each host update also fails with probability u.
    deploy_.host_failure_probability = 1.0 - (1.0 - deploy_.host_failure_probability) * (1.0 - u);
  }
}

Simulation::~Simulation() = default;

int64_t Simulation::ExposedCount(const Rollout& r, const ClusterFractions& fractions) const {
  // A flag is on every host; its exposure is reported as the host-equivalent of its share.
  const Fleet& view = r.target->view();
  if (r.Flag()) return std::llround(fractions.front() * static_cast<double>(view.total_hosts()));
  return ExposedHosts(view, fractions, r.offset);
}

void Simulation::Run() {
  changes_ =
      GenerateChanges(scenario_.changes, scenario_.faults, scenario_.duration, seed_, replica_);
  rollouts_.Reset(changes_.size());
  for (const Change& c : changes_)
    queue_.Schedule(c.info.arrival, EngineEvent{EventKind::kArrival, c.info.id});
  StartCommitPipeline();
  observer_->OnRunStarted(static_cast<int64_t>(changes_.size()) +
                          (pipeline_ ? pipeline_->commit_count() : 0));
  sampler_.Start();

  const SimTime tick = scenario_.tick;
  for (tick_index_ = 1;; ++tick_index_) {
    const SimTime now = tick * tick_index_;
    if (now > scenario_.duration) break;
    while (queue_.NextTime() <= now) {
      auto e = queue_.Pop();
      HandleEvent(e->time, e->payload);
    }
    Tick(now);
  }
  while (queue_.NextTime() <= scenario_.duration) {
    auto e = queue_.Pop();
    HandleEvent(e->time, e->payload);
  }
  // Close the exposure paths of changes still moving or holding when the run ends; failing
  // verdicts still waiting for a stop changed nothing.
  for (const auto& r : rollouts_.all()) {
    if (r) health_.Unacted(scenario_.duration, *r, UnactedReason::kRunEnded);
    if (r && r->phase != Phase::kRolledBack) {
      observer_->OnExposure(r->change->info.id, scenario_.duration,
                            ExposedCount(*r, r->motion.AllAt(scenario_.duration)));
    }
  }
  if (pipeline_) observer_->OnCommitFlowEnded(pipeline_->Finish(scenario_.duration));
  observer_->OnRunEnded(scenario_.duration);
}

void Simulation::HandleEvent(SimTime now, const EngineEvent& e) {
  if (e.kind == EventKind::kHumanResponse) {
    const std::optional<int64_t> culprit = incidents_.Respond(now, e.change);
    if (!culprit) return;  // misdiagnosed: the response comes later
    if (*culprit >= 0) StartRollback(now, rollouts_.Get(*culprit), StopSource::kHuman);
    incidents_.ResponseDone();
    return;
  }
  if (e.kind == EventKind::kArrival) {
    StartArrival(now, e.change);
    return;
  }
  if (e.kind == EventKind::kPipeline || e.kind == EventKind::kReleaseStart) {
    CommitPipeline::Outbox out;
    if (e.kind == EventKind::kPipeline)
      pipeline_->OnWake(now, static_cast<uint64_t>(e.change), out);
    else
      StartRelease(now, e.change);
    ApplyPipeline(now, out);
    return;
  }
  HandleRolloutEvent(now, e.kind, rollouts_.Get(e.change));
}

void Simulation::HandleRolloutEvent(SimTime now, EventKind kind, Rollout& r) {
  switch (kind) {
    case EventKind::kMoveDone:
      MoveDone(now, r);
      break;
    case EventKind::kBakeDone:
      r.has_pending = false;
      if (health_.schedule().run_per_step && r.health.run_started && !r.health.run_succeeded) {
        r.health.bake_over = true;  // the step's analysis run has not succeeded yet: keep judging
        break;
      }
      AdvanceStep(now, r);
      break;
    case EventKind::kRollbackDone:
      r.has_pending = false;
      r.phase = Phase::kRolledBack;
      observer_->OnExposure(r.change->info.id, now, 0);
      observer_->OnRollbackFinished(r.change->info.id, now);
      if (r.Manifesting()) {
        r.impact_ended = true;
        observer_->OnImpactEnded(r.change->info.id, now);
      }
      if (!r.change->info.label.empty()) faults_.EndTriggeredImpacts(now, r);
      break;
    case EventKind::kPauseReview:
      ReviewPause(now, r);
      break;
    case EventKind::kDelayedAutomatedStop:
      DelayedAutomatedStop(now, r);
      break;
    case EventKind::kDeployFailed:
      r.has_pending = false;
      observer_->OnDeployFailed(r.change->info.id, r.step, now, r.deploy_failure);
      StartRollback(now, r, StopSource::kDeployFailure);
      break;
    case EventKind::kExposureBegins:
      if (r.phase != Phase::kRolledBack) faults_.BeginExposure(now, r);
      break;
    case EventKind::kFullApplied:
      if (r.phase == Phase::kRollingBack || r.phase == Phase::kRolledBack)
        break;  // never all there
      observer_->OnFullExposure(r.change->info.id, now);
      NotifyPipeline(now, r.change->info.id, ReleaseNews::kFullyDeployed);
      break;
    case EventKind::kExposurePoint:
      if (r.phase != Phase::kRolledBack)
        observer_->OnExposure(r.change->info.id, now, ExposedCount(r, r.motion.AllAt(now)));
      break;
    case EventKind::kOnset:
      // The change is on hosts from its first positive step until its rollback ends.
      if (r.phase != Phase::kRolledBack && !r.impact_began) {
        r.impact_began = true;
        r.onset_at = now;
        observer_->OnImpactBegan(r.change->info.id, now);
      }
      break;
    default:
      break;
  }
}

void Simulation::MoveDone(SimTime now, Rollout& r) {
  r.has_pending = false;
  const RolloutStep& step = r.plan->steps[r.step];
  observer_->OnExposure(r.change->info.id, now, ExposedCount(r, r.motion.AllAt(now)));
  observer_->OnStepReached(r.change->info.id, r.step, now, ExposedCount(r, r.motion.to));
  if (step.Full() && !r.full_exposure_reported) {
    r.full_exposure_reported = true;
    SimTime last = SimTime::Zero();  // the delayed regions run it only later
    if (r.motion.lag) {
      for (size_t k = 0; k < r.motion.to.size(); ++k) last = std::max(last, (*r.motion.lag)[k]);
    }
    if (last > SimTime::Zero()) {
      queue_.Schedule(now + last, EngineEvent{EventKind::kFullApplied, r.change->info.id});
    } else {
      observer_->OnFullExposure(r.change->info.id, now);
      NotifyPipeline(now, r.change->info.id, ReleaseNews::kFullyDeployed);
    }
  }
  r.phase = Phase::kBaking;
  if (health_.Gated(r)) {
    // Flagger's scheduler: the step advances at its verdicts (health_evaluator.h), not by a
    // timer; the checks that passed while it moved count.
    r.health.step_moved = true;
    if (r.health.step_passes >= health_.PassesToAdvance(step)) AdvanceStep(now, r);
    return;
  }
  SimTime hold = step.bake;
  if (r.step == 0) hold += deploy_.first_stage_extra_bake;
  if (step.manual_gate) hold += incidents_.GateDelay(r);  // a person promotes
  r.pending = queue_.Schedule(now + hold, EngineEvent{EventKind::kBakeDone, r.change->info.id});
  r.has_pending = true;
}

void Simulation::AdvanceStep(SimTime now, Rollout& r) {
  ++r.step;
  if (r.step == static_cast<int>(r.plan->steps.size())) {
    r.step = static_cast<int>(r.plan->steps.size()) - 1;
    r.phase = Phase::kCompleted;
    health_.Unacted(now, r, UnactedReason::kCompleted);
    observer_->OnRolloutCompleted(r.change->info.id, now);
    NotifyPipeline(now, r.change->info.id, ReleaseNews::kCompleted);
  } else {
    if (r.step == 1) NotifyPipeline(now, r.change->info.id, ReleaseNews::kCanaryPassed);
    StartStep(now, r);
  }
}

PlanContext Simulation::PlanContextOf(SimTime now, int target) {
  const FleetTarget& t = (*scenario_.fleet_targets)[static_cast<size_t>(target)];
  if (t.whole()) return PlanContext{&fleet_, &traffic_, now, &sampler_.region_incidents()};
  // A target's plan sees the target as its fleet: its regions, their traffic and incidents.
  view_incidents_.clear();
  for (size_t g = 0; g < t.view().regions().size(); ++g)
    view_incidents_.push_back(sampler_.region_incidents()[static_cast<size_t>(t.FleetRegion(g))]);
  return PlanContext{&t.view(), &target_traffic_[static_cast<size_t>(target)], now,
                     &view_incidents_};
}

std::shared_ptr<const RolloutPlan> Simulation::SharedPlan(RolloutPlan plan) {
  if (!last_plan_ || !(*last_plan_ == plan))
    last_plan_ = std::make_shared<const RolloutPlan>(std::move(plan));
  return last_plan_;
}

void Simulation::StartArrival(SimTime now, int64_t id) {
  const Change& change = ChangeById(id);
  auto r = std::make_unique<Rollout>();
  r->change = &change;
  r->target = &(*scenario_.fleet_targets)[static_cast<size_t>(change.info.target)];
  const Fleet& view = r->target->view();
  r->bypassed = Bypassed(change);
  r->plan = SharedPlan(
      r->bypassed
          ? BypassPlan(view, scenario_.changes.injected[change.truth.injected_index].bypass)
          : RolloutFor(change).MakePlan(change.info, PlanContextOf(now, change.info.target)));
  assert(!r->plan->steps.empty() && r->plan->steps.back().Full());
  RandomStream placement(StreamKey::CanaryPlacement(seed_, replica_, id));
  r->offset = placement.NextUnit();
  r->region_seen.assign(fleet_.regions().size(), 0);
  health_.Begin(now, r->health);
  if (change.truth.bad()) {
    const FaultProfile& f = scenario_.faults.faults[change.truth.fault];
    r->effect = FaultEffect{f.error_rate_increase, f.latency_factor};
    if (id >= first_release_id_ && pipeline_)
      r->effect = pipeline_->Truth(id - first_release_id_).effect;
  }
  const ClusterFractions zero(view.clusters().size(), 0.0);
  ExposureMotion first{zero, zero, now, now};
  if (Delayed(*r)) first.lag = lag_.per_cluster(change.info.target);
  r->Move(std::move(first));
  r->needs = health_.NeedsOf(*r->plan);
  // Exposure is a share of the service it runs on (the whole fleet without services): a target
  // of some of its regions or clusters exposes at most their share.
  observer_->OnChangeArrived(change, r->target->service_hosts());
  rollouts_.Add(std::move(r));
  StartStep(now, rollouts_.Get(id));
}

void Simulation::StartStep(SimTime now, Rollout& r) {
  const RolloutStep& step = r.plan->steps[r.step];
  const Fleet& view = r.target->view();
  health_.BeginStep(now, r);  // a new analysis run per step, if so (also after a resume)
  ClusterFractions from = r.motion.AllPushedAt(now);
  ClusterFractions to = step.provision ? from : StepTargets(view, step, r.offset);
  // Hosts this step updates (exposure only grows in a plan; a shrinking cluster, if any, is
  // reverted at the update speed too).
  double up = 0;
  double down = 0;
  if (from.uniform() && to.uniform()) {
    // The same move in every cluster: O(1).
    const double hosts = static_cast<double>(view.total_hosts());
    if (to.front() > from.front())
      up = (to.front() - from.front()) * hosts;
    else
      down = (from.front() - to.front()) * hosts;
  } else {
    for (size_t k = 0; k < to.size(); ++k) {
      const double hosts = static_cast<double>(view.clusters()[k].hosts);
      if (to[k] > from[k])
        up += (to[k] - from[k]) * hosts;
      else
        down += (from[k] - to[k]) * hosts;
    }
  }
  SimTime duration = MoveDuration(0.0, 1.0, std::llround(up + down), deploy_.hosts_per_minute);
  std::optional<SimTime> fails_after;
  const bool host_model = deploy_.WaveBased() || deploy_.host_failure_probability > 0;
  if (step.provision) up = static_cast<double>(view.total_hosts());  // the parallel fleet
  if (r.Flag()) {
    duration = up + down > 0 ? r.plan->flag_propagation : SimTime::Zero();
  } else if (step.instant) {
    duration = SimTime::Zero();
  } else if (step.provision && !host_model) {
    duration = MoveDuration(0.0, 1.0, view.total_hosts(), deploy_.hosts_per_minute);
  } else if (host_model && up > 0) {
    RandomStream rng(StreamKey::HostUpdates(seed_, replica_, r.change->info.id, r.step));
    DeploySpec spec = deploy_;
    if (step.fault_tolerance >= 0) spec.fault_tolerance = step.fault_tolerance;
    const StepUpdateResult update =
        PlanStepUpdate(spec, view.total_hosts(), std::llround(up),
                       r.step + 1 == static_cast<int>(r.plan->steps.size()), r.host_updates, rng);
    duration = std::max(update.duration,
                        MoveDuration(0.0, 1.0, std::llround(down), deploy_.hosts_per_minute));
    fails_after = update.failed_at;
    r.deploy_failure = update.reason;
  }
  const bool exposes = ExposedCount(r, to) > 0;
  const SimTime first_lag =
      r.motion.lag ? PropagationLag::First(to, *r.motion.lag) : SimTime::Zero();
  r.Move(r.motion.Follow(std::move(from), std::move(to), now, now + duration, now, lag_.max()));
  r.phase = Phase::kDeploying;
  if (!r.exposure_started && exposes) {
    // The first hosts take the change now (or once the push has propagated to them).
    r.exposure_started = true;
    if (first_lag > SimTime::Zero()) {
      queue_.Schedule(now + first_lag, EngineEvent{EventKind::kExposureBegins, r.change->info.id});
    } else {
      faults_.BeginExposure(now, r);
    }
  }
  observer_->OnStepStarted(r.change->info.id, r.step, step.name,
                           r.step + 1 == static_cast<int>(r.plan->steps.size()), now);
  observer_->OnExposure(r.change->info.id, now, ExposedCount(r, r.motion.AllAt(now)));
  ScheduleExposurePoints(now, r);
  if (fails_after) {
    r.pending = queue_.Schedule(now + *fails_after,
                                EngineEvent{EventKind::kDeployFailed, r.change->info.id});
  } else {
    r.pending = queue_.Schedule(r.motion.end, EngineEvent{EventKind::kMoveDone, r.change->info.id});
  }
  r.has_pending = true;
}

void Simulation::StartRollback(SimTime now, Rollout& r, StopSource source) {
  if (r.has_pending) queue_.Cancel(r.pending);
  ClusterFractions from = r.motion.AllPushedAt(now);
  ClusterFractions to(from.size(), 0.0);
  // The kill switch of a flag is a flip to 0 that propagates like any flip; a blue/green step
  // that still keeps the old fleet switches traffic back at once.
  const bool old_fleet_kept =
      r.phase != Phase::kCompleted && r.plan->steps[r.step].instant_rollback;
  const SimTime duration =
      r.Flag() ? r.plan->flag_propagation
      : (deploy_.instant_rollback || old_fleet_kept)
          ? SimTime::Zero()
          : MoveDuration(r.target->view(), from, to, deploy_.rollback_hosts_per_minute);
  // Detection means acted on (DESIGN §5): an automated rollback acts on the failing verdicts
  // that led to it; a person's or the deploy system's leaves them unacted.
  if (source == StopSource::kAutomation)
    health_.Acted(r);
  else
    health_.Unacted(now, r, UnactedReason::kStoppedOtherwise);
  observer_->OnRollbackStarted(r.change->info.id, r.step, now, source);
  NotifyPipeline(now, r.change->info.id, ReleaseNews::kFailed);
  observer_->OnExposure(r.change->info.id, now, ExposedCount(r, r.motion.AllAt(now)));
  // Hosts the fault keeps from the revert wait for their repair; a kill switch acts at once.
  const SimTime hold = incidents_.RollbackHold(r);
  const SimTime move = r.kill_switch ? SimTime::Zero() : duration;
  r.Move(r.motion.Follow(std::move(from), std::move(to), now + hold, now + hold + move, now,
                         lag_.max()));
  r.phase = Phase::kRollingBack;
  // With a propagation delay the revert reaches a region's hosts that region's delay later.
  const SimTime done =
      r.motion.end + (r.motion.lag ? PropagationLag::RollbackTail(r.motion, now) : SimTime::Zero());
  r.pending = queue_.Schedule(done, EngineEvent{EventKind::kRollbackDone, r.change->info.id});
  r.has_pending = true;
  ScheduleExposurePoints(now, r);
}

void Simulation::Tick(SimTime now) {
  sampler_.BeginTick(now);
  faults_.Update(now, sampler_.region_rates());
  sampler_.Sample(now, tick_index_);
  incidents_.ObserveFleet(now, sampler_.fleet_window().error_rate());
  EvaluateHealth(now);
  rollouts_.DropFinished(now);
}

void Simulation::EvaluateHealth(SimTime now) {
  for (int64_t id : rollouts_.active()) {
    Rollout& r = rollouts_.Get(id);
    const HealthOutcome outcome = health_.Evaluate(now, r);
    if (outcome == HealthOutcome::kNone) continue;
    if (outcome == HealthOutcome::kAdvance) {
      AdvanceStep(now, r);
      continue;
    }
    if (!scenario_.automation.Default()) {
      using Fate = IncidentResponse::StopFate;
      const Fate fate = incidents_.AutomatedStop(now, r);
      if (fate == Fate::kLate) continue;  // pending verdicts act when the stop comes
      if (fate != Fate::kNow) {
        health_.Unacted(now, r,
                        fate == Fate::kDisabled ? UnactedReason::kAutomationDisabled
                                                : UnactedReason::kOrchestratorFailed);
        continue;
      }
    }
    if (outcome == HealthOutcome::kRollback) {
      StartRollback(now, r, StopSource::kAutomation);
    } else {
      Pause(now, r);
    }
  }
}

void Simulation::Pause(SimTime now, Rollout& r) {
  if (r.has_pending) queue_.Cancel(r.pending);
  const ClusterFractions here = r.motion.AllPushedAt(now);
  r.Move(r.motion.Follow(here, here, now, now, now, lag_.max()));
  r.phase = Phase::kPaused;
  observer_->OnExposure(r.change->info.id, now, ExposedCount(r, r.motion.AllAt(now)));
  ScheduleExposurePoints(now, r);
  health_.Acted(r);
  observer_->OnPaused(r.change->info.id, r.step, now);
  r.pending = queue_.Schedule(now + incidents_.PauseReviewDelay(r),
                              EngineEvent{EventKind::kPauseReview, r.change->info.id});
  r.has_pending = true;
}

void Simulation::ReviewPause(SimTime now, Rollout& r) {
  r.has_pending = false;
  // The person looks at the change: if its fault is hurting hosts they roll it back, otherwise
  // they resume it and the counters start over.
  if (r.Manifesting()) {
    StartRollback(now, r, StopSource::kHuman);
    return;
  }
  r.health.counter->Reset();
  observer_->OnResumed(r.change->info.id, now);
  StartStep(now, r);
}

// ---- Bypass pushes, blocked rollbacks, broken automation, misdiagnosis ----

bool Simulation::Bypassed(const Change& change) const {
  const int i = change.truth.injected_index;
  return i >= 0 && scenario_.changes.injected[static_cast<size_t>(i)].bypass.enabled;
}

void Simulation::DelayedAutomatedStop(SimTime now, Rollout& r) {
  r.stop_scheduled = false;
  if (r.phase != Phase::kDeploying && r.phase != Phase::kBaking) return;  // already stopped or done
  if (health_.schedule().on_failure == FailureAction::kRollback) {
    StartRollback(now, r, StopSource::kAutomation);
  } else {
    Pause(now, r);
  }
}

// ---- Configuration propagation delay (infrastructure.propagation_delay) ----

bool Simulation::Delayed(const Rollout& r) const {
  return lag_.enabled() && r.change->info.kind == ChangeKind::kConfig && !r.Flag() && !r.bypassed;
}

void Simulation::ScheduleExposurePoints(SimTime now, const Rollout& r) {
  // The hosts' exposure bends where a pushed breakpoint (this move's issue, start and end)
  // reaches a delayed cluster; report it there so the recorded path stays piecewise linear.
  if (!r.motion.lag) return;
  for (size_t i = 0; i <= lag_.values().size(); ++i) {
    const SimTime lag =
        i == 0 ? SimTime::Zero() : lag_.values()[i - 1];  // 0: regions without delay
    SimTime last = now;
    for (SimTime at : {now, r.motion.start, r.motion.end}) {
      if (at + lag <= last) continue;
      last = at + lag;
      queue_.Schedule(last, EngineEvent{EventKind::kExposurePoint, r.change->info.id});
    }
  }
}

}  // namespace fleetsim
