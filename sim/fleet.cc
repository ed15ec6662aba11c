#include "sim/fleet.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <set>

namespace fleetsim {
namespace {

bool Listed(const std::vector<std::string>& names, const std::string& name) {
  return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

// The hosts of one site split among the services placed there: one each, the rest in
// proportion to `weights` (largest remainder; ties to the earlier service).
std::vector<int64_t> SplitHosts(int64_t hosts, const std::vector<double>& weights) {
  const size_t n = weights.size();
  std::vector<int64_t> out(n, 1);
  const int64_t rest = hosts - static_cast<int64_t>(n);
  double total = 0;
  for (double w : weights) total += w;
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < n; ++i) {
    const double exact = static_cast<double>(rest) * weights[i] / total;
    const auto whole = static_cast<int64_t>(std::floor(exact));
    out[i] += whole;
    given += whole;
    remainders.emplace_back(-(exact - static_cast<double>(whole)), i);
  }
  std::sort(remainders.begin(), remainders.end());
  for (size_t k = 0; given < rest; ++k, ++given) ++out[remainders[k % n].second];
  return out;
}

}  // namespace

int Fleet::FindService(const std::string& name) const {
  for (size_t i = 0; i < services_.size(); ++i) {
    if (services_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Result<Fleet> Fleet::Build(const FleetSpec& spec) {
  if (spec.buckets < 1) return Status::Error("fleet: buckets must be at least 1");
  if (spec.regions.empty()) return Status::Error("fleet: at least one region is required");
  Fleet fleet;
  fleet.buckets_ = spec.buckets;
  std::set<std::string> names;
  bool any_explicit = false, all_explicit = true;
  for (const RegionSpec& r : spec.regions) {
    if (!names.insert(r.name).second)
      return Status::Error("fleet: duplicate region '" + r.name + "'");
    if (r.traffic_share >= 0) {
      any_explicit = true;
    } else {
      all_explicit = false;
    }
  }
  if (any_explicit && !all_explicit) {
    return Status::Error("fleet: give traffic_share for every region or for none");
  }
  // Where each service runs: the sites of its placement, and its weight at each of them.
  const size_t n_services = spec.services.size();
  std::vector<double> site_weight(n_services, 0.0);
  std::set<std::string> service_names;
  for (size_t s = 0; s < n_services; ++s) {
    const FleetServiceSpec& svc = spec.services[s];
    if (!service_names.insert(svc.name).second)
      return Status::Error("fleet: duplicate service '" + svc.name + "'");
    if (!(svc.share > 0))
      return Status::Error("fleet: service '" + svc.name + "' needs a share > 0");
    int placed = 0;
    for (const RegionSpec& r : spec.regions) {
      for (const ClusterSpec& c : r.clusters)
        placed += Listed(svc.regions, r.name) && Listed(svc.clusters, c.name) ? 1 : 0;
    }
    if (placed == 0)
      return Status::Error("fleet: service '" + svc.name + "' is placed on no cluster");
    site_weight[s] = svc.share / placed;
    fleet.services_.push_back(
        Service{svc.name, 0, svc.traffic_factor, svc.base_error_rate, std::vector<int>{}});
  }
  std::set<std::string> cluster_names;
  std::vector<double> shares;
  for (const RegionSpec& rs : spec.regions) {
    Region region;
    region.name = rs.name;
    region.utc_offset_hours = rs.utc_offset_hours;
    region.failure_history = rs.failure_history;
    region.first_cluster = static_cast<int>(fleet.clusters_.size());
    shares.push_back(rs.traffic_share);
    if (rs.clusters.empty())
      return Status::Error("fleet: region '" + rs.name + "' has no clusters");
    for (const ClusterSpec& cs : rs.clusters) {
      if (cs.hosts < 1)
        return Status::Error("fleet: cluster '" + cs.name + "' needs at least one host");
      if (!cluster_names.insert(cs.name).second) {
        return Status::Error("fleet: duplicate cluster '" + cs.name + "'");
      }
      Site site{cs.name, static_cast<int>(fleet.regions_.size()), cs.hosts,
                static_cast<int>(fleet.clusters_.size()), 0};
      // The slices of this site: one per service placed here (the whole site without services).
      std::vector<int> placed;
      std::vector<double> weights;
      for (size_t s = 0; s < n_services; ++s) {
        if (Listed(spec.services[s].regions, rs.name) &&
            Listed(spec.services[s].clusters, cs.name)) {
          placed.push_back(static_cast<int>(s));
          weights.push_back(site_weight[s]);
        }
      }
      if (n_services > 0 && placed.empty()) {
        return Status::Error("fleet: cluster '" + cs.name +
                             "' runs no service; expected it in some service's placement");
      }
      if (n_services > 0 && static_cast<int64_t>(placed.size()) > cs.hosts) {
        return Status::Error("fleet: cluster '" + cs.name + "' has " + std::to_string(cs.hosts) +
                             " hosts for " + std::to_string(placed.size()) +
                             " services; expected at least one host per service placed there");
      }
      const std::vector<int64_t> slice_hosts =
          n_services > 0 ? SplitHosts(cs.hosts, weights) : std::vector<int64_t>{cs.hosts};
      for (size_t i = 0; i < slice_hosts.size(); ++i) {
        const int service = n_services > 0 ? placed[i] : 0;
        const int buckets =
            n_services > 0 && spec.services[static_cast<size_t>(service)].buckets > 0
                ? spec.services[static_cast<size_t>(service)].buckets
                : spec.buckets;
        Cluster cluster;
        cluster.name = cs.name;
        cluster.region = site.region;
        cluster.hosts = slice_hosts[i];
        cluster.first_cell = static_cast<int>(fleet.cells_.size());
        cluster.cell_count = static_cast<int>(std::min<int64_t>(buckets, cluster.hosts));
        cluster.site = static_cast<int>(fleet.sites_.size());
        cluster.service = service;
        const int64_t base = cluster.hosts / cluster.cell_count;
        const int64_t extra = cluster.hosts % cluster.cell_count;
        for (int b = 0; b < cluster.cell_count; ++b) {
          Cell cell;
          cell.cluster = static_cast<int>(fleet.clusters_.size());
          cell.region = cluster.region;
          cell.bucket = b;
          cell.hosts = base + (b < extra ? 1 : 0);
          cell.first_host = fleet.total_hosts_;
          fleet.total_hosts_ += cell.hosts;
          fleet.cells_.push_back(cell);
        }
        if (n_services > 0) {
          Service& svc = fleet.services_[static_cast<size_t>(service)];
          svc.hosts += cluster.hosts;
          svc.clusters.push_back(static_cast<int>(fleet.clusters_.size()));
        }
        fleet.clusters_.push_back(cluster);
      }
      site.cluster_count = static_cast<int>(fleet.clusters_.size()) - site.first_cluster;
      fleet.sites_.push_back(site);
      region.hosts += cs.hosts;
    }
    region.cluster_count = static_cast<int>(fleet.clusters_.size()) - region.first_cluster;
    fleet.regions_.push_back(region);
  }
  for (const Service& svc : fleet.services_) {
    if (svc.hosts == 0) return Status::Error("fleet: service '" + svc.name + "' got no host");
  }
  if (Status st = fleet.Index(shares); !st.ok()) return st;
  return fleet;
}

Fleet Fleet::Subset(const Fleet& fleet, const std::vector<int>& clusters) {
  Fleet sub;
  sub.buckets_ = fleet.buckets_;
  sub.services_ = fleet.services_;
  for (Service& svc : sub.services_) {
    svc.hosts = 0;
    svc.clusters.clear();
  }
  std::vector<double> shares;
  int last_region = -1, last_site = -1;
  for (int k : clusters) {
    const Cluster& from = fleet.clusters_[static_cast<size_t>(k)];
    if (from.region != last_region) {
      const Region& r = fleet.regions_[static_cast<size_t>(from.region)];
      Region region;
      region.name = r.name;
      region.utc_offset_hours = r.utc_offset_hours;
      region.failure_history = r.failure_history;
      region.first_cluster = static_cast<int>(sub.clusters_.size());
      sub.regions_.push_back(region);
      shares.push_back(r.traffic_share);  // scaled below by the share of its hosts kept
      last_region = from.region;
    }
    if (from.site != last_site) {
      const Site& s = fleet.sites_[static_cast<size_t>(from.site)];
      sub.sites_.push_back(Site{s.name, static_cast<int>(sub.regions_.size()) - 1, 0,
                                static_cast<int>(sub.clusters_.size()), 0});
      last_site = from.site;
    }
    Cluster cluster = from;
    cluster.region = static_cast<int>(sub.regions_.size()) - 1;
    cluster.site = static_cast<int>(sub.sites_.size()) - 1;
    cluster.first_cell = static_cast<int>(sub.cells_.size());
    for (int j = 0; j < from.cell_count; ++j) {
      Cell cell = fleet.cells_[static_cast<size_t>(from.first_cell + j)];
      cell.cluster = static_cast<int>(sub.clusters_.size());
      cell.region = cluster.region;
      cell.first_host = sub.total_hosts_;
      sub.total_hosts_ += cell.hosts;
      sub.cells_.push_back(cell);
    }
    sub.regions_.back().hosts += cluster.hosts;
    ++sub.regions_.back().cluster_count;
    sub.sites_.back().hosts += cluster.hosts;
    ++sub.sites_.back().cluster_count;
    if (!sub.services_.empty()) {
      Service& svc = sub.services_[static_cast<size_t>(cluster.service)];
      svc.hosts += cluster.hosts;
      svc.clusters.push_back(static_cast<int>(sub.clusters_.size()));
    }
    sub.clusters_.push_back(cluster);
  }
  double share_sum = 0;
  for (size_t i = 0; i < sub.regions_.size(); ++i) {
    const Region& r =
        *std::find_if(fleet.regions_.begin(), fleet.regions_.end(),
                      [&](const Region& x) { return x.name == sub.regions_[i].name; });
    shares[i] *= static_cast<double>(sub.regions_[i].hosts) / static_cast<double>(r.hosts);
    share_sum += shares[i];
  }
  if (share_sum <= 0) shares.assign(shares.size(), -1.0);  // proportional to hosts
  [[maybe_unused]] const Status st = sub.Index(shares);
  assert(st.ok());
  return sub;
}

Status Fleet::Index(const std::vector<double>& explicit_shares) {
  const bool any_explicit = !explicit_shares.empty() && explicit_shares.front() >= 0;
  double explicit_share = 0;
  for (double s : explicit_shares) explicit_share += any_explicit ? s : 0.0;
  for (size_t i = 0; i < regions_.size(); ++i) {
    Region& region = regions_[i];
    const double host_share = static_cast<double>(region.hosts) / static_cast<double>(total_hosts_);
    if (any_explicit) {
      if (explicit_share <= 0) return Status::Error("fleet: traffic shares must not all be zero");
      region.traffic_share = explicit_shares[i] / explicit_share;
    } else {
      region.traffic_share = host_share;
    }
    region.load_weight = region.traffic_share / host_share;
  }
  hosts_before_bucket_.assign(cells_.size() + clusters_.size(), 0);
  common_cell_count_ = clusters_.front().cell_count;
  for (size_t k = 0; k < clusters_.size(); ++k) {
    const Cluster& cluster = clusters_[k];
    const size_t base = static_cast<size_t>(cluster.first_cell) + k;
    for (int j = 0; j < cluster.cell_count; ++j) {
      hosts_before_bucket_[base + j + 1] =
          hosts_before_bucket_[base + j] + cells_[cluster.first_cell + j].hosts;
    }
    if (cluster.cell_count != common_cell_count_) common_cell_count_ = 0;
  }
  if (const int b = common_cell_count_; b > 0) {
    bucket_hosts_prefix_.assign(static_cast<size_t>(b) + 1, 0);
    for (const Cluster& cluster : clusters_) {
      for (int j = 0; j < b; ++j)
        bucket_hosts_prefix_[j + 1] += cells_[cluster.first_cell + j].hosts;
    }
    for (int j = 0; j < b; ++j) bucket_hosts_prefix_[j + 1] += bucket_hosts_prefix_[j];
  }
  return Status::Ok();
}

HostLocation Fleet::Locate(int64_t host) const {
  auto it = std::upper_bound(cells_.begin(), cells_.end(), host,
                             [](int64_t h, const Cell& c) { return h < c.first_host; });
  const int cell = static_cast<int>(it - cells_.begin()) - 1;
  return HostLocation{cell, cells_[cell].cluster, cells_[cell].region};
}

}  // namespace fleetsim
