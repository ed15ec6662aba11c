// Parsing of scenario YAML into Scenario (see sim/scenario.h for the schema in prose, and
// scenarios/examples/*.yaml for complete examples).
#include "loader/scenario_loader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "loader/change_yaml.h"
#include "loader/deploy_yaml.h"
#include "loader/fault_yaml.h"
#include "loader/outage_yaml.h"
#include "loader/response_yaml.h"
#include "loader/service_yaml.h"

namespace fleetsim {
namespace {

std::string RegionClusterName(const std::string& region, int index) {
  return region + "-c" + std::to_string(index + 1);
}

// Size limits of a fleet (far above the Meta-scale example's 4 M hosts, 200 clusters and 20,000
// cells), checked before anything of that size is allocated. The engine's cost grows with cells,
// not hosts; host counts are bounded so that host x request products stay far inside int64.
constexpr int64_t kMaxHosts = 10'000'000'000;  // 1e10
constexpr int64_t kMaxClusters = 100'000;
constexpr int64_t kMaxCells = 5'000'000;

FleetSpec ParseFleet(const ConfigNode& node) {
  YamlMap m(node, "fleet");
  FleetSpec spec;
  spec.buckets = static_cast<int>(m.IntIn("buckets", 100, 1, 100000));
  const int64_t fleet_hosts = m.IntIn("hosts", 0, 0, kMaxHosts);
  const int64_t default_clusters = m.IntIn("clusters_per_region", 1, 1, kMaxClusters);
  ConfigNode regions_node = m.Required("regions");
  std::vector<ConfigNode> regions = regions_node.AsSequence("fleet.regions");
  if (regions.empty()) regions_node.Fail("fleet.regions: expected at least one region");

  struct Pending {
    RegionSpec spec;
    int64_t hosts = -1;    // explicit region hosts, or -1
    int64_t clusters = 0;  // cluster count when generated
    ConfigNode where;
  };
  std::vector<Pending> pending;
  for (const ConfigNode& rn : regions) {
    YamlMap r(rn, "fleet.regions[]");
    Pending p;
    p.where = rn;
    p.spec.name = r.RequiredString("name");
    p.spec.utc_offset_hours = r.Double("utc_offset", 0);
    r.RequireRange("utc_offset", p.spec.utc_offset_hours, -12, 14);
    p.spec.traffic_share = r.Has("traffic_share") ? r.Double("traffic_share", 0) : -1;
    p.spec.failure_history = r.IntIn("failure_history", 0, 0, 1'000'000'000);
    if (p.spec.traffic_share != -1) r.RequireRange("traffic_share", p.spec.traffic_share, 0, 1);
    p.hosts = r.Has("hosts") ? r.IntIn("hosts", 0, 1, kMaxHosts) : -1;
    if (auto clusters = r.Optional("clusters")) {
      if (clusters->IsSequence()) {
        for (const ConfigNode& cn : clusters->AsSequence("clusters")) {
          YamlMap c(cn, "fleet.regions[].clusters[]");
          ClusterSpec cs;
          cs.name = c.RequiredString("name");
          c.Required("hosts");
          cs.hosts = c.IntIn("hosts", 0, 1, kMaxHosts);
          c.Finish();
          p.spec.clusters.push_back(cs);
        }
      } else {
        p.clusters = r.IntIn("clusters", 1, 1, kMaxClusters);
      }
    } else {
      p.clusters = default_clusters;
    }
    r.Finish();
    pending.push_back(std::move(p));
  }
  // Distribute fleet.hosts over regions that did not state hosts: by traffic share if given,
  // else evenly. Remainders go to the first regions so the total is exact.
  std::vector<size_t> implicit;
  int64_t explicit_hosts = 0;
  for (size_t i = 0; i < pending.size(); ++i) {
    if (!pending[i].spec.clusters.empty()) {
      int64_t sum = 0;
      for (const ClusterSpec& c : pending[i].spec.clusters) sum += c.hosts;
      pending[i].hosts = sum;
    }
    if (pending[i].hosts >= 0)
      explicit_hosts += pending[i].hosts;
    else
      implicit.push_back(i);
  }
  if (!implicit.empty()) {
    if (fleet_hosts <= explicit_hosts) {
      pending[implicit[0]].where.Fail(
          "fleet: region '" + pending[implicit[0]].spec.name +
          "' states no hosts; expected fleet.hosts larger than the hosts of explicit regions");
    }
    const int64_t to_split = fleet_hosts - explicit_hosts;
    double weight_sum = 0;
    for (size_t i : implicit)
      weight_sum += pending[i].spec.traffic_share > 0 ? pending[i].spec.traffic_share : 1.0;
    int64_t assigned = 0;
    for (size_t i : implicit) {
      const double w = pending[i].spec.traffic_share > 0 ? pending[i].spec.traffic_share : 1.0;
      pending[i].hosts =
          static_cast<int64_t>(std::floor(static_cast<double>(to_split) * w / weight_sum));
      assigned += pending[i].hosts;
    }
    for (size_t k = 0; assigned < to_split; k = (k + 1) % implicit.size(), ++assigned) {
      ++pending[implicit[k]].hosts;
    }
  } else if (fleet_hosts > 0 && fleet_hosts != explicit_hosts) {
    node.Fail("fleet.hosts is " + std::to_string(fleet_hosts) + " but the regions add up to " +
              std::to_string(explicit_hosts) + "; expected them to agree (or omit fleet.hosts)");
  }
  // Totals, before any cluster is generated.
  int64_t total_hosts = 0, total_clusters = 0, total_cells = 0;
  const int64_t buckets = spec.buckets;
  for (const Pending& p : pending) {
    total_hosts += p.hosts;
    if (p.spec.clusters.empty()) {
      const int64_t base = p.hosts / p.clusters, extra = p.hosts % p.clusters;
      total_clusters += p.clusters;
      total_cells +=
          extra * std::min(buckets, base + 1) + (p.clusters - extra) * std::min(buckets, base);
    } else {
      total_clusters += static_cast<int64_t>(p.spec.clusters.size());
      for (const ClusterSpec& c : p.spec.clusters) total_cells += std::min(buckets, c.hosts);
    }
  }
  if (total_hosts > kMaxHosts) {
    node.Fail("fleet: " + std::to_string(total_hosts) + " hosts; expected at most " +
              std::to_string(kMaxHosts));
  }
  if (total_clusters > kMaxClusters) {
    node.Fail("fleet: " + std::to_string(total_clusters) + " clusters; expected at most " +
              std::to_string(kMaxClusters));
  }
  if (total_cells > kMaxCells) {
    node.Fail("fleet: " + std::to_string(total_cells) +
              " cells (clusters x min(buckets, hosts)); expected at most " +
              std::to_string(kMaxCells) + " (fewer clusters or buckets)");
  }
  for (Pending& p : pending) {
    if (p.spec.clusters.empty()) {
      if (p.hosts < p.clusters) {
        p.where.Fail("fleet: region '" + p.spec.name + "' has fewer hosts (" +
                     std::to_string(p.hosts) + ") than clusters (" + std::to_string(p.clusters) +
                     ")");
      }
      const int64_t base = p.hosts / p.clusters, extra = p.hosts % p.clusters;
      for (int64_t c = 0; c < p.clusters; ++c) {
        p.spec.clusters.push_back(ClusterSpec{RegionClusterName(p.spec.name, static_cast<int>(c)),
                                              base + (c < extra ? 1 : 0)});
      }
    }
    spec.regions.push_back(p.spec);
  }
  m.Finish();
  return spec;
}

TrafficSpec ParseTraffic(const ConfigNode& node) {
  YamlMap m(node, "traffic");
  TrafficSpec t;
  t.requests_per_host_per_minute =
      m.DoubleIn("requests_per_host_per_minute", t.requests_per_host_per_minute, 0, 1e9);
  t.diurnal_amplitude = m.DoubleIn("diurnal_amplitude", t.diurnal_amplitude, 0, 0.99);
  t.peak_hour = m.DoubleIn("peak_hour", t.peak_hour, 0, 24);
  t.weekend_factor = m.DoubleIn("weekend_factor", t.weekend_factor, 0, 10);
  const std::string weekday = m.String("start_weekday", "monday");
  static const char* kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                "friday", "saturday", "sunday"};
  t.start_weekday = -1;
  for (int d = 0; d < 7; ++d) {
    if (weekday == kDays[d]) t.start_weekday = d;
  }
  if (t.start_weekday < 0) {
    m.Required("start_weekday")
        .Fail("traffic.start_weekday: expected a weekday name (monday..sunday), got '" + weekday +
              "'");
  }
  m.Finish();
  return t;
}

SignalSpec ParseSignals(const ConfigNode& node) {
  YamlMap m(node, "signals");
  SignalSpec s;
  s.base_error_rate = m.Fraction("base_error_rate", s.base_error_rate);
  s.cell_heterogeneity = m.DoubleIn("cell_heterogeneity", s.cell_heterogeneity, 0, 3);
  s.overdispersion = m.DoubleIn("overdispersion", s.overdispersion, 0, 10);
  s.latency_p99_ms = m.DoubleIn("latency_p99_ms", s.latency_p99_ms, 0, 1e7);
  s.latency_heterogeneity = m.DoubleIn("latency_heterogeneity", s.latency_heterogeneity, 0, 3);
  s.latency_noise = m.DoubleIn("latency_noise", s.latency_noise, 0, 3);
  s.other_status_share = m.Fraction("other_status_share", s.other_status_share);
  const std::string sampling = m.String("sampling", "auto");
  if (sampling == "per_cell")
    s.allow_aggregation = false;
  else if (sampling != "auto")
    m.Required("sampling")
        .Fail("signals.sampling: expected auto or per_cell, got '" + sampling + "'");
  const std::string requests = m.String("requests", "poisson");
  if (requests == "poisson")
    s.poisson_requests = true;
  else if (requests == "expected")
    s.poisson_requests = false;
  else
    m.Required("requests")
        .Fail("signals.requests: expected 'poisson' or 'expected', got '" + requests + "'");
  m.Finish();
  return s;
}

// Request counters are int64: the run's requests (hosts x rate x minutes, times at most ~20 for
// diurnal peaks, weekdays and load shed onto survivors) must stay far inside them.
void CheckRequestVolume(const Scenario& s, const ConfigNode& where) {
  double hosts = 0;
  for (const RegionSpec& r : s.fleet_spec.regions) {
    for (const ClusterSpec& c : r.clusters) hosts += static_cast<double>(c.hosts);
  }
  const double requests = hosts * s.traffic.requests_per_host_per_minute * s.duration.minutes();
  if (requests > 1e17) {
    std::ostringstream msg;
    msg << "traffic: " << hosts << " hosts x " << s.traffic.requests_per_host_per_minute
        << " requests per host per minute over " << FormatDuration(s.duration) << " is " << requests
        << " requests; expected at most 1e17 (fewer hosts, a lower rate or a shorter "
        << "duration)";
    where.Fail(msg.str());
  }
}

void ParseScenarioInto(const ConfigNode& root, std::shared_ptr<const std::string> file,
                       Scenario& s) {
  YamlMap m(root, "scenario");
  s.name = m.RequiredString("name");
  s.description = m.String("description", "");
  s.duration = m.Duration("duration", s.duration);
  if (s.duration <= SimTime::Zero())
    m.Required("duration").Fail("duration: expected a positive duration");
  s.tick = m.Duration("tick", s.tick);
  if (s.tick <= SimTime::Zero()) m.Required("tick").Fail("tick: expected a positive duration");
  const int64_t seed = m.Int("seed", 1);
  m.RequireAtLeast("seed", static_cast<double>(seed), 0);
  s.seed = static_cast<uint64_t>(seed);
  s.replicas = static_cast<int>(m.IntIn("replicas", 1, 1, 10'000'000));
  s.fleet_spec = ParseFleet(m.Required("fleet"));
  if (auto n = m.Optional("signals")) s.signals = ParseSignals(*n);  // (a generator reads it)
  if (auto n = m.Optional("services")) ParseServicesBlock(*n, s);
  if (auto n = m.Optional("traffic")) s.traffic = ParseTraffic(*n);
  CheckRequestVolume(s, m.Optional("traffic").value_or(m.Required("fleet")));
  if (auto n = m.Optional("deploy")) s.deploy = ParseDeployBlock(*n, "deploy").Apply(DeploySpec{});
  std::vector<FaultReferenceNodes> fault_refs;
  if (auto n = m.Optional("faults")) s.faults = ParseFaults(*n, s.fleet_spec, fault_refs);
  if (auto n = m.Optional("changes"))
    s.changes = ParseChanges(*n, s.faults, s.duration, s.fleet_spec, s);
  if (auto n = m.Optional("humans")) s.humans = ParseHumans(*n);
  if (auto n = m.Optional("outage")) s.outage = ParseOutageBlock(*n, s.changes);
  if (auto n = m.Optional("infrastructure"))
    s.infrastructure = ParseInfrastructure(*n, s.fleet_spec);
  if (auto n = m.Optional("automation")) s.automation = ParseAutomation(*n);
  if (auto n = m.Optional("severity")) s.severity = ParseSeverity(*n);
  CheckFaultReferences(fault_refs, s.faults, s.changes, s.services, !s.fleet_spec.services.empty());
  if (auto n = m.Optional("policy")) {
    s.policy.where = n->Where();
    if (n->IsMap()) {
      s.policy.inline_node = std::make_shared<const InlinePolicyNode>(
          InlinePolicyNode{ConfigNode{n->node, file.get()}, file});
    } else {
      std::string p = n->AsString("policy");
      std::filesystem::path resolved = std::filesystem::path(*file).parent_path() / p;
      s.policy.path = resolved.lexically_normal().string();
    }
  }
  m.Finish();
  Status st = FinalizeScenario(s);
  if (!st.ok()) m.Required("fleet").Fail(st.message());
}

}  // namespace

Result<Scenario> ParseScenario(const std::string& yaml_text, const std::string& file) {
  auto file_name = std::make_shared<const std::string>(file);
  Scenario s;
  s.file = file;
  Status st = CatchConfigErrors([&] {
    ConfigNode root = ParseYamlText(yaml_text, file_name.get());
    ParseScenarioInto(root, file_name, s);
  });
  if (!st.ok()) return st;
  return s;
}

Result<Scenario> LoadScenario(const std::string& path) {
  Result<std::string> text = ReadYamlFile(path);
  if (!text.ok()) return text.status();
  return ParseScenario(text.value(), path);
}

}  // namespace fleetsim
