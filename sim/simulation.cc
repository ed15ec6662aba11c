#include "sim/simulation.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>

#include "sim/bypass_push.h"
#include "sim/change_stream.h"
#include "sim/deploy_actuator.h"
#include "sim/host_updates.h"
#include "sim/random_draws.h"
#include "sim/verdict_counter.h"

namespace fleetsim {

namespace {
// SampleSignals: the aggregated path is used while (active changes x clusters) stays within
// this multiple of the cell count (measured crossovers: bench/fleetsim_scaling,
// docs/performance.md). The per-cell path is much cheaper when it can sum plain cells by
// column (their counts then cost two draws per column, not per cell).
constexpr double kAggregatedCostRatio = 4;
constexpr double kAggregatedCostRatioWithColumns = 0.125;

// A sampled cohort of `hosts` hosts as a window; errors of faults that do not show in the error
// signal are left out.
SignalWindow WindowOf(const SegmentSample& seg, int64_t hosts, int64_t hidden_errors = 0) {
  return SignalWindow{seg.requests,
                      seg.errors - hidden_errors,
                      seg.latency_p99 * seg.expected_requests,
                      hosts,
                      0,
                      seg.expected_requests};
}
}  // namespace

Simulation::Simulation(const Scenario& scenario, PolicySet policies, uint32_t replica,
                       SimObserver* observer, uint64_t seed_override)
    : scenario_(scenario),
      fleet_(*scenario.fleet),
      policies_(policies),
      replica_(replica),
      seed_(seed_override ? seed_override : scenario.seed),
      observer_(observer ? observer : &null_observer_),
      traffic_(scenario.traffic, *scenario.fleet),
      incidents_(scenario, seed_, replica_, rollouts_, queue_, *observer_),
      health_(scenario, policies.health, *observer_),
      sampler_(scenario.signals),
      faults_(scenario, rollouts_, queue_, *observer_) {
  assert(policies_.rollout != nullptr);
  deploy_ = policies_.deploy ? policies_.deploy->Apply(scenario.deploy) : scenario.deploy;
  if (const double u = scenario.infrastructure.unreachable_hosts; u > 0) {
    // Unreachable hosts (infrastructure_spec.h): each host update also fails with probability u.
    deploy_.host_failure_probability = 1.0 - (1.0 - deploy_.host_failure_probability) * (1.0 - u);
  }
  if (const PropagationDelay& delay = scenario.infrastructure.propagation_delay; delay.enabled()) {
    auto lag = std::make_shared<std::vector<SimTime>>();
    for (const Cluster& cluster : fleet_.clusters()) {
      lag->push_back(delay.ForRegion(fleet_.regions()[static_cast<size_t>(cluster.region)].name));
      if (lag->back() > SimTime::Zero()) lag_values_.push_back(lag->back());
    }
    std::sort(lag_values_.begin(), lag_values_.end());
    lag_values_.erase(std::unique(lag_values_.begin(), lag_values_.end()), lag_values_.end());
    if (!lag_values_.empty()) cluster_lag_ = std::move(lag);
  }
}

Simulation::~Simulation() = default;

int64_t Simulation::ExposedCount(const Rollout& r, const ClusterFractions& fractions) const {
  // A flag is on every host; its exposure is reported as the host-equivalent of its share.
  if (r.Flag()) return std::llround(fractions.front() * static_cast<double>(fleet_.total_hosts()));
  return ExposedHosts(fleet_, fractions, r.offset);
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
  cell_profiles_ = sampler_.DrawCellProfiles(fleet_, seed_, replica_);
  aggregate_signals_ = scenario_.signals.allow_aggregation && scenario_.signals.AggregationExact();
  if (aggregate_signals_) {
    const size_t n = fleet_.cells().size() + fleet_.clusters().size();
    position_hosts_.assign(n, 0);
    position_error_.assign(n, 0.0);
    for (size_t k = 0; k < fleet_.clusters().size(); ++k) {
      const Cluster& cluster = fleet_.clusters()[k];
      const size_t base = static_cast<size_t>(cluster.first_cell) + k;
      for (int j = 0; j < cluster.cell_count; ++j) {
        const int64_t hosts = fleet_.cells()[cluster.first_cell + j].hosts;
        position_hosts_[base + j + 1] = position_hosts_[base + j] + hosts;
        position_error_[base + j + 1] =
            position_error_[base + j] +
            static_cast<double>(hosts) * cell_profiles_[cluster.first_cell + j].error_rate;
      }
    }
  }
  cell_entry_begin_.assign(fleet_.cells().size() + 1, 0);
  region_rate_.assign(fleet_.regions().size(), 0.0);
  region_incidents_.clear();
  for (const Region& region : fleet_.regions()) region_incidents_.push_back(region.failure_history);

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
  // Close the exposure paths of changes still moving or holding when the run ends.
  for (const auto& r : rollouts_.all()) {
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
  Rollout& r = rollouts_.Get(e.change);
  switch (e.kind) {
    case EventKind::kMoveDone: {
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
          queue_.Schedule(now + last, EngineEvent{EventKind::kFullApplied, e.change});
        } else {
          observer_->OnFullExposure(r.change->info.id, now);
          NotifyPipeline(now, r.change->info.id, ReleaseNews::kFullyDeployed);
        }
      }
      r.phase = Phase::kBaking;
      SimTime hold = step.bake;
      if (r.step == 0) hold += deploy_.first_stage_extra_bake;
      if (step.manual_gate) hold += incidents_.GateDelay(r);  // a person promotes
      r.pending = queue_.Schedule(now + hold, EngineEvent{EventKind::kBakeDone, e.change});
      r.has_pending = true;
      break;
    }
    case EventKind::kBakeDone:
      r.has_pending = false;
      if (health_.schedule().run_per_step && !r.health.run_succeeded) {
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

void Simulation::AdvanceStep(SimTime now, Rollout& r) {
  ++r.step;
  if (r.step == static_cast<int>(r.plan->steps.size())) {
    r.step = static_cast<int>(r.plan->steps.size()) - 1;
    r.phase = Phase::kCompleted;
    observer_->OnRolloutCompleted(r.change->info.id, now);
    NotifyPipeline(now, r.change->info.id, ReleaseNews::kCompleted);
  } else {
    if (r.step == 1) NotifyPipeline(now, r.change->info.id, ReleaseNews::kCanaryPassed);
    StartStep(now, r);
  }
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
  r->bypassed = Bypassed(change);
  r->plan = SharedPlan(
      r->bypassed
          ? BypassPlan(fleet_, scenario_.changes.injected[change.truth.injected_index].bypass)
          : RolloutFor(change).MakePlan(change.info,
                                        PlanContext{&fleet_, &traffic_, now, &region_incidents_}));
  assert(!r->plan->steps.empty() && r->plan->steps.back().Full());
  RandomStream placement(
      StreamKey{seed_, replica_, StreamPurpose::kCanaryPlacement, static_cast<uint64_t>(id)});
  r->offset = placement.NextUnit();
  r->region_seen.assign(fleet_.regions().size(), 0);
  health_.Begin(now, r->health);
  if (change.truth.bad()) {
    const FaultProfile& f = scenario_.faults.faults[change.truth.fault];
    r->effect = FaultEffect{f.error_rate_increase, f.latency_factor};
    if (id >= first_release_id_ && pipeline_)
      r->effect = pipeline_->Truth(id - first_release_id_).effect;
  }
  const ClusterFractions zero(fleet_.clusters().size(), 0.0);
  ExposureMotion first{zero, zero, now, now};
  if (Delayed(*r)) first.lag = cluster_lag_;
  r->Move(std::move(first));
  r->needs = health_.NeedsOf(*r->plan);
  observer_->OnChangeArrived(change, fleet_.total_hosts());
  rollouts_.Add(std::move(r));
  StartStep(now, rollouts_.Get(id));
}

void Simulation::StartStep(SimTime now, Rollout& r) {
  const RolloutStep& step = r.plan->steps[r.step];
  health_.BeginStep(r.health);  // a new analysis run per step, if so (also after a resume)
  ClusterFractions from = r.motion.AllPushedAt(now);
  ClusterFractions to = step.provision ? from : StepTargets(fleet_, step, r.offset);
  // Hosts this step updates (exposure only grows in a plan; a shrinking cluster, if any, is
  // reverted at the update speed too).
  double up = 0;
  double down = 0;
  if (from.uniform() && to.uniform()) {
    // The same move in every cluster: O(1).
    const double hosts = static_cast<double>(fleet_.total_hosts());
    if (to.front() > from.front())
      up = (to.front() - from.front()) * hosts;
    else
      down = (from.front() - to.front()) * hosts;
  } else {
    for (size_t k = 0; k < to.size(); ++k) {
      const double hosts = static_cast<double>(fleet_.clusters()[k].hosts);
      if (to[k] > from[k])
        up += (to[k] - from[k]) * hosts;
      else
        down += (from[k] - to[k]) * hosts;
    }
  }
  SimTime duration = MoveDuration(0.0, 1.0, std::llround(up + down), deploy_.hosts_per_minute);
  std::optional<SimTime> fails_after;
  const bool host_model = deploy_.WaveBased() || deploy_.host_failure_probability > 0;
  if (step.provision) up = static_cast<double>(fleet_.total_hosts());  // the parallel fleet
  if (r.Flag()) {
    duration = up + down > 0 ? r.plan->flag_propagation : SimTime::Zero();
  } else if (step.instant) {
    duration = SimTime::Zero();
  } else if (step.provision && !host_model) {
    duration = MoveDuration(0.0, 1.0, fleet_.total_hosts(), deploy_.hosts_per_minute);
  } else if (host_model && up > 0) {
    RandomStream rng(StreamKey{
        seed_, replica_, StreamPurpose::kHostUpdates,
        (static_cast<uint64_t>(r.change->info.id) << 16) | static_cast<uint64_t>(r.step & 0xffff)});
    DeploySpec spec = deploy_;
    if (step.fault_tolerance >= 0) spec.fault_tolerance = step.fault_tolerance;
    const StepUpdateResult update =
        PlanStepUpdate(spec, fleet_.total_hosts(), std::llround(up),
                       r.step + 1 == static_cast<int>(r.plan->steps.size()), r.host_updates, rng);
    duration = std::max(update.duration,
                        MoveDuration(0.0, 1.0, std::llround(down), deploy_.hosts_per_minute));
    fails_after = update.failed_at;
    r.deploy_failure = update.reason;
  }
  const bool exposes = ExposedCount(r, to) > 0;
  const SimTime first_lag = r.motion.lag ? FirstLag(to) : SimTime::Zero();
  r.Move(r.motion.Follow(std::move(from), std::move(to), now, now + duration, now, MaxLag()));
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
  const SimTime duration = r.Flag() ? r.plan->flag_propagation
                           : (deploy_.instant_rollback || old_fleet_kept)
                               ? SimTime::Zero()
                               : MoveDuration(fleet_, from, to, deploy_.rollback_hosts_per_minute);
  observer_->OnRollbackStarted(r.change->info.id, r.step, now, source);
  NotifyPipeline(now, r.change->info.id, ReleaseNews::kFailed);
  observer_->OnExposure(r.change->info.id, now, ExposedCount(r, r.motion.AllAt(now)));
  // Hosts the fault keeps from the revert wait for their repair; a kill switch acts at once.
  const SimTime hold = incidents_.RollbackHold(r);
  const SimTime move = r.kill_switch ? SimTime::Zero() : duration;
  r.Move(r.motion.Follow(std::move(from), std::move(to), now + hold, now + hold + move, now,
                         MaxLag()));
  r.phase = Phase::kRollingBack;
  // With a propagation delay the revert reaches a region's hosts that region's delay later.
  const SimTime done = r.motion.end + (r.motion.lag ? RollbackTail(r, now) : SimTime::Zero());
  r.pending = queue_.Schedule(done, EngineEvent{EventKind::kRollbackDone, r.change->info.id});
  r.has_pending = true;
  ScheduleExposurePoints(now, r);
}

void Simulation::Tick(SimTime now) {
  SampleSignals(now);
  EvaluateHealth(now);
  rollouts_.DropFinished(now);
}

void Simulation::UpdatePlacement(SimTime now, Rollout& r) const {
  Placement& p = r.placement;
  if (p.valid) return;
  const size_t n_clusters = fleet_.clusters().size();
  p.partial.clear();
  // Settled: every host has what was pushed (with a propagation delay, the slowest region too).
  p.valid = now >= r.motion.end + (r.motion.lag ? MaxLag() : SimTime::Zero());
  if (const int b = fleet_.common_cell_count(); b > 0 && r.motion_uniform) {
    // The same span in every cluster: O(1), plus the boundary cells while it splits them.
    const BucketSpan span = SpanInBuckets(b, r.motion.At(0, now), r.offset);
    p.uniform = true;
    p.clusters.clear();
    p.full = span.full;
    p.start = span.full == 0 || span.full == b ? 0 : span.start;
    if (span.partial > 0) {
      p.partial.reserve(fleet_.clusters().size());
      for (const Cluster& cluster : fleet_.clusters()) {
        const ClusterExposure e = ExposureFromSpan(fleet_, cluster, span);
        if (e.partial_cell >= 0) p.partial.emplace_back(e.partial_cell, e.partial_hosts);
      }
    }
    return;
  }
  p.uniform = fleet_.common_cell_count() > 0;
  p.clusters.resize(n_clusters);
  SpanCache spans;
  for (size_t k = 0; k < n_clusters; ++k) {
    const Cluster& cluster = fleet_.clusters()[k];
    ClusterExposure e = ExposureFromSpan(
        fleet_, cluster, spans.For(cluster.cell_count, r.motion.At(k, now), r.offset));
    if (e.full == 0 || e.full == cluster.cell_count)
      e.start = 0;  // the same cells wherever it starts
    p.clusters[k] = e;
    if (e.partial_cell >= 0) p.partial.emplace_back(e.partial_cell, e.partial_hosts);
    if (k == 0) {
      p.start = e.start;
      p.full = e.full;
    } else if (e.start != p.start || e.full != p.full) {
      p.uniform = false;
    }
  }
}

void Simulation::SampleSignals(SimTime now) {
  const size_t n_active = rollouts_.active_count();
  const size_t n_cells = fleet_.cells().size();
  const size_t n_clusters = fleet_.clusters().size();
  const double tick_minutes = scenario_.tick.minutes();
  const SimTime midpoint = now - SimTime::Millis(scenario_.tick.millis() / 2);
  for (size_t r = 0; r < region_rate_.size(); ++r) {
    region_rate_[r] = traffic_.RatePerHostMinute(static_cast<int>(r), midpoint) * tick_minutes;
  }
  tick_samples_.assign(n_active, ChangeTickSample{});
  const size_t n_regions = health_.groups().size();  // evaluation groups (regions or clusters)
  tick_canary_.assign(n_active, SignalWindow{});
  tick_canary_fault_errors_.assign(n_active, 0);
  // Per-group canary windows only while some change in flight reads them (a flag's canary is
  // drawn group by group too): O(active x groups) per tick otherwise wasted.
  group_stride_ = rollouts_.group_window_readers() > 0 ? n_regions : 0;
  tick_canary_by_region_.assign(n_active * group_stride_, SignalWindow{});
  region_window_.assign(n_regions, SignalWindow{});

  SignalWindow fleet_window;
  int64_t fleet_fault_errors = 0;
  bool per_cell = !aggregate_signals_;
  const bool shaped_tick = faults_.Update(now, region_rate_);
  per_cell |= shaped_tick;  // fault shapes, crash loops, outages: the exact per-cell path
  if (!per_cell) {
    // A manifesting feature flag splits every cell's requests: sample cell by cell this tick.
    for (int64_t id : rollouts_.active()) {
      const Rollout& r = rollouts_.Get(id);
      per_cell |= r.Flag() && r.Manifesting();
    }
    // Both paths are exact; take the cheaper one. The aggregated path sorts every change's
    // range boundaries in every cluster (~clusters x active x log active), the per-cell path
    // pays per cell plus a placement per (change, cluster): past a few changes in flight the
    // cells win when they can be summed by column (below), past a few hundred otherwise.
    const double ratio = ColumnsPossible() ? kAggregatedCostRatioWithColumns : kAggregatedCostRatio;
    per_cell |= static_cast<double>(n_active * n_clusters) > ratio * static_cast<double>(n_cells);
  }
  const int common_b = per_cell ? fleet_.common_cell_count() : 0;
  const bool region_groups = health_.region_groups();
  // Which prefix sums a change's whole cells are summed from: bucket-major over the fleet (or
  // its region groups) when it has the same buckets in every cluster, else per cluster.
  enum class CanarySums { kNone, kFleet, kGroups, kClusters };
  auto canary_sums = [&](const Rollout& r) {
    const Placement& p = r.placement;
    if (!per_cell || r.Flag() || (p.full == 0 && p.uniform)) return CanarySums::kNone;
    if (p.uniform && common_b > 0 && !r.needs.group_windows) return CanarySums::kFleet;
    if (p.uniform && common_b > 0 && region_groups) return CanarySums::kGroups;
    return CanarySums::kClusters;
  };
  // Plain cells (no change splits them, no fault acts on them) summed by column, a column being
  // the cells of one region in one bucket (set below, when nothing reads a plain cell alone).
  bool columns = false;
  // Per change in flight this tick (filled by step 1): which prefix sums its whole cells come
  // from, and whether it is a feature flag whose fault manifests. One compact pass instead of
  // several passes over the changes' (scattered) rollouts.
  slot_sums_.assign(n_active, static_cast<uint8_t>(CanarySums::kNone));
  bool any_manifesting_flag = false;
  bool cluster_sums_read =
      false;  // some change reads per-cluster prefix sums (20,000 cells: skipped if not)
  if (!per_cell) {
    // Aggregated fast path (DESIGN §4): exact when no per-(cell, minute) randomness exists.
    for (size_t s = 0; s < n_active; ++s)
      tick_samples_[s].change_id = rollouts_.Active(s).change->info.id;
    SampleClusters(now, fleet_window, fleet_fault_errors);
  } else {
    // 1. Placement of every active change in every cluster. Cells get an entry only where the
    //    change splits the cell (its partial boundary cell) or where its fault manifests; whole
    //    cells of healthy changes are accounted for by range sums in step 3.
    std::vector<CellTriple>& triples = scratch_triples_;
    triples.clear();
    for (size_t s = 0; s < n_active; ++s) {
      const Rollout& r = rollouts_.Active(s);
      tick_samples_[s].change_id = r.change->info.id;
      const bool manifesting = r.Manifesting();
      // A flag splits requests, not hosts: no placement (steps 2b and 3 handle it).
      if (r.Flag()) {
        any_manifesting_flag |= manifesting;
        continue;
      }
      UpdatePlacement(now, rollouts_.Active(s));
      const CanarySums sums = canary_sums(r);
      slot_sums_[s] = static_cast<uint8_t>(sums);
      cluster_sums_read |= sums == CanarySums::kClusters;
      // A fault a labelled change triggered acts only on the hosts running both (below).
      const bool on_both = manifesting && r.trigger_change >= 0 &&
                           !faults_.conditions().Cascades(r.change->truth.fault);
      for (const auto& [cell, hosts] : r.placement.partial) {
        triples.push_back(
            CellTriple{cell, CellEntry{hosts, static_cast<int32_t>(s), true, !on_both}});
      }
      if (!manifesting) continue;
      if (on_both) {
        scratch_on_both_.clear();
        faults_.HostsOnBoth(now, r, scratch_on_both_);
        for (const auto& [cell, both] : scratch_on_both_)
          triples.push_back(
              CellTriple{cell, CellEntry{both, static_cast<int32_t>(s), false, true}});
        continue;
      }
      for (size_t k = 0; k < n_clusters; ++k) {
        const Cluster& cluster = fleet_.clusters()[k];
        const ClusterExposure e = r.placement.In(k);
        for (int j = 0; j < e.full; ++j) {
          const int cell = cluster.first_cell + (e.start + j) % cluster.cell_count;
          triples.push_back(CellTriple{
              cell, CellEntry{fleet_.cells()[cell].hosts, static_cast<int32_t>(s), false}});
        }
      }
    }
    // Columns: a plain cell's counts only ever enter sums over whole buckets of a region (the
    // bucket-major prefix sums, the region and fleet windows) unless some change reads cells
    // cluster by cluster or a manifesting flag splits every cell's requests. Then each cell
    // still draws its own per-minute conditions (error probability, latency noise), but its
    // counts are drawn summed with the rest of its column (SignalSampler::SampleSummed: exact).
    columns = ColumnsPossible() && !any_manifesting_flag && !cluster_sums_read;
    const size_t n_columns = columns ? n_regions * static_cast<size_t>(common_b) : 0;
    column_means_.assign(n_columns, CohortMeans{});
    column_hosts_.assign(n_columns, 0);
    std::fill(cell_entry_begin_.begin(), cell_entry_begin_.end(), 0);
    for (const CellTriple& t : triples) ++cell_entry_begin_[t.cell + 1];
    for (size_t c = 0; c < n_cells; ++c) cell_entry_begin_[c + 1] += cell_entry_begin_[c];
    cell_entries_.resize(triples.size());
    {
      std::vector<int32_t>& fill = scratch_fill_;
      fill.assign(cell_entry_begin_.begin(), cell_entry_begin_.end() - 1);
      for (const CellTriple& t : triples)
        cell_entries_[fill[t.cell]++] = t.entry;  // stable: slot order
    }

    // 2. Sample every cohort of every cell. Within a cell, the hosts running a change are a
    //    prefix, so sorting the entries by exposed hosts yields the cohorts as consecutive ranges.
    cell_totals_.resize(n_cells);
    std::vector<FaultEffect>& faults = scratch_faults_;
    std::vector<int32_t>& fault_slots = scratch_fault_slots_;
    std::vector<int64_t>& fault_errors = scratch_fault_errors_;
    std::vector<int32_t>& manifesting = scratch_manifesting_;
    for (size_t c = 0; c < n_cells; ++c) {
      const Cell& cell = fleet_.cells()[c];
      CellEntry* begin = cell_entries_.data() + cell_entry_begin_[c];
      CellEntry* end = cell_entries_.data() + cell_entry_begin_[c + 1];
      if (begin == end && faults_.cascading_slots().empty()) {
        // Most cells: no change splits the cell and no fault acts on it; one cohort, drawn as
        // the general loop below would draw it.
        RandomStream rng(
            StreamKey{seed_, replica_, StreamPurpose::kSignals,
                      (static_cast<uint64_t>(tick_index_) << 32) | static_cast<uint64_t>(c)});
        const CellMinute minute = sampler_.DrawCellMinute(rng, cell_profiles_[c]);
        const double rate =
            region_rate_[cell.region] *
            (shaped_tick ? faults_.conditions().LoadFactor(static_cast<size_t>(cell.cluster))
                         : 1.0);
        if (columns) {
          const CohortMeans m =
              sampler_.MeansWithoutFaults(cell.hosts, rate, minute, cell_profiles_[c]);
          const Cluster& cluster = fleet_.clusters()[static_cast<size_t>(cell.cluster)];
          const size_t column =
              static_cast<size_t>(health_.GroupOf(static_cast<size_t>(cell.cluster))) *
                  static_cast<size_t>(common_b) +
              static_cast<size_t>(static_cast<int>(c) - cluster.first_cell);
          CohortMeans& sum = column_means_[column];
          sum.errors += m.errors;
          sum.successes += m.successes;
          sum.requests += m.requests;
          sum.latency_p99 += m.latency_p99 * m.requests;  // the column's p99 x weight, summed
          column_hosts_[column] += cell.hosts;
          cell_totals_[c] = CellTotals{};
          continue;
        }
        const SegmentSample seg =
            sampler_.SampleSegment(rng, cell.hosts, rate, minute, cell_profiles_[c], {}, {});
        CellTotals totals;
        totals.window = WindowOf(seg, cell.hosts);
        cell_totals_[c] = totals;
        fleet_window.Add(totals.window);
        region_window_[health_.GroupOf(static_cast<size_t>(cell.cluster))].Add(totals.window);
        continue;
      }
      // Insertion sort by exposed hosts, stable (slot order among equals); lists are short.
      for (CellEntry* i = begin + 1; i < end; ++i) {
        const CellEntry e = *i;
        CellEntry* j = i;
        while (j > begin && (j - 1)->exposed > e.exposed) {
          *j = *(j - 1);
          --j;
        }
        *j = e;
      }
      const size_t m = static_cast<size_t>(end - begin);
      manifesting.clear();
      for (size_t j = 0; j < m; ++j) {
        if (begin[j].bounds_fault &&
            faults_.ActsIn(rollouts_.Active(begin[j].slot), static_cast<size_t>(begin[j].slot),
                           static_cast<size_t>(cell.cluster))) {
          manifesting.push_back(static_cast<int32_t>(j));
        }
      }
      size_t first_manifesting = 0;  // manifesting[first_manifesting..] sit at positions >= i
      RandomStream rng(
          StreamKey{seed_, replica_, StreamPurpose::kSignals,
                    (static_cast<uint64_t>(tick_index_) << 32) | static_cast<uint64_t>(c)});
      const CellMinute minute = sampler_.DrawCellMinute(rng, cell_profiles_[c]);
      const double rate =
          region_rate_[cell.region] *
          (shaped_tick ? faults_.conditions().LoadFactor(static_cast<size_t>(cell.cluster)) : 1.0);
      CellTotals cumulative;
      int64_t prev = 0;
      for (size_t i = 0; i <= m; ++i) {
        const int64_t upper = i < m ? begin[i].exposed : cell.hosts;
        const int64_t hosts = upper - prev;
        if (hosts > 0) {
          faults.clear();
          fault_slots.clear();
          while (first_manifesting < manifesting.size() &&
                 static_cast<size_t>(manifesting[first_manifesting]) < i) {
            ++first_manifesting;
          }
          for (size_t k = first_manifesting; k < manifesting.size(); ++k) {
            const int32_t slot = begin[manifesting[k]].slot;
            faults.push_back(faults_.EffectIn(rollouts_.Active(slot), static_cast<size_t>(slot),
                                              static_cast<size_t>(cell.cluster)));
            fault_slots.push_back(slot);
          }
          for (size_t s : faults_.cascading_slots()) {
            // Faults of a dependency service reach every host of the cluster (fault_conditions.h).
            if (!faults_.conditions().Acts(s, static_cast<size_t>(cell.cluster))) continue;
            faults.push_back(faults_.conditions().Effect(s, static_cast<size_t>(cell.cluster)));
            fault_slots.push_back(static_cast<int32_t>(s));
          }
          fault_errors.assign(faults.size(), 0);
          double segment_rate = rate;
          if (shaped_tick && faults_.conditions().any_crash()) {
            // Hosts in a crash loop serve nothing (fault_conditions.h).
            for (int32_t slot : fault_slots)
              segment_rate *= faults_.conditions().ServingShare(static_cast<size_t>(slot),
                                                                static_cast<size_t>(cell.cluster));
          }
          const SegmentSample seg = sampler_.SampleSegment(rng, hosts, segment_rate, minute,
                                                           cell_profiles_[c], faults, fault_errors);
          int64_t hidden_errors = 0;  // failures of faults not visible in the error signal
          for (size_t k = 0; shaped_tick && k < fault_slots.size(); ++k) {
            const int fault = rollouts_.Active(fault_slots[k]).change->truth.fault;
            if (!scenario_.faults.faults[fault].visible_errors) hidden_errors += fault_errors[k];
          }
          cumulative.window.Add(WindowOf(seg, hosts, hidden_errors));
          for (size_t k = 0; k < fault_slots.size(); ++k) {
            const int32_t s = fault_slots[k];
            ChangeTickSample& sample = tick_samples_[s];
            sample.fault_errors += fault_errors[k];
            sample.manifesting_hosts += hosts;
            sample.manifesting_requests += seg.requests;
            cumulative.fault_errors += fault_errors[k];
            Rollout& owner = rollouts_.Active(s);
            if (!owner.region_seen[cell.region]) {
              owner.region_seen[cell.region] = 1;
              observer_->OnRegionImpacted(owner.change->info.id, cell.region, now);
              ++region_incidents_[cell.region];
            }
          }
        }
        if (i < m && begin[i].partial) {
          const int32_t s = begin[i].slot;
          tick_canary_[s].Add(cumulative.window);
          tick_canary_fault_errors_[s] += cumulative.fault_errors;
          if (group_stride_)
            tick_canary_by_region_[s * group_stride_ +
                                   health_.GroupOf(static_cast<size_t>(cell.cluster))]
                .Add(cumulative.window);
        }
        prev = upper;
      }
      cell_totals_[c] = cumulative;
      fleet_window.Add(cumulative.window);
      region_window_[health_.GroupOf(static_cast<size_t>(cell.cluster))].Add(cumulative.window);
      fleet_fault_errors += cumulative.fault_errors;
    }

    // 2a. The columns' summed counts, one stream per (tick, column).
    column_totals_.assign(n_columns, CellTotals{});
    for (size_t column = 0; column < n_columns; ++column) {
      if (column_hosts_[column] == 0) continue;
      RandomStream rng(
          StreamKey{seed_, replica_, StreamPurpose::kColumnSignals,
                    (static_cast<uint64_t>(tick_index_) << 32) | static_cast<uint64_t>(column)});
      const CohortMeans& sum = column_means_[column];
      const SegmentSample seg = sampler_.SampleSummed(rng, sum);
      CellTotals& totals = column_totals_[column];
      totals.window = SignalWindow{seg.requests,          seg.errors, sum.latency_p99,
                                   column_hosts_[column], 0,          sum.requests};
      fleet_window.Add(totals.window);
      region_window_[column / static_cast<size_t>(common_b)].Add(totals.window);
    }

    // 2b. Feature flags whose fault manifests: in every cell, each request takes the flagged path
    //     with probability `share` (so the flagged errors and successes are binomial thinnings
    //     of the cell's), and the fault fails flagged requests that would have succeeded with
    //     its error increase and slows them by its latency factor. Exact per request; O(cells)
    //     per manifesting flag.
    for (size_t s = 0; any_manifesting_flag && s < n_active; ++s) {
      Rollout& r = rollouts_.Active(s);
      if (!r.Flag() || !r.Manifesting()) continue;
      const double share = r.motion.At(0, now);
      RandomStream rng(StreamKey{
          seed_, replica_, StreamPurpose::kFlagSplit,
          (static_cast<uint64_t>(r.change->info.id) << 24) | static_cast<uint64_t>(tick_index_)});
      ChangeTickSample& sample = tick_samples_[s];
      for (size_t c = 0; c < n_cells; ++c) {
        CellTotals& cell = cell_totals_[c];
        const int region = fleet_.cells()[c].region;
        const int group = health_.GroupOf(static_cast<size_t>(fleet_.cells()[c].cluster));
        const FaultEffect effect =
            faults_.EffectIn(r, s, static_cast<size_t>(fleet_.cells()[c].cluster));
        const int64_t flagged_ok =
            DrawBinomial(rng, cell.window.requests - cell.window.errors, share);
        const int64_t flagged_errors = DrawBinomial(rng, cell.window.errors, share);
        const int64_t caused = DrawBinomial(rng, flagged_ok, effect.error_increase);
        const int64_t flagged = flagged_ok + flagged_errors;
        const double p99 = cell.window.latency_p99();
        const double flagged_weight =
            share * cell.window.latency_weight;  // their expected requests
        const double extra_latency = flagged_weight * p99 * (effect.latency_factor - 1.0);
        const SignalWindow delta{0, caused, extra_latency, 0};
        cell.window.Add(delta);
        cell.fault_errors += caused;
        fleet_window.Add(delta);
        fleet_fault_errors += caused;
        region_window_[group].Add(delta);
        const SignalWindow flagged_window{
            flagged, flagged_errors + caused, flagged_weight * p99 * effect.latency_factor, 0,
            0,       flagged_weight};
        tick_canary_[s].Add(flagged_window);
        tick_canary_fault_errors_[s] += caused;
        tick_canary_by_region_[s * group_stride_ + group].Add(flagged_window);
        sample.fault_errors += caused;
        sample.manifesting_requests += flagged;
        if (flagged > 0 && !r.region_seen[region]) {
          r.region_seen[region] = 1;
          observer_->OnRegionImpacted(r.change->info.id, region, now);
          ++region_incidents_[region];
        }
      }
      sample.manifesting_hosts = std::llround(share * static_cast<double>(fleet_.total_hosts()));
    }
  }

  // 3. Canary of each change = its partial cells (step 2) + its whole cells, summed over ring
  //    ranges of buckets with prefix sums: per cluster (O(clusters) per change), or bucket-major
  //    over all clusters when the change has the same buckets in every cluster (O(1) per
  //    change; O(groups) when its judges read per-region windows).
  std::vector<CellTotals>& prefix = scratch_prefix_;
  if (cluster_sums_read)
    prefix.resize(n_cells + n_clusters);  // (a replica that never reads them never pays for them)
  for (size_t k = 0; cluster_sums_read && k < n_clusters; ++k) {
    const Cluster& cluster = fleet_.clusters()[k];
    const size_t base = static_cast<size_t>(cluster.first_cell) + k;
    prefix[base] = CellTotals{};
    for (int j = 0; j < cluster.cell_count; ++j) {
      prefix[base + j + 1] = prefix[base + j];
      prefix[base + j + 1].Add(cell_totals_[cluster.first_cell + j]);
    }
  }
  // Bucket-major prefix sums, [group * (B + 1) + j]: group g's cells in buckets [0, j) of all
  // its clusters (groups are regions here; by-cluster groups use the per-cluster sums), and
  // the same over the whole fleet.
  std::vector<CellTotals>& group_prefix = scratch_group_prefix_;
  std::vector<CellTotals>& fleet_prefix = scratch_fleet_prefix_;
  if (common_b > 0) {
    const size_t stride = static_cast<size_t>(common_b) + 1;
    group_prefix.assign(n_regions * stride, CellTotals{});
    fleet_prefix.assign(stride, CellTotals{});
    if (region_groups) {
      for (size_t k = 0; k < n_clusters; ++k) {
        const Cluster& cluster = fleet_.clusters()[k];
        CellTotals* row =
            &group_prefix[static_cast<size_t>(health_.GroupOf(static_cast<size_t>(k))) * stride +
                          1];
        for (int j = 0; j < common_b; ++j) row[j].Add(cell_totals_[cluster.first_cell + j]);
      }
      for (size_t column = 0; columns && column < column_totals_.size(); ++column) {
        const size_t g = column / static_cast<size_t>(common_b);
        group_prefix[g * stride + 1 + column % static_cast<size_t>(common_b)].Add(
            column_totals_[column]);
      }
      for (size_t g = 0; g < n_regions; ++g) {
        CellTotals* row = &group_prefix[g * stride];
        for (int j = 0; j < common_b; ++j) fleet_prefix[j + 1].Add(row[j + 1]);
        for (int j = 0; j < common_b; ++j) row[j + 1].Add(row[j]);
      }
    } else {
      for (size_t k = 0; k < n_clusters; ++k) {
        const Cluster& cluster = fleet_.clusters()[k];
        for (int j = 0; j < common_b; ++j)
          fleet_prefix[j + 1].Add(cell_totals_[cluster.first_cell + j]);
      }
    }
    for (int j = 0; j < common_b; ++j) fleet_prefix[j + 1].Add(fleet_prefix[j]);
  }
  // Sum of buckets [start, start + length) (wrapping) of a prefix row of b buckets.
  auto ring_sum = [](const CellTotals* row, int b, int start, int length) {
    CellTotals sum;
    if (start + length <= b) {
      sum = row[start + length];
      sum.Subtract(row[start]);
    } else {
      sum = row[b];
      sum.Subtract(row[start]);
      sum.Add(row[start + length - b]);
    }
    return sum;
  };
  for (size_t s = 0; s < n_active; ++s) {
    Rollout& r = rollouts_.Active(s);
    SignalWindow* canary_by_region =
        group_stride_ ? &tick_canary_by_region_[s * group_stride_] : nullptr;
    if (r.Flag() && !r.Manifesting()) {
      // A flag with no manifesting fault: its flagged requests are a binomial thinning of each
      // region's requests and errors (exact; nothing of the flag's own changes the signals).
      const double share = r.motion.At(0, now);
      RandomStream rng(StreamKey{
          seed_, replica_, StreamPurpose::kFlagSplit,
          (static_cast<uint64_t>(r.change->info.id) << 24) | static_cast<uint64_t>(tick_index_)});
      for (size_t g = 0; g < n_regions; ++g) {
        const SignalWindow& region = region_window_[g];
        const int64_t flagged_ok = DrawBinomial(rng, region.requests - region.errors, share);
        const int64_t flagged_errors = DrawBinomial(rng, region.errors, share);
        const int64_t flagged = flagged_ok + flagged_errors;
        canary_by_region[g] = SignalWindow{flagged,
                                           flagged_errors,
                                           share * region.latency_weighted_sum,
                                           0,
                                           0,
                                           share * region.latency_weight};
        tick_canary_[s].Add(canary_by_region[g]);
      }
    }
    CellTotals canary{tick_canary_[s], tick_canary_fault_errors_[s]};
    const Placement& p = r.placement;
    if (const auto sums = static_cast<CanarySums>(slot_sums_[s]); sums != CanarySums::kNone) {
      const size_t stride = static_cast<size_t>(common_b) + 1;
      if (sums == CanarySums::kFleet) {
        canary.Add(ring_sum(fleet_prefix.data(), common_b, p.start, p.full));
      } else if (sums == CanarySums::kGroups) {
        for (size_t g = 0; g < n_regions; ++g) {
          const CellTotals in_group =
              ring_sum(&group_prefix[g * stride], common_b, p.start, p.full);
          canary.Add(in_group);
          canary_by_region[g].Add(in_group.window);
        }
      } else {
        for (size_t k = 0; k < n_clusters; ++k) {
          const ClusterExposure e = p.In(k);
          if (e.full == 0) continue;
          const Cluster& cluster = fleet_.clusters()[k];
          const CellTotals in_cluster =
              ring_sum(&prefix[static_cast<size_t>(cluster.first_cell) + k], cluster.cell_count,
                       e.start, e.full);
          canary.Add(in_cluster);
          if (canary_by_region)
            canary_by_region[health_.GroupOf(static_cast<size_t>(k))].Add(in_cluster.window);
        }
      }
    }
    tick_samples_[s].exposed_hosts =
        r.Flag() ? std::llround(r.motion.At(0, now) * static_cast<double>(fleet_.total_hosts()))
                 : canary.window.host_minutes;
    r.last_fault_errors = tick_samples_[s].fault_errors;
    if (r.phase != Phase::kDeploying && r.phase != Phase::kBaking) continue;
    CellTotals control{fleet_window, fleet_fault_errors};
    control.Subtract(canary);
    const bool groups = r.needs.group_windows;
    std::vector<SignalWindow>& region_control = scratch_region_control_;
    region_control.assign(groups ? n_regions : 0, SignalWindow{});
    for (size_t g = 0; groups && g < n_regions; ++g) {
      region_control[g] = region_window_[g];
      region_control[g].Subtract(canary_by_region[g]);
    }
    if (scenario_.signals.other_status_share > 0) {  // (needs.group_windows is set then)
      // 3xx/4xx among each group's successful requests, region by region (independent per
      // request, so the sums over regions are the groups' exact draws).
      RandomStream rng(StreamKey{
          seed_, replica_, StreamPurpose::kStatusMix,
          (static_cast<uint64_t>(r.change->info.id) << 24) | static_cast<uint64_t>(tick_index_)});
      const double share = scenario_.signals.other_status_share;
      canary.window.other_status = 0;
      control.window.other_status = 0;
      for (size_t g = 0; g < n_regions; ++g) {
        SignalWindow& c = canary_by_region[g];
        SignalWindow& k = region_control[g];
        c.other_status = DrawBinomial(rng, c.requests - c.errors, share);
        k.other_status = DrawBinomial(rng, k.requests - k.errors, share);
        canary.window.other_status += c.other_status;
        control.window.other_status += k.other_status;
      }
    }
    health_.Record(
        r, CanaryControlTick{canary.window, control.window,
                             std::span<const SignalWindow>(canary_by_region, region_control.size()),
                             region_control, canary.fault_errors, control.fault_errors,
                             tick_samples_[s].fault_errors});
  }
  FleetTickSample fleet_sample{now, fleet_window.requests, fleet_window.errors};
  observer_->OnTick(fleet_sample, tick_samples_);

  // 4. People: the global alert on the fleet-wide error rate.
  incidents_.ObserveFleet(now, fleet_window.error_rate());
}

bool Simulation::ColumnsPossible() const {
  const SignalSpec& spec = sampler_.spec();
  return spec.allow_aggregation && spec.poisson_requests && fleet_.common_cell_count() > 0 &&
         health_.region_groups() && faults_.cascading_slots().empty();
}

void Simulation::SampleClusters(SimTime now, SignalWindow& fleet_window,
                                int64_t& fleet_fault_errors) {
  const size_t n_active = rollouts_.active_count();
  const double latency = scenario_.signals.latency_p99_ms;
  std::vector<Boundary>& bounds = scratch_boundaries_;
  assert(n_active < (size_t{1} << 23));  // Boundary packs the slot into 23 bits
  std::vector<int32_t>& covering = scratch_covering_;
  for (size_t k = 0; k < fleet_.clusters().size(); ++k) {
    const Cluster& cluster = fleet_.clusters()[k];
    const size_t base = static_cast<size_t>(cluster.first_cell) + k;
    const int b = cluster.cell_count;
    const int64_t total = position_hosts_[base + b];
    assert(total < (int64_t{1} << 40));  // and host positions into 40 bits
    // Host positions run through the buckets in order; a change covers the ring interval that
    // starts at its first bucket (whole buckets, then a prefix of the boundary bucket).
    bounds.clear();
    for (size_t s = 0; s < n_active; ++s) {
      const Rollout& r = rollouts_.Active(s);
      if (r.Flag()) continue;
      const ClusterExposure e = ExposureInCluster(fleet_, cluster, r.motion.At(k, now), r.offset);
      const int64_t start = position_hosts_[base + e.start];
      int64_t length = 0;
      if (e.full > 0) {
        const int end_bucket = e.start + e.full;
        length = end_bucket <= b ? position_hosts_[base + end_bucket] - start
                                 : total - start + position_hosts_[base + (end_bucket - b)];
      }
      length += e.partial_hosts;
      if (length <= 0) continue;
      const int64_t end = start + length;
      const int32_t slot = static_cast<int32_t>(s);
      if (end <= total) {
        bounds.push_back(Boundary::Make(start, slot, +1));
        bounds.push_back(Boundary::Make(end, slot, -1));
      } else {
        bounds.push_back(Boundary::Make(start, slot, +1));
        bounds.push_back(Boundary::Make(total, slot, -1));
        bounds.push_back(Boundary::Make(0, slot, +1));
        bounds.push_back(Boundary::Make(end - total, slot, -1));
      }
    }
    // Ties: a change's interval that ends where its other (wrapped) interval starts closes first.
    std::sort(bounds.begin(), bounds.end());
    // Sum of hosts x error probability over host positions [0, x).
    auto error_mass = [&](int64_t x) {
      const int64_t* first = &position_hosts_[base];
      const int j = static_cast<int>(std::upper_bound(first, first + b + 1, x) - first) - 1;
      if (j >= b) return position_error_[base + b];
      return position_error_[base + j] +
             static_cast<double>(x - first[j]) * cell_profiles_[cluster.first_cell + j].error_rate;
    };
    RandomStream rng(
        StreamKey{seed_, replica_, StreamPurpose::kClusterSignals,
                  (static_cast<uint64_t>(tick_index_) << 32) | static_cast<uint64_t>(k)});
    const double rate = region_rate_[cluster.region];
    const int region = cluster.region;
    const int group = health_.GroupOf(static_cast<size_t>(k));
    // `covering` holds only the manifesting changes over the current run (their faults are drawn
    // run by run); every change's canary is a range of runs, summed from `run_prefix` below, so
    // a tick costs O(runs + changes) per cluster rather than O(runs x changes).
    covering.clear();
    std::vector<CellTotals>& run_prefix = scratch_run_prefix_;
    run_prefix.assign(1, CellTotals{});
    std::vector<int32_t>& bound_run = scratch_bound_run_;  // the run at which each boundary applies
    bound_run.resize(bounds.size());
    int64_t from = 0;
    size_t next = 0;
    while (from < total) {
      while (next < bounds.size() && bounds[next].position() <= from) {
        bound_run[next] = static_cast<int32_t>(run_prefix.size() - 1);
        const Boundary& bd = bounds[next++];
        if (!rollouts_.Active(bd.slot()).Manifesting()) continue;
        if (bd.delta() > 0) {
          covering.insert(std::lower_bound(covering.begin(), covering.end(), bd.slot()), bd.slot());
        } else {
          covering.erase(std::lower_bound(covering.begin(), covering.end(), bd.slot()));
        }
      }
      const int64_t to = next < bounds.size() ? std::min(total, bounds[next].position()) : total;
      const int64_t hosts = to - from;
      // Poisson splitting: base errors, each manifesting fault's errors (in change order, on
      // the requests nothing earlier failed) and successes are independent Poisson counts.
      const double error_mean = rate * (error_mass(to) - error_mass(from));
      double ok_mean = rate * static_cast<double>(hosts) - error_mean;
      int64_t errors = DrawPoisson(rng, error_mean);
      int64_t caused_total = 0;
      double segment_latency = latency;
      const size_t first_fault = scratch_fault_errors_.size();
      for (int32_t s : covering) {
        const Rollout& r = rollouts_.Active(s);
        const int64_t caused = DrawPoisson(rng, ok_mean * r.effect.error_increase);
        ok_mean *= 1.0 - r.effect.error_increase;
        segment_latency *= r.effect.latency_factor;
        scratch_fault_errors_.push_back(caused);
        caused_total += caused;
      }
      errors += caused_total;
      const int64_t requests = errors + DrawPoisson(rng, ok_mean);
      const double expected_requests = rate * static_cast<double>(hosts);
      const SignalWindow window{requests, errors, segment_latency * expected_requests,
                                hosts,    0,      expected_requests};
      fleet_window.Add(window);
      fleet_fault_errors += caused_total;
      region_window_[group].Add(window);
      CellTotals run_totals;
      run_totals.window = window;
      run_totals.fault_errors = caused_total;
      run_prefix.push_back(run_prefix.back());
      run_prefix.back().Add(run_totals);
      size_t fault_index = first_fault;
      for (int32_t s : covering) {
        Rollout& r = rollouts_.Active(s);
        ChangeTickSample& sample = tick_samples_[s];
        sample.fault_errors += scratch_fault_errors_[fault_index++];
        sample.manifesting_hosts += hosts;
        sample.manifesting_requests += requests;
        if (!r.region_seen[region]) {
          r.region_seen[region] = 1;
          observer_->OnRegionImpacted(r.change->info.id, region, now);
          ++region_incidents_[region];
        }
      }
      scratch_fault_errors_.resize(first_fault);
      from = to;
    }
    for (; next < bounds.size(); ++next)
      bound_run[next] = static_cast<int32_t>(run_prefix.size() - 1);
    // Canary windows: a change's interval runs from its +1 boundary to its -1 boundary (a
    // wrapped change has two intervals); bounds of one slot alternate +1, -1 in sorted order.
    std::vector<int32_t>& open_run = scratch_covering_open_;
    open_run.resize(n_active);
    for (size_t i = 0; i < bounds.size(); ++i) {
      const Boundary& bd = bounds[i];
      if (bd.delta() > 0) {
        open_run[bd.slot()] = bound_run[i];
        continue;
      }
      CellTotals range = run_prefix[bound_run[i]];
      range.Subtract(run_prefix[open_run[bd.slot()]]);
      tick_canary_[bd.slot()].Add(range.window);
      tick_canary_fault_errors_[bd.slot()] += range.fault_errors;
      if (group_stride_)
        tick_canary_by_region_[static_cast<size_t>(bd.slot()) * group_stride_ + group].Add(
            range.window);
    }
  }
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
    if (!scenario_.automation.Default() && incidents_.AutomatedStopLost(now, r)) continue;
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
  r.Move(r.motion.Follow(here, here, now, now, now, MaxLag()));
  r.phase = Phase::kPaused;
  observer_->OnExposure(r.change->info.id, now, ExposedCount(r, r.motion.AllAt(now)));
  ScheduleExposurePoints(now, r);
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
  return cluster_lag_ && r.change->info.kind == ChangeKind::kConfig && !r.Flag() && !r.bypassed;
}

SimTime Simulation::FirstLag(const ClusterFractions& to) const {
  SimTime first = SimTime::Max();
  for (size_t k = 0; k < to.size(); ++k) {
    if (to[k] > 0) first = std::min(first, (*cluster_lag_)[k]);
  }
  return first == SimTime::Max() ? SimTime::Zero() : first;
}

SimTime Simulation::RollbackTail(const Rollout& r, SimTime now) const {
  // Cluster k's hosts run the pushed path lag[k] late: they are clear of the change lag[k]
  // after the revert's end, if anything was pushed there within lag[k] before now or since.
  SimTime tail = SimTime::Zero();
  for (size_t k = 0; k < r.motion.to.size(); ++k) {
    const SimTime lag = (*r.motion.lag)[k];
    if (lag > tail && r.motion.PushedAnyIn(k, now - lag, r.motion.end)) tail = lag;
  }
  return tail;
}

void Simulation::ScheduleExposurePoints(SimTime now, const Rollout& r) {
  // The hosts' exposure bends where a pushed breakpoint (this move's issue, start and end)
  // reaches a delayed cluster; report it there so the recorded path stays piecewise linear.
  if (!r.motion.lag) return;
  for (size_t i = 0; i <= lag_values_.size(); ++i) {
    const SimTime lag = i == 0 ? SimTime::Zero() : lag_values_[i - 1];  // 0: regions without delay
    SimTime last = now;
    for (SimTime at : {now, r.motion.start, r.motion.end}) {
      if (at + lag <= last) continue;
      last = at + lag;
      queue_.Schedule(last, EngineEvent{EventKind::kExposurePoint, r.change->info.id});
    }
  }
}

}  // namespace fleetsim
