#include "sim/deploy_actuator.h"

#include <algorithm>

namespace fleetsim {

SimTime MoveDuration(double from, double to, int64_t scope_hosts, int64_t hosts_per_minute) {
  const int64_t hosts = std::llround(std::abs(to - from) * static_cast<double>(scope_hosts));
  if (hosts <= 0 || hosts_per_minute <= 0) return SimTime::Zero();
  const int64_t ms = (hosts * 60'000 + hosts_per_minute - 1) / hosts_per_minute;
  return SimTime::Millis(ms);
}

SimTime MoveDuration(const Fleet& fleet, const ClusterFractions& from, const ClusterFractions& to,
                     int64_t hosts_per_minute) {
  double hosts = 0;
  if (from.uniform() && to.uniform()) {
    hosts = std::abs(to.front() - from.front()) * static_cast<double>(fleet.total_hosts());
  } else {
    for (size_t k = 0; k < fleet.clusters().size(); ++k) {
      hosts += std::abs(to[k] - from[k]) * static_cast<double>(fleet.clusters()[k].hosts);
    }
  }
  return MoveDuration(0.0, 1.0, std::llround(hosts), hosts_per_minute);
}

int64_t ExposedHosts(const Fleet& fleet, const ClusterFractions& fractions, double offset) {
  int64_t total = 0;
  if (const int b = fleet.common_cell_count(); b > 0 && fractions.uniform()) {
    // The same span in every cluster: whole buckets in O(1), then each cluster's boundary cell.
    const BucketSpan span = SpanInBuckets(b, fractions.front(), offset);
    total = fleet.HostsInBucketsOfEveryCluster(span.start, span.full);
    if (span.partial > 0) {
      for (const Cluster& cluster : fleet.clusters())
        total += ExposureFromSpan(fleet, cluster, span).partial_hosts;
    }
    return total;
  }
  SpanCache spans;
  for (size_t k = 0; k < fleet.clusters().size(); ++k) {
    const Cluster& cluster = fleet.clusters()[k];
    if (fractions[k] <= 0) continue;
    const BucketSpan& span = spans.For(cluster.cell_count, fractions[k], offset);
    total += fleet.HostsInBuckets(static_cast<int>(k), span.start, span.full) +
             ExposureFromSpan(fleet, cluster, span).partial_hosts;
  }
  return total;
}

double FractionForHosts(const Fleet& fleet, const Cluster& cluster, int64_t hosts, double offset) {
  if (hosts <= 0) return 0;
  if (hosts >= cluster.hosts) return 1.0;
  const int b = cluster.cell_count;
  const int start = StartBucket(cluster, offset);
  int64_t remaining = hosts;
  int full = 0;
  while (full < b) {
    const int64_t h = fleet.cells()[cluster.first_cell + (start + full) % b].hosts;
    if (remaining < h) {
      // A whole number of buckets plus `remaining` hosts of the next one. Nudge the partial share
      // up by half a host so the placement's floor() lands on `remaining` exactly.
      const double partial = (static_cast<double>(remaining) + 0.5) / static_cast<double>(h);
      return remaining == 0 ? static_cast<double>(full) / b
                            : (static_cast<double>(full) + partial) / b;
    }
    remaining -= h;
    ++full;
  }
  return 1.0;
}

ClusterFractions StepTargets(const Fleet& fleet, const RolloutStep& step, double offset) {
  const size_t n = fleet.clusters().size();
  if (step.hosts <= 0)
    return step.cluster_fractions.empty() ? ClusterFractions(n, step.fraction)
                                          : step.cluster_fractions;
  std::vector<double> targets =
      step.cluster_fractions.empty() ? std::vector<double>(n, 0.0) : step.cluster_fractions;
  int64_t remaining = step.hosts;
  const size_t first = std::min(n - 1, static_cast<size_t>(offset * static_cast<double>(n)));
  for (size_t i = 0; i < n && remaining > 0; ++i) {
    const Cluster& cluster = fleet.clusters()[(first + i) % n];
    const int64_t here = std::min(remaining, cluster.hosts);
    double& target = targets[(first + i) % n];
    target = std::max(target, FractionForHosts(fleet, cluster, here, offset));
    remaining -= here;
  }
  return targets;
}

int64_t ExposedHosts(const Fleet& fleet, double fraction, double offset) {
  if (fraction <= 0) return 0;
  return ExposedHosts(fleet, ClusterFractions(fleet.clusters().size(), fraction), offset);
}

}  // namespace fleetsim
