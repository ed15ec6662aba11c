#include "sim/rollout_state.h"

#include <algorithm>
#include <type_traits>

namespace fleetsim {

void Rollout::ReleaseTickState(SimTime now) {
  // Swapped with empty containers: `= {}` would keep their capacity.
  auto release = [](auto& container) {
    std::remove_reference_t<decltype(container)>().swap(container);
  };
  placement = Placement{};
  // A settled path answers every later time with `to`: the start of the move is not needed.
  if (!motion.lag && now >= motion.end) motion.from = ClusterFractions{};
  release(health.canary_error_series);
  release(health.control_error_series);
  release(health.canary_latency_series);
  release(health.control_latency_series);
  release(health.canary_by_region);
  release(health.control_by_region);
  release(health.canary_by_region_total);
  release(health.control_by_region_total);
  release(health.recent);
}

void RolloutTable::DropFinished(SimTime now) {
  active_.erase(std::remove_if(active_.begin(), active_.end(),
                               [&](int64_t id) {
                                 Rollout& r = Get(id);
                                 if (r.NeedsTickWork()) return false;
                                 if (r.ReadsGroupWindows()) --group_window_readers_;
                                 r.ReleaseTickState(now);
                                 return true;
                               }),
                active_.end());
}

}  // namespace fleetsim
