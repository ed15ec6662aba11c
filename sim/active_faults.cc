#include "sim/active_faults.h"

#include <algorithm>

namespace fleetsim {

ActiveFaults::ActiveFaults(const Scenario& scenario, RolloutTable& rollouts, EngineQueue& queue,
                           SimObserver& observer)
    : scenario_(scenario),
      fleet_(*scenario.fleet),
      rollouts_(rollouts),
      queue_(queue),
      observer_(observer),
      conditions_(scenario, *scenario.fleet) {}

void ActiveFaults::BeginExposure(SimTime now, Rollout& r) {
  if (r.change->truth.bad()) {
    const FaultProfile& f = scenario_.faults.faults[r.change->truth.fault];
    if (!f.trigger.enabled()) {
      queue_.Schedule(now + f.onset_delay, EngineEvent{EventKind::kOnset, r.change->info.id});
    } else {
      StartOnsetClock(now, r);
    }
  }
  if (!r.change->info.label.empty()) ReleaseTriggers(now, r);
}

void ActiveFaults::StartOnsetClock(SimTime now, Rollout& r) {
  const FaultProfile& f = scenario_.faults.faults[r.change->truth.fault];
  SimTime from = now;
  if (!f.trigger.label.empty()) {
    int64_t trigger = -1;
    for (const auto& [label, id] : started_labels_) {
      if (label == f.trigger.label) trigger = id;
    }
    if (trigger < 0) {
      r.waiting_trigger = true;  // ReleaseTriggers starts the clock when the trigger arrives
      return;
    }
    r.trigger_change = trigger;
  }
  if (f.trigger.has_time) from = std::max(from, f.trigger.at);
  queue_.Schedule(from + f.onset_delay, EngineEvent{EventKind::kOnset, r.change->info.id});
}

void ActiveFaults::ReleaseTriggers(SimTime now, const Rollout& trigger) {
  const std::string& label = trigger.change->info.label;
  for (const auto& entry : started_labels_) {
    if (entry.first == label) return;  // only the first change of a label triggers
  }
  started_labels_.emplace_back(label, trigger.change->info.id);
  for (int64_t id : rollouts_.active()) {
    Rollout& r = rollouts_.Get(id);
    if (!r.waiting_trigger || scenario_.faults.faults[r.change->truth.fault].trigger.label != label)
      continue;
    r.waiting_trigger = false;
    StartOnsetClock(now, r);
  }
}

void ActiveFaults::EndTriggeredImpacts(SimTime now, const Rollout& trigger) {
  for (int64_t id : rollouts_.active()) {
    Rollout& r = rollouts_.Get(id);
    if (r.trigger_change != trigger.change->info.id || !r.Manifesting()) continue;
    r.impact_ended = true;
    observer_.OnImpactEnded(r.change->info.id, now);
  }
}

bool ActiveFaults::Update(SimTime now, std::span<const double> region_rate_per_tick) {
  shaped_tick_ = false;
  if (!conditions_.enabled()) return false;
  slots_.assign(rollouts_.active_count(), FaultConditions::ActiveFault{});
  bool any = !scenario_.infrastructure.outages.empty();
  for (size_t s = 0; s < rollouts_.active_count(); ++s) {
    const Rollout& r = rollouts_.Active(s);
    FaultConditions::ActiveFault& a = slots_[s];
    a.fault = r.change->truth.fault;
    a.manifesting = r.Manifesting();
    a.onset = r.onset_at;
    a.motion = &r.motion;
    a.target = r.target;
    if (a.fault >= 0 && !scenario_.faults.faults[a.fault].trigger.label.empty()) {
      a.has_trigger = true;
      if (r.trigger_change >= 0) {
        const Rollout* t = rollouts_.Find(r.trigger_change);
        if (t && t->phase != Phase::kRolledBack) {
          a.trigger = &t->motion;
          a.trigger_target = t->target;
        }
      }
    }
    any |= a.manifesting && conditions_.Shaped(a.fault);
  }
  cascading_slots_.clear();
  for (size_t s = 0; s < slots_.size(); ++s) {
    if (slots_[s].manifesting && conditions_.Cascades(slots_[s].fault))
      cascading_slots_.push_back(s);
  }
  if (!any) return false;
  per_minute_.resize(region_rate_per_tick.size());
  for (size_t g = 0; g < region_rate_per_tick.size(); ++g)
    per_minute_[g] = region_rate_per_tick[g] / scenario_.tick.minutes();
  conditions_.Update(now, slots_, per_minute_);
  shaped_tick_ = true;
  return true;
}

void ActiveFaults::HostsOnBoth(SimTime now, const Rollout& r,
                               std::vector<std::pair<int32_t, int64_t>>& cells) const {
  const Rollout* trigger = rollouts_.Find(r.trigger_change);
  if (!trigger || trigger->phase == Phase::kRolledBack) return;
  // Within a cell both changes run on a prefix of its hosts, so the hosts running both are the
  // first min(code's, trigger's) of them. Each change's path is in its own target's clusters;
  // a bucket is the same place in the view and in the fleet.
  const FleetTarget& code_target = *r.target;
  const Fleet& code_view = code_target.view();
  for (size_t v = 0; v < code_view.clusters().size(); ++v) {
    const int k = code_target.FleetCluster(v);
    const int tv = trigger->target->ViewCluster(k);
    if (tv < 0) continue;  // the trigger's target does not hold this cluster
    const Cluster& cluster = fleet_.clusters()[static_cast<size_t>(k)];
    const int b = cluster.cell_count;
    const auto bucket_exposure = [&](const Rollout& x, size_t view_cluster) {
      const Fleet& view = x.target->view();
      ClusterExposure e = ExposureInCluster(view, view.clusters()[view_cluster],
                                            x.motion.At(view_cluster, now), x.offset);
      if (e.partial_cell >= 0) e.partial_cell -= view.clusters()[view_cluster].first_cell;
      return e;  // partial_cell as a bucket
    };
    const ClusterExposure code = bucket_exposure(r, v);
    const ClusterExposure pushed = bucket_exposure(*trigger, static_cast<size_t>(tv));
    if (pushed.full == 0 && pushed.partial_cell < 0) continue;
    auto hosts_in = [&](const ClusterExposure& e, int bucket) -> int64_t {
      if ((bucket - e.start + b) % b < e.full)
        return fleet_.cells()[cluster.first_cell + bucket].hosts;
      return bucket == e.partial_cell ? e.partial_hosts : 0;
    };
    auto place = [&](int bucket, int64_t code_hosts) {
      const int64_t both = std::min(code_hosts, hosts_in(pushed, bucket));
      if (both > 0) cells.emplace_back(cluster.first_cell + bucket, both);
    };
    for (int j = 0; j < code.full; ++j) {
      const int bucket = (code.start + j) % b;
      place(bucket, fleet_.cells()[cluster.first_cell + bucket].hosts);
    }
    if (code.partial_cell >= 0) place(code.partial_cell, code.partial_hosts);
  }
}

}  // namespace fleetsim
