#include "sim/deploy_actuator.h"

namespace fleetsim {

SimTime MoveDuration(double from, double to, int64_t scope_hosts, int64_t hosts_per_minute) {
  const int64_t hosts = std::llround(std::abs(to - from) * static_cast<double>(scope_hosts));
  if (hosts <= 0 || hosts_per_minute <= 0) return SimTime::Zero();
  const int64_t ms = (hosts * 60'000 + hosts_per_minute - 1) / hosts_per_minute;
  return SimTime::Millis(ms);
}

SimTime MoveDuration(const Fleet& fleet, const std::vector<double>& from, const std::vector<double>& to,
                     int64_t hosts_per_minute) {
  double hosts = 0;
  for (size_t k = 0; k < fleet.clusters().size(); ++k) {
    hosts += std::abs(to[k] - from[k]) * static_cast<double>(fleet.clusters()[k].hosts);
  }
  return MoveDuration(0.0, 1.0, std::llround(hosts), hosts_per_minute);
}

int64_t ExposedHosts(const Fleet& fleet, const std::vector<double>& fractions, double offset) {
  int64_t total = 0;
  for (size_t k = 0; k < fleet.clusters().size(); ++k) {
    const Cluster& cluster = fleet.clusters()[k];
    const ClusterExposure e = ExposureInCluster(fleet, cluster, fractions[k], offset);
    for (int j = 0; j < e.full; ++j) total += fleet.cells()[cluster.first_cell + (e.start + j) % cluster.cell_count].hosts;
    total += e.partial_hosts;
  }
  return total;
}

int64_t ExposedHosts(const Fleet& fleet, double fraction, double offset) {
  int64_t total = 0;
  ForEachExposedCell(fleet, fraction, offset, [&](int, int64_t n) { total += n; });
  return total;
}

}  // namespace fleetsim
