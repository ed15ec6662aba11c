// Parsing of the fault model (see loader/fault_yaml.h and sim/fault.h for the keys).
#include "loader/fault_yaml.h"

#include <algorithm>

namespace fleetsim {
namespace {

bool HasRegion(const FleetSpec& fleet, const std::string& name) {
  return std::any_of(fleet.regions.begin(), fleet.regions.end(),
                     [&](const RegionSpec& r) { return r.name == name; });
}

bool HasCluster(const FleetSpec& fleet, const std::string& name) {
  for (const RegionSpec& r : fleet.regions) {
    for (const ClusterSpec& c : r.clusters) {
      if (c.name == name) return true;
    }
  }
  return false;
}

std::string RegionNames(const FleetSpec& fleet) {
  std::string out;
  for (const RegionSpec& r : fleet.regions) out += (out.empty() ? "" : ", ") + r.name;
  return out;
}

std::vector<std::pair<std::string, SimTime>> ParseRegionDelays(const ConfigNode& node,
                                                               const FleetSpec& fleet,
                                                               const std::string& what) {
  if (!node.IsMap())
    node.Fail(what + ": expected a mapping of region name to duration, e.g. {asia: 2m}");
  std::vector<std::pair<std::string, SimTime>> out;
  for (const auto& kv : node.node) {
    const ConfigNode key{kv.first, node.file};
    const std::string region = key.AsString(what);
    if (!HasRegion(fleet, region)) {
      key.Fail(what + ": unknown region '" + region + "'; expected one of " + RegionNames(fleet));
    }
    const SimTime delay = ConfigNode{kv.second, node.file}.AsDuration(what + "." + region);
    if (delay < SimTime::Zero())
      ConfigNode{kv.second, node.file}.Fail(what + "." + region +
                                            ": expected a non-negative duration");
    out.emplace_back(region, delay);
  }
  return out;
}

}  // namespace

// What a key's reader works on: the entry being read, the fault it fills, and what it checks
// against. `f` starts as a default FaultProfile, so each key's default is the struct's.
struct FaultKeyReader {
  YamlMap& m;
  const FleetSpec& fleet;
  const FaultCatalog& catalog;  // the faults read so far
  FaultProfile& f;
  FaultReferenceNodes& refs;
};

namespace {

void ReadName(FaultKeyReader& r) {
  r.f.name = r.m.RequiredString("name");
  if (r.catalog.Find(r.f.name) >= 0)
    r.m.Required("name").Fail("faults: duplicate fault name '" + r.f.name + "'");
}

void ReadWeight(FaultKeyReader& r) {
  r.f.weight = r.m.DoubleIn("weight", r.f.weight, 0, 1e9);  // relative; bounded so sums stay exact
}

void ReadErrorRateIncrease(FaultKeyReader& r) {
  r.f.error_rate_increase = r.m.Fraction("error_rate_increase", r.f.error_rate_increase);
}

void ReadLatencyFactor(FaultKeyReader& r) {
  r.f.latency_factor = r.m.DoubleIn("latency_factor", r.f.latency_factor, 0.01, 1000);
}

void ReadOnsetDelay(FaultKeyReader& r) {
  r.f.onset_delay = r.m.Duration("onset_delay", r.f.onset_delay);
}

void ReadErrorRateFactor(FaultKeyReader& r) {
  r.f.error_rate_factor = r.m.DoubleIn("error_rate_factor", r.f.error_rate_factor, 0, 1e6);
}

void ReadRamp(FaultKeyReader& r) {
  r.f.ramp = r.m.Duration("ramp", r.f.ramp);
  if (r.f.ramp < SimTime::Zero())
    r.m.Required("ramp").Fail("faults[].ramp: expected a non-negative duration");
}

void ReadFlapping(FaultKeyReader& r) {
  auto flap = r.m.Optional("flapping");
  if (!flap) return;
  YamlMap fl(*flap, "faults[].flapping");
  r.f.flapping.period = fl.RequiredDuration("period");
  if (r.f.flapping.period <= SimTime::Zero())
    fl.Required("period").Fail("faults[].flapping.period: expected a positive duration");
  r.f.flapping.bad_share = fl.Fraction("bad_share", r.f.flapping.bad_share);
  fl.Finish();
}

void ReadRequestFraction(FaultKeyReader& r) {
  r.f.request_fraction = r.m.Fraction("request_fraction", r.f.request_fraction);
}

void ReadRegions(FaultKeyReader& r) {
  auto regions = r.m.Optional("regions");
  if (!regions) return;
  for (const ConfigNode& rn : regions->AsSequence("faults[].regions")) {
    const std::string name = rn.AsString("faults[].regions[]");
    if (!HasRegion(r.fleet, name))
      rn.Fail("faults[].regions: unknown region '" + name + "'; expected one of " +
              RegionNames(r.fleet));
    r.f.regions.push_back(name);
  }
}

void ReadClusters(FaultKeyReader& r) {
  auto clusters = r.m.Optional("clusters");
  if (!clusters) return;
  for (const ConfigNode& cn : clusters->AsSequence("faults[].clusters")) {
    const std::string name = cn.AsString("faults[].clusters[]");
    if (!HasCluster(r.fleet, name))
      cn.Fail("faults[].clusters: unknown cluster '" + name +
              "'; expected a cluster of fleet.regions");
    r.f.clusters.push_back(name);
  }
}

void ReadMinLoad(FaultKeyReader& r) {
  r.f.min_load = r.m.DoubleIn("min_load", r.f.min_load, 0, 1e6);
}

void ReadTrigger(FaultKeyReader& r) {
  auto trigger = r.m.Optional("trigger");
  if (!trigger) return;
  YamlMap t(*trigger, "faults[].trigger");
  if (auto label = t.Optional("label")) {
    r.f.trigger.label = label->AsString("faults[].trigger.label");
    if (r.f.trigger.label.empty())
      label->Fail("faults[].trigger.label: expected the label of an injected change");
    r.refs.trigger_label = label;
  }
  if (t.Has("at")) {
    r.f.trigger.has_time = true;
    r.f.trigger.at = t.RequiredDuration("at");
    if (r.f.trigger.at < SimTime::Zero())
      t.Required("at").Fail("faults[].trigger.at: expected a non-negative time");
  }
  if (!r.f.trigger.enabled())
    trigger->Fail(
        "faults[].trigger: expected label: (an injected change's label) and/or at: (a time)");
  t.Finish();
}

void ReadCrashFraction(FaultKeyReader& r) {
  r.f.crash_fraction = r.m.Fraction("crash_fraction", r.f.crash_fraction);
  if (r.f.crash_fraction >= 1.0)
    r.m.Required("crash_fraction")
        .Fail("faults[].crash_fraction: expected less than 1 (some hosts must survive)");
}

void ReadBlocksRollback(FaultKeyReader& r) {
  auto blocks = r.m.Optional("blocks_rollback");
  if (!blocks) return;
  YamlMap b(*blocks, "faults[].blocks_rollback");
  r.f.blocks_rollback = true;
  r.f.repair.median = b.RequiredDuration("repair");
  if (r.f.repair.median < SimTime::Zero())
    b.Required("repair").Fail("faults[].blocks_rollback.repair: expected a non-negative duration");
  r.f.repair.sigma = b.DoubleIn("sigma", r.f.repair.sigma, 0, 5);
  b.Finish();
}

void ReadVisibleIn(FaultKeyReader& r) {
  auto visible = r.m.Optional("visible_in");
  if (!visible) return;
  r.f.visible_errors = false;
  r.f.visible_latency = false;
  for (const ConfigNode& vn : visible->AsSequence("faults[].visible_in")) {
    const std::string metric = vn.AsString("faults[].visible_in[]");
    if (metric == "errors")
      r.f.visible_errors = true;
    else if (metric == "latency")
      r.f.visible_latency = true;
    else
      vn.Fail("faults[].visible_in: unknown metric '" + metric + "'; expected errors or latency");
  }
}

void ReadService(FaultKeyReader& r) {
  auto service = r.m.Optional("service");
  if (!service) return;
  r.f.service = service->AsString("faults[].service");
  r.refs.service = service;
}

}  // namespace

std::span<const FaultKey> FaultKeys() {
  // Read in this order (so the first of several bad keys is the one reported); Finish() lists
  // them in this order too. Examples: see FaultKey.
  static constexpr FaultKey kKeys[] = {
      {"name", false, "g", ReadName},
      {"weight", false, "2", ReadWeight},
      {"error_rate_increase", false, "0.05", ReadErrorRateIncrease},
      {"latency_factor", false, "1.5", ReadLatencyFactor},
      {"onset_delay", false, "5m", ReadOnsetDelay},
      {"error_rate_factor", true, "3", ReadErrorRateFactor},
      {"ramp", true, "2h", ReadRamp},
      {"flapping", true, "{period: 10m}", ReadFlapping},
      {"request_fraction", true, "28%", ReadRequestFraction},
      {"regions", true, "[europe]", ReadRegions},
      {"clusters", true, "[eu-a]", ReadClusters},
      {"min_load", true, "120", ReadMinLoad},
      {"trigger", true, "{at: 1d}", ReadTrigger},
      {"crash_fraction", true, "0.25", ReadCrashFraction},
      {"blocks_rollback", true, "{repair: 3h, sigma: 0.4}", ReadBlocksRollback},
      {"visible_in", true, "[]", ReadVisibleIn},
      {"service", true, "db", ReadService},
  };
  return kKeys;
}

FaultCatalog ParseFaults(const ConfigNode& node, const FleetSpec& fleet,
                         std::vector<FaultReferenceNodes>& refs) {
  FaultCatalog catalog;
  for (const ConfigNode& fn : node.AsSequence("faults")) {
    YamlMap m(fn, "faults[]");
    FaultProfile f;
    FaultReferenceNodes where;
    FaultKeyReader reader{m, fleet, catalog, f, where};
    for (const FaultKey& key : FaultKeys()) key.read(reader);
    m.Finish();
    refs.push_back(where);
    catalog.faults.push_back(f);
  }
  return catalog;
}

BypassSpec ParseBypass(const ConfigNode& node, const FleetSpec& fleet) {
  YamlMap m(node, "changes.injected[].bypass");
  BypassSpec b;
  b.enabled = true;
  b.propagation = m.Duration("propagation", SimTime::Zero());
  if (b.propagation < SimTime::Zero())
    m.Required("propagation")
        .Fail("changes.injected[].bypass.propagation: expected a non-negative duration");
  if (auto regions = m.Optional("regions"))
    b.regions = ParseRegionDelays(*regions, fleet, "changes.injected[].bypass.regions");
  m.Finish();
  return b;
}

InfrastructureSpec ParseInfrastructure(const ConfigNode& node, const FleetSpec& fleet) {
  YamlMap m(node, "infrastructure");
  InfrastructureSpec spec;
  if (auto outages = m.Optional("outages")) {
    for (const ConfigNode& on : outages->AsSequence("infrastructure.outages")) {
      YamlMap o(on, "infrastructure.outages[]");
      InfraOutage out;
      out.region = o.String("region", "");
      out.cluster = o.String("cluster", "");
      if (out.region.empty() == out.cluster.empty()) {
        on.Fail("infrastructure.outages[]: expected exactly one of region: or cluster:");
      }
      if (!out.region.empty() && !HasRegion(fleet, out.region)) {
        o.Required("region").Fail("infrastructure.outages[].region: unknown region '" + out.region +
                                  "'; expected one of " + RegionNames(fleet));
      }
      if (!out.cluster.empty() && !HasCluster(fleet, out.cluster)) {
        o.Required("cluster").Fail("infrastructure.outages[].cluster: unknown cluster '" +
                                   out.cluster + "'");
      }
      out.at = o.RequiredDuration("at");
      out.duration = o.RequiredDuration("for");
      if (out.at < SimTime::Zero())
        o.Required("at").Fail("infrastructure.outages[].at: expected a non-negative time");
      if (out.duration <= SimTime::Zero())
        o.Required("for").Fail("infrastructure.outages[].for: expected a positive duration");
      o.Finish();
      spec.outages.push_back(out);
    }
  }
  spec.unreachable_hosts = m.Fraction("unreachable_hosts", 0.0);
  if (auto delay = m.Optional("propagation_delay")) {
    YamlMap d(*delay, "infrastructure.propagation_delay");
    spec.propagation_delay.default_delay = d.Duration("default", SimTime::Zero());
    if (spec.propagation_delay.default_delay < SimTime::Zero()) {
      d.Required("default").Fail(
          "infrastructure.propagation_delay.default: expected a non-negative duration");
    }
    if (auto regions = d.Optional("regions")) {
      spec.propagation_delay.regions =
          ParseRegionDelays(*regions, fleet, "infrastructure.propagation_delay.regions");
    }
    d.Finish();
  }
  m.Finish();
  return spec;
}

void CheckFaultReferences(const std::vector<FaultReferenceNodes>& nodes,
                          const FaultCatalog& catalog, const ChangeStreamsSpec& changes,
                          const ServiceGraphSpec& services, bool services_on_fleet) {
  for (size_t i = 0; i < nodes.size() && i < catalog.faults.size(); ++i) {
    const FaultProfile& f = catalog.faults[i];
    if (nodes[i].trigger_label) {
      const bool found =
          std::any_of(changes.injected.begin(), changes.injected.end(),
                      [&](const InjectedChange& c) { return c.label == f.trigger.label; });
      if (!found) {
        nodes[i].trigger_label->Fail("faults[].trigger.label: no injected change is labelled '" +
                                     f.trigger.label +
                                     "'; expected the label of an entry under changes.injected");
      }
    }
    if (nodes[i].service && services_on_fleet) {
      nodes[i].service->Fail(
          "faults[].service: with services on the fleet a fault is on the service its change "
          "targets (changes.injected[].target.service); expected no faults[].service");
    }
    if (nodes[i].service) {
      const bool found = std::any_of(services.services.begin(), services.services.end(),
                                     [&](const ServiceSpec& s) { return s.name == f.service; });
      if (!found) {
        nodes[i].service->Fail("faults[].service: unknown service '" + f.service +
                               "'; expected a service listed under services:");
      }
    }
  }
}

}  // namespace fleetsim
