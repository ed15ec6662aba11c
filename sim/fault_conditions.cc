#include "sim/fault_conditions.h"

#include <algorithm>
#include <optional>

namespace fleetsim {

FaultConditions::FaultConditions(const Scenario& scenario, const Fleet& fleet)
    : scenario_(&scenario), fleet_(&fleet), clusters_(fleet.clusters().size()) {
  std::optional<ServiceGraph> graph;
  if (!scenario.services.empty()) {
    Result<ServiceGraph> built = ServiceGraph::Build(scenario.services);
    if (built.ok()) graph = std::move(built).value();
  }
  for (const FaultProfile& f : scenario.faults.faults) {
    shapes_.emplace_back(f, fleet, scenario.signals.base_error_rate);
    shaped_.push_back(f.Plain() ? 0 : 1);
    enabled_ |= !f.Plain();
    double weight = -1;
    if (graph && !f.service.empty() && graph->Find(f.service) > 0)
      weight = graph->CascadeWeight(graph->Find(f.service), 0);
    cascade_weight_.push_back(weight);
  }
  for (const InfraOutage& o : scenario.infrastructure.outages) {
    std::vector<size_t> ks;
    for (size_t k = 0; k < clusters_; ++k) {
      const Cluster& c = fleet.clusters()[k];
      if (c.name == o.cluster || fleet.regions()[static_cast<size_t>(c.region)].name == o.region)
        ks.push_back(k);
    }
    outage_clusters_.push_back(std::move(ks));
    enabled_ = true;
  }
  load_.assign(clusters_, 1.0);
}

void FaultConditions::Update(SimTime now, std::span<const ActiveFault> slots,
                             std::span<const double> region_rate_per_minute) {
  const size_t n = slots.size();
  effect_.assign(n * clusters_, FaultEffect{});
  acts_.assign(n * clusters_, 0);
  serving_.assign(n * clusters_, 1.0);
  share_.assign(n * clusters_, 0.0);
  // 1. Clusters in an outage, and the factor by which the others' load rises.
  std::fill(load_.begin(), load_.end(), 1.0);
  int64_t up_hosts = fleet_->total_hosts();
  for (size_t i = 0; i < outage_clusters_.size(); ++i) {
    const InfraOutage& o = scenario_->infrastructure.outages[i];
    if (now <= o.at || now > o.at + o.duration) continue;
    for (size_t k : outage_clusters_[i]) {
      if (load_[k] != 0) up_hosts -= fleet_->clusters()[k].hosts;
      load_[k] = 0;
    }
  }
  const double spread =
      up_hosts > 0 ? static_cast<double>(fleet_->total_hosts()) / static_cast<double>(up_hosts)
                   : 0.0;
  // 2. Each shaped fault's share per cluster (scope x trigger x intensity) and the crashed hosts.
  crashed_.assign(clusters_, 0.0);
  any_crash_ = false;
  for (size_t s = 0; s < n; ++s) {
    const ActiveFault& a = slots[s];
    if (!a.manifesting || !Shaped(a.fault)) continue;
    const FaultProfile& f = scenario_->faults.faults[static_cast<size_t>(a.fault)];
    const FaultShape& shape = shapes_[static_cast<size_t>(a.fault)];
    const double intensity = shape.Intensity(now - a.onset);
    // The clusters its target holds (its path is in the target's own cluster order).
    for (size_t v = 0; v < a.target->view().clusters().size(); ++v) {
      const auto k = static_cast<size_t>(a.target->FleetCluster(v));
      double share = intensity * shape.ScopeOf(k);
      // Hosts the fault acts on: those running the change, or with a trigger those running both
      // (the engine places it there; here min of the two shares counts them for the crash
      // load, exact when either covers the whole cluster). A cascade reaches every host, in
      // proportion to the shares.
      double hosts_share = a.motion->At(v, now);
      if (a.has_trigger) {
        const int tv = a.trigger ? a.trigger_target->ViewCluster(static_cast<int>(k)) : -1;
        const double trigger_share = tv >= 0 ? a.trigger->At(static_cast<size_t>(tv), now) : 0.0;
        if (Cascades(a.fault))
          share *= trigger_share;
        else if (trigger_share <= 0)
          share = 0;
        hosts_share = std::min(hosts_share, trigger_share);
      }
      if (Cascades(a.fault))
        share *= cascade_weight_[static_cast<size_t>(a.fault)] * a.motion->At(v, now);
      share_[s * clusters_ + k] = share;
      if (f.crash_fraction > 0 && share > 0) {
        const double crash = f.crash_fraction * share;
        serving_[s * clusters_ + k] = 1.0 - crash;
        crashed_[k] += crash * hosts_share * static_cast<double>(fleet_->clusters()[k].hosts);
        any_crash_ = true;
      }
    }
  }
  for (size_t k = 0; k < clusters_; ++k) {
    if (load_[k] == 0) continue;
    const double hosts = static_cast<double>(fleet_->clusters()[k].hosts);
    const double survivors = std::max(hosts - crashed_[k], 1e-9 * hosts);
    load_[k] = spread * hosts / survivors;
  }
  // 3. The load gate, then the effect per (change, cluster).
  for (size_t s = 0; s < n; ++s) {
    const ActiveFault& a = slots[s];
    if (!a.manifesting || !Shaped(a.fault)) continue;
    const FaultShape& shape = shapes_[static_cast<size_t>(a.fault)];
    for (size_t k = 0; k < clusters_; ++k) {
      const double share = share_[s * clusters_ + k];
      if (share <= 0 || load_[k] == 0) continue;
      if (shape.min_load() > 0) {
        const int region = fleet_->clusters()[k].region;
        if (region_rate_per_minute[static_cast<size_t>(region)] * load_[k] < shape.min_load())
          continue;
      }
      acts_[s * clusters_ + k] = 1;
      effect_[s * clusters_ + k] = shape.EffectAt(share);
    }
  }
}

}  // namespace fleetsim
