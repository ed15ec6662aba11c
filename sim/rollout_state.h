// Rollout and RolloutTable: the runtime state of every change in flight in one Simulation.
//
// A Rollout is what the engine knows about one change while it rolls out: its plan and step,
// its phase, its exposure path (exposure_motion.h) and where that puts it on the buckets this
// tick (Placement), the health-evaluation windows it accumulates (HealthState), the fault's
// progress (onset, trigger) and ground-truth bookkeeping. RolloutTable owns every Rollout, by
// change id, and the ascending list of ids that still need per-tick work ("active"; a slot is
// an index into that list, the order every per-tick pass follows).
//
// Ownership: the Simulation owns the table; its rooms (tick_sampler.h, health_evaluator.h,
// active_faults.h, incident_response.h) borrow it and read or update the fields their header
// names. Plain data apart from a few derived predicates. Not thread-safe: one replica's state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/change.h"
#include "sim/deploy_actuator.h"
#include "sim/event_queue.h"
#include "sim/exposure_motion.h"
#include "sim/fleet_target.h"
#include "sim/health_policy.h"
#include "sim/host_updates.h"
#include "sim/rollout_policy.h"
#include "sim/signal_sampler.h"
#include "sim/verdict_counter.h"

namespace fleetsim {

enum class Phase : uint8_t { kDeploying, kBaking, kPaused, kCompleted, kRollingBack, kRolledBack };

// Where a change runs at the last tick (TickSampler), kept once the exposure has settled (the
// move and its propagation are over): a bake costs no placement work. Rollout::Move()
// invalidates it.
struct Placement {
  bool valid = false;
  // The same buckets [start, start + full) in every cluster (all clusters having the same
  // bucket count): the change's whole cells are summed bucket-major, O(groups) not O(clusters).
  bool uniform = false;
  int start = 0;
  int full = 0;
  // Per cluster; empty when uniform (every cluster is {start, full} plus its partial cell).
  std::vector<ClusterExposure> clusters;
  std::vector<std::pair<int32_t, int64_t>> partial;  // (cell, hosts) where the change splits a cell
  ClusterExposure In(size_t cluster) const {
    return clusters.empty() ? ClusterExposure{start, full, -1, 0} : clusters[cluster];
  }
};

// Health-evaluation state of one change (health_evaluator.h): the canary and control windows
// of the current evaluation, since the rollout began, per evaluation group, per tick (series,
// sliding lookback), and the current analysis run.
struct HealthState {
  SignalWindow canary;
  SignalWindow control;
  SignalWindow canary_total;
  SignalWindow control_total;
  std::vector<double> canary_error_series;  // per tick since the rollout began
  std::vector<double> control_error_series;
  std::vector<double> canary_latency_series;
  std::vector<double> control_latency_series;
  size_t window_ticks = 0;
  std::vector<SignalWindow> canary_by_region;  // this evaluation window, per group
  std::vector<SignalWindow> control_by_region;
  std::vector<SignalWindow> canary_by_region_total;  // since the rollout began, per group
  std::vector<SignalWindow> control_by_region_total;
  // Sliding lookback: the last ticks' windows, oldest first (a few; a vector, because a
  // std::deque allocates even when empty and most changes never use it).
  struct TickWindows {
    SignalWindow canary;
    SignalWindow control;
    std::vector<SignalWindow> canary_by_region;
    std::vector<SignalWindow> control_by_region;
  };
  std::vector<TickWindows> recent;
  // Failing verdicts of the current analysis run that no stop, pause or hold has acted on yet
  // (HealthEvaluator::Acted / Unacted settle them).
  int unacted = 0;
  bool foreign_fault = false;  // this window: another change's fault hit the canary harder
  SimTime next_eval;
  std::unique_ptr<VerdictCounter> counter;  // the current analysis run's counting
  bool run_succeeded = false;               // the current run reported success: no more verdicts
  bool run_started = false;  // start_at_step: the rollout has reached the run's first step
  bool bake_over = false;    // run_per_step: the bake ended, the step waits for its run
  // advance_on_pass (Flagger): non-failing verdicts in this step, and whether its move is done.
  int step_passes = 0;
  bool step_moved = false;
};

struct Rollout {
  const Change* change = nullptr;
  // What it targets (fleet_target.h): its plan, exposure path and placement are in the
  // target's own cluster and cell indices (the fleet's, for the whole fleet).
  const FleetTarget* target = nullptr;
  // Shared by the changes whose policies made the same plan (most of them): ~0.5 KB each.
  std::shared_ptr<const RolloutPlan> plan;
  int step = 0;
  Phase phase = Phase::kDeploying;
  ExposureMotion motion;
  double offset = 0;  // bucket placement in [0, 1)
  Placement placement;
  bool motion_uniform = true;  // every cluster moves from the same fraction to the same fraction
  bool bypassed = false;       // pushed around the policy (bypass_push.h): no automated checks
  HealthPolicy::ObservationNeeds needs;  // what this change's judges read (health_policy.h)
  HealthState health;
  bool has_pending = false;
  EventId pending = 0;
  bool full_exposure_reported = false;
  bool exposure_started = false;  // some step with a positive target has begun
  bool impact_began = false;
  bool impact_ended = false;
  FaultEffect effect;
  int pauses = 0;
  HostUpdateTally host_updates;  // failed host updates so far (deploy_spec.h)
  std::string deploy_failure;    // why the deploy system failed the rollout
  // Ground truth bookkeeping.
  std::vector<uint8_t> region_seen;  // per region: the fault has shown there
  int64_t last_fault_errors = 0;     // requests its fault failed in the last tick
  // Fault shapes (fault_conditions.h; active_faults.h).
  SimTime onset_at;              // when the fault began to manifest
  bool waiting_trigger = false;  // exposed, but the fault's trigger has not come yet
  int64_t trigger_change = -1;   // the labelled change that triggered it
  bool kill_switch = false;      // people mitigate by kill switch: off every host at once
  bool stop_scheduled = false;   // a delayed automated stop is pending

  void Move(ExposureMotion m) {
    motion = std::move(m);
    placement.valid = false;
    // A propagation delay differs between regions: then every cluster is placed on its own.
    motion_uniform = motion.Uniform();
  }
  bool Manifesting() const { return impact_began && !impact_ended; }
  bool Flag() const { return plan->unit == ExposureUnit::kTrafficShare; }  // feature-flag rollout
  // Whether the tick sampler draws per-group windows for it (a flag's canary is drawn group by
  // group too).
  bool ReadsGroupWindows() const { return needs.group_windows || Flag(); }
  bool NeedsTickWork() const {
    switch (phase) {
      case Phase::kDeploying:
      case Phase::kBaking:
      case Phase::kPaused:
      case Phase::kRollingBack:
        return true;
      case Phase::kCompleted:
        return change->truth.bad() && !impact_ended;
      case Phase::kRolledBack:
        return false;
    }
    return false;
  }
  // The change needs no more per-tick work: frees its per-tick buffers.
  void ReleaseTickState(SimTime now);
};

class RolloutTable {
 public:
  // Room for ids [0, n); every slot empty.
  void Reset(size_t n) {
    by_id_.clear();
    by_id_.resize(n);
    active_.clear();
    group_window_readers_ = 0;
  }
  // Takes the rollout of change r->change->info.id, which becomes active (ids arrive ascending).
  void Add(std::unique_ptr<Rollout> r) {
    const auto id = static_cast<size_t>(r->change->info.id);
    if (r->ReadsGroupWindows()) ++group_window_readers_;
    if (by_id_.size() <= id) by_id_.resize(id + 1);
    by_id_[id] = std::move(r);
    active_.push_back(static_cast<int64_t>(id));
  }
  // Drops the active changes that need no more per-tick work (ids stay ascending) and releases
  // their per-tick state.
  void DropFinished(SimTime now);

  Rollout& Get(int64_t id) { return *by_id_[static_cast<size_t>(id)]; }
  const Rollout& Get(int64_t id) const { return *by_id_[static_cast<size_t>(id)]; }
  const Rollout* Find(int64_t id) const { return by_id_[static_cast<size_t>(id)].get(); }
  // Every arrived change, in id order (null: not arrived).
  const std::vector<std::unique_ptr<Rollout>>& all() const { return by_id_; }

  const std::vector<int64_t>& active() const { return active_; }
  size_t active_count() const { return active_.size(); }
  Rollout& Active(size_t slot) { return *by_id_[static_cast<size_t>(active_[slot])]; }
  const Rollout& Active(size_t slot) const { return *by_id_[static_cast<size_t>(active_[slot])]; }
  // Active changes whose per-group windows are drawn (Rollout::ReadsGroupWindows).
  int64_t group_window_readers() const { return group_window_readers_; }

 private:
  std::vector<std::unique_ptr<Rollout>> by_id_;
  std::vector<int64_t> active_;  // ids needing per-tick work, ascending
  int64_t group_window_readers_ = 0;
};

}  // namespace fleetsim
