// Fleet: the immutable topology of a simulated fleet: regions -> clusters -> cells -> hosts, and
// the services that run on it.
//
// Every cluster is split into hash buckets; a cell is (cluster, bucket) and holds a known
// number of hosts. "5% of the fleet" means 5% of the buckets of every cluster in scope, so a
// cluster of H hosts has min(buckets, H) cells (tiny clusters get one host per cell). Hosts are
// numbered densely, cell by cell, so a host is always identifiable (host -> cell -> cluster ->
// region) without any per-host storage.
//
// Services (DESIGN §2, issue #20): a fleet may run many services, each placed on some of its
// clusters ("sites", the data centers of the spec). Then every site's hosts are split among the
// services placed there, and the engine's cluster is one service's part of one site (a
// "slice"): clusters() are the slices, in site order, each naming its site and service, with
// min(service buckets, hosts) cells of its own. A cell's hosts thus belong to one service, and
// a change of service S touches only S's cells. Without services the clusters are the sites.
//
// Built once from a FleetSpec (or as a Subset of another fleet: a change's target) and then
// shared read-only by every replica and thread.
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

// A service that runs on the fleet, and where.
struct FleetServiceSpec {
  std::string name;
  // Relative size: every site's hosts are split among the services placed there in proportion
  // to share / (sites the service is placed on), at least one host each.
  double share = 1;
  std::vector<std::string> regions;   // placement: these regions' sites (empty: every region)
  std::vector<std::string> clusters;  // and of those, these sites (empty: all of them)
  int buckets = 0;                    // cells per slice, at most (0: the fleet's buckets)
  double traffic_factor = 1;          // requests per host relative to the fleet's traffic
  double base_error_rate = -1;        // < 0: the scenario's signals.base_error_rate
};

struct FleetSpec {
  std::vector<RegionSpec> regions;
  int buckets = 100;                       // hash buckets per cluster (cells per cluster, at most)
  std::vector<FleetServiceSpec> services;  // empty: one service, the whole fleet
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
  std::string name;  // its site's name
  int region = 0;
  int64_t hosts = 0;
  int first_cell = 0;
  int cell_count = 0;  // min(buckets, hosts)
  int site = 0;        // index into sites(); == the cluster's own index without services
  int service = 0;     // index into services(); 0 without services
};

// A cluster of the spec (a data center): its services' slices are consecutive clusters.
struct Site {
  std::string name;
  int region = 0;
  int64_t hosts = 0;
  int first_cluster = 0;
  int cluster_count = 0;
};

struct Service {
  std::string name;
  int64_t hosts = 0;
  double traffic_factor = 1;
  double base_error_rate = -1;  // < 0: the scenario's
  std::vector<int> clusters;    // its slices, ascending
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
  // Validates the spec (at least one host, unique names, positive buckets; every service
  // placed somewhere with at least one host).
  static Result<Fleet> Build(const FleetSpec& spec);
  // The fleet of `fleet`'s clusters listed (ascending, at least one), each with its cells,
  // site and service as they are there: regions keep their order, and their traffic shares
  // are scaled by the share of their hosts kept (per-host loads keep their ratios).
  static Fleet Subset(const Fleet& fleet, const std::vector<int>& clusters);

  const std::vector<Region>& regions() const { return regions_; }
  const std::vector<Cluster>& clusters() const { return clusters_; }
  const std::vector<Site>& sites() const { return sites_; }
  const std::vector<Service>& services() const { return services_; }  // empty: one service
  int FindService(const std::string& name) const;                     // -1 when unknown
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
  // Region hosts and traffic shares (normalised), load weights and the bucket sums, once the
  // regions, clusters and cells are in place; `explicit_shares` < 0 entries: by hosts.
  Status Index(const std::vector<double>& explicit_shares);

  std::vector<Region> regions_;
  std::vector<Cluster> clusters_;
  std::vector<Site> sites_;
  std::vector<Service> services_;
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
