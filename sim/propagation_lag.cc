#include "sim/propagation_lag.h"

#include <algorithm>

namespace fleetsim {

PropagationLag::PropagationLag(const Scenario& scenario) {
  const PropagationDelay& delay = scenario.infrastructure.propagation_delay;
  if (!delay.enabled()) return;
  const Fleet& fleet = *scenario.fleet;
  auto lag = std::make_shared<std::vector<SimTime>>();
  for (const Cluster& cluster : fleet.clusters()) {
    lag->push_back(delay.ForRegion(fleet.regions()[static_cast<size_t>(cluster.region)].name));
    if (lag->back() > SimTime::Zero()) values_.push_back(lag->back());
  }
  std::sort(values_.begin(), values_.end());
  values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
  if (values_.empty()) return;
  for (const FleetTarget& target : *scenario.fleet_targets) {
    if (target.whole()) {
      per_target_.push_back(lag);
      continue;
    }
    auto view = std::make_shared<std::vector<SimTime>>();
    for (size_t k = 0; k < target.view().clusters().size(); ++k)
      view->push_back((*lag)[static_cast<size_t>(target.FleetCluster(k))]);
    per_target_.push_back(std::move(view));
  }
  per_cluster_ = std::move(lag);
}

SimTime PropagationLag::First(const ClusterFractions& to, const std::vector<SimTime>& lag) {
  SimTime first = SimTime::Max();
  for (size_t k = 0; k < to.size(); ++k) {
    if (to[k] > 0) first = std::min(first, lag[k]);
  }
  return first == SimTime::Max() ? SimTime::Zero() : first;
}

SimTime PropagationLag::RollbackTail(const ExposureMotion& m, SimTime now) {
  // Cluster k's hosts are clear of the change lag[k] after the revert's end, if anything was
  // pushed there within lag[k] before now or since.
  SimTime tail = SimTime::Zero();
  for (size_t k = 0; k < m.to.size(); ++k) {
    const SimTime lag = (*m.lag)[k];
    if (lag > tail && m.PushedAnyIn(k, now - lag, m.end)) tail = lag;
  }
  return tail;
}

}  // namespace fleetsim
