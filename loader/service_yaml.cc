// Parsing of the `services:` block (see loader/service_yaml.h).
#include "loader/service_yaml.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "sim/random_stream.h"

namespace fleetsim {
namespace {

constexpr int64_t kMaxServices = 100'000;

std::vector<std::string> SiteNames(const FleetSpec& fleet) {
  std::vector<std::string> out;
  for (const RegionSpec& r : fleet.regions) {
    for (const ClusterSpec& c : r.clusters) out.push_back(c.name);
  }
  return out;
}

std::vector<std::string> RegionNames(const FleetSpec& fleet) {
  std::vector<std::string> out;
  for (const RegionSpec& r : fleet.regions) out.push_back(r.name);
  return out;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 12; ++i) out += (i ? ", " : "") + names[i];
  return names.size() > 12 ? out + ", ..." : out;
}

std::vector<std::string> ReadNames(const ConfigNode& node, const std::vector<std::string>& known,
                                   const std::string& what) {
  std::vector<std::string> out;
  for (const ConfigNode& n : node.AsSequence(what)) {
    std::string name = n.AsString(what + "[]");
    if (std::find(known.begin(), known.end(), name) == known.end())
      n.Fail(what + ": unknown name '" + name + "'; expected one of " + Join(known));
    out.push_back(std::move(name));
  }
  if (out.empty()) node.Fail(what + ": expected at least one name (or omit the key)");
  return out;
}

std::vector<ServiceDependency> ReadDependencies(const ConfigNode& node) {
  std::vector<ServiceDependency> out;
  for (const ConfigNode& dn : node.AsSequence("services[].depends_on")) {
    YamlMap d(dn, "services[].depends_on[]");
    ServiceDependency dep;
    dep.service = d.RequiredString("service");
    dep.weight = d.DoubleIn("weight", 1.0, 0, 1);
    d.Finish();
    out.push_back(dep);
  }
  return out;
}

// The list form.
void ParseServiceList(const ConfigNode& node, Scenario& s) {
  const std::vector<std::string> sites = SiteNames(s.fleet_spec);
  const std::vector<std::string> regions = RegionNames(s.fleet_spec);
  std::vector<double> change_shares;
  for (const ConfigNode& sn : node.AsSequence("services")) {
    YamlMap m(sn, "services[]");
    ServiceSpec graph;
    graph.name = m.RequiredString("name");
    if (auto deps = m.Optional("depends_on")) graph.depends_on = ReadDependencies(*deps);
    const bool member = m.Has("share") || m.Has("regions") || m.Has("clusters");
    if (member) {
      FleetServiceSpec f;
      f.name = graph.name;
      f.share = m.DoubleIn("share", 1.0, 1e-12, 1e12);
      if (auto r = m.Optional("regions")) f.regions = ReadNames(*r, regions, "services[].regions");
      if (auto c = m.Optional("clusters")) f.clusters = ReadNames(*c, sites, "services[].clusters");
      f.buckets = m.Has("buckets") ? static_cast<int>(m.IntIn("buckets", 1, 1, 100000)) : 0;
      f.traffic_factor = m.DoubleIn("traffic_factor", 1.0, 0, 1e6);
      f.base_error_rate = m.Has("base_error_rate") ? m.Fraction("base_error_rate", 0) : -1;
      change_shares.push_back(m.DoubleIn("change_share", f.share, 0, 1e12));
      s.fleet_spec.services.push_back(std::move(f));
    } else {
      for (const char* key : {"buckets", "traffic_factor", "base_error_rate", "change_share"}) {
        if (m.Has(key))
          m.Required(key).Fail(std::string("services[].") + key +
                               ": only for a service that runs on the fleet; give it share:, "
                               "regions: or clusters: too");
      }
    }
    m.Finish();
    s.services.services.push_back(graph);
  }
  if (s.services.services.empty())
    node.Fail("services: expected at least one service (the first is the fleet's own)");
  s.service_change_shares = change_shares;
}

// "zipf(1.1)" -> 1.1; "equal" -> 0.
double ReadRankExponent(const ConfigNode& node, const std::string& what) {
  const std::string text = node.AsString(what);
  if (text == "equal") return 0;
  double exponent = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "zipf(%lf)%c", &exponent, &tail) == 2 && tail == 0) {
  } else if (std::sscanf(text.c_str(), "zipf(%lf%c", &exponent, &tail) != 2 || tail != ')' ||
             text.back() != ')') {
    node.Fail(what + ": expected zipf(S) with S in [0, 5] or equal, got '" + text + "'");
  }
  if (!(exponent >= 0 && exponent <= 5))
    node.Fail(what + ": expected zipf(S) with S in [0, 5], got '" + text + "'");
  return exponent;
}

double MeanOneLognormal(RandomStream& rng, double sigma) {
  if (sigma <= 0) return 1.0;
  // Box-Muller from two uniforms of the stream (portable; no std:: distribution).
  const double u1 = 1.0 - rng.NextUnit(), u2 = rng.NextUnit();
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  return std::exp(sigma * z - 0.5 * sigma * sigma);
}

struct Generator {
  int64_t count = 0;
  uint64_t seed = 1;
  double size_exponent = 1;
  std::string change_share = "size";
  double change_exponent = 0;
  double spread = 0.5;
  int64_t clusters_per_region = 1;  // 0: all
  int buckets = 10;
  int64_t per_service = 0;
  double weight = 0.2;
  double base_error_rate = -1;
  double error_rate_spread = 0;
  double traffic_spread = 0;
};

Generator ReadGenerator(const ConfigNode& node) {
  YamlMap m(node, "services");
  Generator g;
  m.Required("count");
  g.count = m.IntIn("count", 1, 1, kMaxServices);
  g.seed = static_cast<uint64_t>(m.IntIn("seed", 1, 0, int64_t{1} << 62));
  if (auto size = m.Optional("size")) g.size_exponent = ReadRankExponent(*size, "services.size");
  if (auto cs = m.Optional("change_share")) {
    if (cs->IsScalar() && cs->AsString("services.change_share") == "size") {
      g.change_share = "size";
    } else {
      g.change_share = "zipf";
      g.change_exponent = ReadRankExponent(*cs, "services.change_share");
    }
  }
  if (auto p = m.Optional("placement")) {
    YamlMap pm(*p, "services.placement");
    g.spread = pm.DoubleIn("spread", g.spread, 0, 10);
    if (auto c = pm.Optional("clusters_per_region")) {
      if (c->IsScalar() && c->AsString("services.placement.clusters_per_region") == "all")
        g.clusters_per_region = 0;
      else
        g.clusters_per_region = pm.IntIn("clusters_per_region", 1, 1, 100000);
    }
    pm.Finish();
  }
  g.buckets = static_cast<int>(m.IntIn("buckets", g.buckets, 1, 100000));
  if (auto d = m.Optional("dependencies")) {
    YamlMap dm(*d, "services.dependencies");
    g.per_service = dm.IntIn("per_service", 1, 0, 100);
    g.weight = dm.DoubleIn("weight", g.weight, 0, 1);
    dm.Finish();
  }
  if (m.Has("base_error_rate")) g.base_error_rate = m.Fraction("base_error_rate", 0);
  g.error_rate_spread = m.DoubleIn("error_rate_spread", 0, 0, 3);
  g.traffic_spread = m.DoubleIn("traffic_spread", 0, 0, 3);
  m.Finish();
  return g;
}

// The mapping form: count services placed, sized and linked as the header says.
void GenerateServices(const ConfigNode& node, Scenario& s) {
  const Generator g = ReadGenerator(node);
  const FleetSpec& fleet = s.fleet_spec;
  const auto n_regions = static_cast<int64_t>(fleet.regions.size());
  const int width = std::max<int>(4, static_cast<int>(std::to_string(g.count).size()));
  std::vector<double> change_shares;
  std::vector<int64_t> change_rank(static_cast<size_t>(g.count));
  std::iota(change_rank.begin(), change_rank.end(), 0);
  {
    // A random ranking for change_share: zipf(s) (Fisher-Yates on the generator's stream).
    RandomStream rng(StreamKey::ServiceLayout(g.seed, static_cast<uint64_t>(g.count)));
    for (int64_t i = g.count - 1; i > 0; --i) {
      const auto j = static_cast<int64_t>(rng.NextUnit() * static_cast<double>(i + 1));
      std::swap(change_rank[static_cast<size_t>(i)],
                change_rank[static_cast<size_t>(std::min(j, i))]);
    }
  }
  std::vector<int> covered_sites;
  for (const RegionSpec& r : fleet.regions)
    covered_sites.resize(covered_sites.size() + r.clusters.size(), 0);
  for (int64_t i = 0; i < g.count; ++i) {
    RandomStream rng(StreamKey::ServiceLayout(g.seed, static_cast<uint64_t>(i)));
    std::string name = std::to_string(i + 1);
    name = "svc-" +
           std::string(static_cast<size_t>(width) - std::min<size_t>(width, name.size()), '0') +
           name;
    FleetServiceSpec f;
    f.name = name;
    f.share = std::pow(static_cast<double>(i + 1), -g.size_exponent);
    f.buckets = g.buckets;
    f.base_error_rate = g.base_error_rate >= 0 || g.error_rate_spread > 0
                            ? std::min(1.0, (g.base_error_rate >= 0 ? g.base_error_rate
                                                                    : s.signals.base_error_rate) *
                                                MeanOneLognormal(rng, g.error_rate_spread))
                            : -1;
    f.traffic_factor = MeanOneLognormal(rng, g.traffic_spread);
    const auto regions = std::clamp<int64_t>(
        static_cast<int64_t>(
            std::ceil(static_cast<double>(n_regions) * std::pow(f.share, g.spread) - 1e-9)),
        1, n_regions);
    const auto first = static_cast<int64_t>(rng.NextUnit() * static_cast<double>(n_regions));
    size_t site_base = 0;
    std::vector<size_t> region_base;
    for (const RegionSpec& r : fleet.regions) {
      region_base.push_back(site_base);
      site_base += r.clusters.size();
    }
    for (int64_t k = 0; k < regions; ++k) {
      const auto r = static_cast<size_t>((first + k) % n_regions);
      const RegionSpec& region = fleet.regions[r];
      const auto n = static_cast<int64_t>(region.clusters.size());
      const int64_t take = g.clusters_per_region == 0 ? n : std::min(n, g.clusters_per_region);
      const auto start = static_cast<int64_t>(rng.NextUnit() * static_cast<double>(n));
      for (int64_t j = 0; j < take; ++j) {
        const auto c = static_cast<size_t>((start + j) % n);
        f.clusters.push_back(region.clusters[c].name);
        covered_sites[region_base[r] + c] = 1;
      }
    }
    ServiceSpec graph;
    graph.name = name;
    for (int64_t d = 0; d < std::min<int64_t>(g.per_service, i); ++d) {
      const auto j = static_cast<int64_t>(rng.NextUnit() * static_cast<double>(i));
      const std::string dep = s.services.services[static_cast<size_t>(std::min(j, i - 1))].name;
      const bool seen = std::any_of(graph.depends_on.begin(), graph.depends_on.end(),
                                    [&](const ServiceDependency& x) { return x.service == dep; });
      if (!seen) graph.depends_on.push_back(ServiceDependency{dep, g.weight});
    }
    const double rank = static_cast<double>(change_rank[static_cast<size_t>(i)] + 1);
    change_shares.push_back(g.change_share == "size" ? f.share
                                                     : std::pow(rank, -g.change_exponent));
    s.fleet_spec.services.push_back(std::move(f));
    s.services.services.push_back(std::move(graph));
  }
  // A cluster nobody drew runs the largest service.
  size_t site = 0;
  for (const RegionSpec& r : fleet.regions) {
    for (const ClusterSpec& c : r.clusters) {
      if (!covered_sites[site++]) s.fleet_spec.services.front().clusters.push_back(c.name);
    }
  }
  s.service_change_shares = change_shares;
}

}  // namespace

void ParseServicesBlock(const ConfigNode& node, Scenario& s) {
  if (node.IsMap())
    GenerateServices(node, s);
  else
    ParseServiceList(node, s);
  Result<ServiceGraph> graph = ServiceGraph::Build(s.services);
  if (!graph.ok()) node.Fail(graph.status().message());
  // Every cluster must run a member, and each member must fit (one host per service and cluster).
  if (!s.fleet_spec.services.empty()) {
    Result<Fleet> fleet = Fleet::Build(s.fleet_spec);
    if (!fleet.ok()) node.Fail("services: " + fleet.status().message());
  }
}

}  // namespace fleetsim
