// Fleet: the immutable topology of one simulated service: regions -> clusters -> cells -> hosts.
//
// Every cluster is split into hash buckets; a cell is (cluster, bucket) and holds a known
// number of hosts. "5% of the fleet" means 5% of the buckets of every cluster in scope, so a
// cluster of H hosts has min(buckets, H) cells (tiny clusters get one host per cell). Hosts are
// numbered densely, cell by cell, so a host is always identifiable (host -> cell -> cluster ->
// region) without any per-host storage.
//
// Built once from a FleetSpec and then shared read-only by every replica and thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/status.h"

namespace fleetsim {

struct ClusterSpec {
  std::string name;
  int64_t hosts = 0;
};

struct RegionSpec {
  std::string name;
  double utc_offset_hours = 0;  // local time = UTC + offset; drives the diurnal curve
  double traffic_share = -1;    // share of all traffic; < 0 means "proportional to hosts"
  std::vector<ClusterSpec> clusters;
  int64_t failure_history = 0;  // incidents before the run (rcv's lowest_failure_history)
};

struct FleetSpec {
  std::vector<RegionSpec> regions;
  int buckets = 100;  // hash buckets per cluster (cells per cluster, at most)
};

struct Region {
  std::string name;
  double utc_offset_hours = 0;
  double traffic_share = 0;     // normalised: the shares of all regions sum to 1
  double load_weight = 1;       // per-host load relative to the fleet average
  int64_t failure_history = 0;  // incidents before the run
  int64_t hosts = 0;
  int first_cluster = 0;
  int cluster_count = 0;
};

struct Cluster {
  std::string name;
  int region = 0;
  int64_t hosts = 0;
  int first_cell = 0;
  int cell_count = 0;  // min(buckets, hosts)
};

struct Cell {
  int cluster = 0;
  int region = 0;
  int bucket = 0;
  int64_t hosts = 0;
  int64_t first_host = 0;
};

struct HostLocation {
  int cell = 0;
  int cluster = 0;
  int region = 0;
};

class Fleet {
 public:
  // Validates the spec (at least one host, unique names, positive buckets).
  static Result<Fleet> Build(const FleetSpec& spec);

  const std::vector<Region>& regions() const { return regions_; }
  const std::vector<Cluster>& clusters() const { return clusters_; }
  const std::vector<Cell>& cells() const { return cells_; }
  int64_t total_hosts() const { return total_hosts_; }
  int buckets() const { return buckets_; }

  HostLocation Locate(int64_t host) const;  // host in [0, total_hosts)

  // Hosts of `cluster` in buckets [0, bucket), bucket in [0, cell_count]: O(1).
  int64_t HostsBeforeBucket(int cluster, int bucket) const {
    return hosts_before_bucket_[static_cast<size_t>(clusters_[cluster].first_cell + cluster +
                                                    bucket)];
  }
  // Hosts of the ring interval of `length` buckets of `cluster` starting at bucket `start`
  // (wrapping past the last bucket); length in [0, cell_count]. O(1).
  int64_t HostsInBuckets(int cluster, int start, int length) const {
    const int b = clusters_[cluster].cell_count;
    if (start + length <= b)
      return HostsBeforeBucket(cluster, start + length) - HostsBeforeBucket(cluster, start);
    return clusters_[cluster].hosts - HostsBeforeBucket(cluster, start) +
           HostsBeforeBucket(cluster, start + length - b);
  }
  // The bucket count every cluster shares (then bucket j is "the same place" in every cluster,
  // and bucket-major sums apply), or 0 when the clusters differ (some have fewer hosts than
  // buckets).
  int common_cell_count() const { return common_cell_count_; }
  // With a common bucket count: hosts of buckets [start, start + length) (wrapping) summed over
  // every cluster. O(1).
  int64_t HostsInBucketsOfEveryCluster(int start, int length) const {
    const int b = common_cell_count_;
    if (start + length <= b)
      return bucket_hosts_prefix_[start + length] - bucket_hosts_prefix_[start];
    return total_hosts_ - bucket_hosts_prefix_[start] + bucket_hosts_prefix_[start + length - b];
  }

 private:
  std::vector<Region> regions_;
  std::vector<Cluster> clusters_;
  std::vector<Cell> cells_;
  int64_t total_hosts_ = 0;
  int buckets_ = 100;
  // Per cluster k, at first_cell + k + j: hosts in buckets [0, j) (cell_count + 1 entries).
  std::vector<int64_t> hosts_before_bucket_;
  int common_cell_count_ = 0;
  std::vector<int64_t>
      bucket_hosts_prefix_;  // with a common bucket count: hosts in buckets [0, j) of all clusters
};

}  // namespace fleetsim
