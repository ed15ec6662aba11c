// PropagationLag: the configuration propagation delay of each cluster
// (infrastructure.propagation_delay, infrastructure_spec.h; exposure_motion.h).
//
// A config change placed on hosts by its policy reaches cluster k's hosts lag[k] after the
// deploy system pushes it; its rollback too. Flags, bypass pushes and code releases have no
// such lag (the Simulation decides who is delayed). Immutable after construction; shared by
// the changes' exposure motions (per_cluster()).
#pragma once

#include <memory>
#include <vector>

#include "sim/cluster_fractions.h"
#include "sim/exposure_motion.h"
#include "sim/scenario.h"
#include "sim/sim_time.h"

namespace fleetsim {

class PropagationLag {
 public:
  explicit PropagationLag(const Scenario& scenario);

  bool enabled() const { return per_cluster_ != nullptr; }
  // Per cluster; null when no cluster has a positive lag.
  const std::shared_ptr<const std::vector<SimTime>>& per_cluster() const { return per_cluster_; }
  // The same for the clusters of target `t` (Scenario::targets), in its own cluster order.
  const std::shared_ptr<const std::vector<SimTime>>& per_cluster(int t) const {
    return per_target_[static_cast<size_t>(t)];
  }
  // The distinct positive lags, ascending, and the largest (0 without any).
  const std::vector<SimTime>& values() const { return values_; }
  SimTime max() const { return values_.empty() ? SimTime::Zero() : values_.back(); }
  // The smallest lag[k] of a cluster with to[k] > 0 (0 if none).
  static SimTime First(const ClusterFractions& to, const std::vector<SimTime>& lag);
  // How long after its end the revert `m` (issued at `now`) reaches every host: cluster k's
  // hosts run the pushed path lag[k] late. Requires m.lag.
  static SimTime RollbackTail(const ExposureMotion& m, SimTime now);

 private:
  std::shared_ptr<const std::vector<SimTime>> per_cluster_;
  std::vector<std::shared_ptr<const std::vector<SimTime>>> per_target_;
  std::vector<SimTime> values_;
};

}  // namespace fleetsim
