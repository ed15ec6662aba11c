// DeployActuator: how fast a change moves onto (or off) hosts, and where it lands.
//
// A change's exposure is, for every cluster, the fraction of that cluster's hosts running it.
// A move takes every cluster linearly from its current fraction to a target in the time the
// deploy system needs (host_updates.h: throughput, or waves of concurrent updates), and a
// rollback takes them all back to 0 at `rollback_hosts_per_minute` (or at once). ExposureMotion
// (exposure_motion.h) records one such move, so the engine can ask for the exact exposure at any
// instant and schedule the exact arrival time without per-host events. Uniform targets ("5% of
// the fleet") are the special case where every cluster has the same fraction; rings and regional
// validation target some clusters only.
//
// Placement: a fraction f of a cluster with B cells is the ring interval of f x B buckets that
// starts at bucket floor(offset x B); whole buckets are fully updated and the boundary bucket is
// updated in host order, so within a cell the hosts running a change are always a prefix. That
// makes the hosts of a cell that share the same changes contiguous ("cohorts").
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/cluster_fractions.h"
#include "sim/deploy_spec.h"
#include "sim/exposure_motion.h"
#include "sim/fleet.h"
#include "sim/rollout_policy.h"
#include "sim/sim_time.h"

namespace fleetsim {

// Time to move |to - from| of `scope_hosts` hosts at `hosts_per_minute`, rounded up to a ms.
SimTime MoveDuration(double from, double to, int64_t scope_hosts, int64_t hosts_per_minute);

// Time to move every cluster of `fleet` from `from` to `to` (hosts moved summed over clusters).
SimTime MoveDuration(const Fleet& fleet, const ClusterFractions& from, const ClusterFractions& to,
                     int64_t hosts_per_minute);

// Where a change at `fraction` with placement `offset` runs inside one cluster: `full` whole
// cells starting at bucket `start` (wrapping around), then `partial_hosts` hosts (a prefix) of
// cell `partial_cell` (-1 when none).
struct ClusterExposure {
  int start = 0;
  int full = 0;
  int partial_cell = -1;
  int64_t partial_hosts = 0;
};

// First of `b` buckets of a change with placement `offset` (robust to 0.3 x 10 = 2.9999...).
inline int StartBucket(int b, double offset) {
  const double start = offset * b;
  const double start_rounded = std::round(start);
  return static_cast<int>(std::abs(start - start_rounded) < 1e-9 ? start_rounded
                                                                 : std::floor(start)) %
         b;
}
inline int StartBucket(const Cluster& cluster, double offset) {
  return StartBucket(cluster.cell_count, offset);
}

// Where a change at `fraction` with placement `offset` runs among `buckets` buckets: `full`
// whole buckets from bucket `start` (wrapping), then a share `partial` of the next bucket. The
// same for every cluster with that many buckets, so callers compute it once per fraction.
struct BucketSpan {
  int start = 0;
  int full = 0;
  double partial = 0;
};

inline BucketSpan SpanInBuckets(int buckets, double fraction, double offset) {
  BucketSpan span;
  const int b = buckets;
  if (fraction <= 0) return span;
  if (fraction >= 1.0) {
    span.full = b;
    return span;
  }
  const double length = fraction * b;
  // Guard against 0.05 * 100 = 5.000000000000001 style noise.
  const double rounded = std::round(length);
  const double len = std::abs(length - rounded) < 1e-9 ? rounded : length;
  span.full = static_cast<int>(std::floor(len));
  span.start = StartBucket(b, offset);
  if (span.full < b) span.partial = len - span.full;
  return span;
}

// SpanInBuckets for cluster after cluster: computed again only when the fraction or the bucket
// count differs from the previous call's (uniform targets cost one computation per move).
class SpanCache {
 public:
  const BucketSpan& For(int buckets, double fraction, double offset) {
    if (fraction != fraction_ || buckets != buckets_) {
      span_ = SpanInBuckets(buckets, fraction, offset);
      fraction_ = fraction;
      buckets_ = buckets;
    }
    return span_;
  }

 private:
  BucketSpan span_;
  double fraction_ = -1;
  int buckets_ = 0;
};

// The span placed in one cluster (its bucket count must be the span's).
inline ClusterExposure ExposureFromSpan(const Fleet& fleet, const Cluster& cluster,
                                        const BucketSpan& span) {
  ClusterExposure e;
  e.start = span.start;
  e.full = span.full;
  if (span.partial > 0) {
    const int cell = cluster.first_cell + (span.start + span.full) % cluster.cell_count;
    e.partial_hosts = static_cast<int64_t>(
        std::floor(span.partial * static_cast<double>(fleet.cells()[cell].hosts) + 1e-9));
    if (e.partial_hosts > 0) e.partial_cell = cell;
  }
  return e;
}

inline ClusterExposure ExposureInCluster(const Fleet& fleet, const Cluster& cluster,
                                         double fraction, double offset) {
  return ExposureFromSpan(fleet, cluster, SpanInBuckets(cluster.cell_count, fraction, offset));
}

// Calls fn(cell_index, exposed_hosts) for every cell with at least one host running a change
// at `fraction` with placement `offset` (both in [0, 1]). Cost O(clusters + exposed cells).
template <typename Fn>
void ForEachExposedCell(const Fleet& fleet, double fraction, double offset, Fn&& fn) {
  if (fraction <= 0) return;
  for (const Cluster& cluster : fleet.clusters()) {
    const ClusterExposure e = ExposureInCluster(fleet, cluster, fraction, offset);
    for (int k = 0; k < e.full; ++k) {
      const int cell = cluster.first_cell + (e.start + k) % cluster.cell_count;
      fn(cell, fleet.cells()[cell].hosts);
    }
    if (e.partial_cell >= 0) fn(e.partial_cell, e.partial_hosts);
  }
}

// The fraction of `cluster` that puts exactly `hosts` hosts (clamped to the cluster) under a
// change with placement `offset`: ExposureInCluster(fleet, cluster, result, offset) covers them.
double FractionForHosts(const Fleet& fleet, const Cluster& cluster, int64_t hosts, double offset);

// Per-cluster targets of `step` for a change with placement `offset`. A `hosts: N` step puts
// its N hosts into the cluster the offset selects, spilling into the following clusters.
ClusterFractions StepTargets(const Fleet& fleet, const RolloutStep& step, double offset);

// Hosts running a change at `fraction` (placement does not change the count). O(clusters).
int64_t ExposedHosts(const Fleet& fleet, double fraction, double offset);

// Hosts running a change with per-cluster `fractions`. O(clusters) (uniform fractions: O(1)
// plus each cluster's boundary cell while the span splits one).
int64_t ExposedHosts(const Fleet& fleet, const ClusterFractions& fractions, double offset);

}  // namespace fleetsim
