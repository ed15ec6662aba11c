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

FaultReferenceNodes ParseFaultShape(YamlMap& m, const FleetSpec& fleet, FaultProfile& f) {
  FaultReferenceNodes refs;
  f.error_rate_factor = m.DoubleIn("error_rate_factor", 1.0, 0, 1e6);
  f.ramp = m.Duration("ramp", SimTime::Zero());
  if (f.ramp < SimTime::Zero())
    m.Required("ramp").Fail("faults[].ramp: expected a non-negative duration");
  if (auto flap = m.Optional("flapping")) {
    YamlMap fl(*flap, "faults[].flapping");
    f.flapping.period = fl.RequiredDuration("period");
    if (f.flapping.period <= SimTime::Zero())
      fl.Required("period").Fail("faults[].flapping.period: expected a positive duration");
    f.flapping.bad_share = fl.Fraction("bad_share", 0.5);
    fl.Finish();
  }
  f.request_fraction = m.Fraction("request_fraction", 1.0);
  if (auto regions = m.Optional("regions")) {
    for (const ConfigNode& rn : regions->AsSequence("faults[].regions")) {
      const std::string name = rn.AsString("faults[].regions[]");
      if (!HasRegion(fleet, name))
        rn.Fail("faults[].regions: unknown region '" + name + "'; expected one of " +
                RegionNames(fleet));
      f.regions.push_back(name);
    }
  }
  if (auto clusters = m.Optional("clusters")) {
    for (const ConfigNode& cn : clusters->AsSequence("faults[].clusters")) {
      const std::string name = cn.AsString("faults[].clusters[]");
      if (!HasCluster(fleet, name))
        cn.Fail("faults[].clusters: unknown cluster '" + name +
                "'; expected a cluster of fleet.regions");
      f.clusters.push_back(name);
    }
  }
  f.min_load = m.Double("min_load", 0.0);
  m.RequireAtLeast("min_load", f.min_load, 0);
  if (auto trigger = m.Optional("trigger")) {
    YamlMap t(*trigger, "faults[].trigger");
    if (auto label = t.Optional("label")) {
      f.trigger.label = label->AsString("faults[].trigger.label");
      if (f.trigger.label.empty())
        label->Fail("faults[].trigger.label: expected the label of an injected change");
      refs.trigger_label = label;
    }
    if (t.Has("at")) {
      f.trigger.has_time = true;
      f.trigger.at = t.RequiredDuration("at");
      if (f.trigger.at < SimTime::Zero())
        t.Required("at").Fail("faults[].trigger.at: expected a non-negative time");
    }
    if (!f.trigger.enabled())
      trigger->Fail(
          "faults[].trigger: expected label: (an injected change's label) and/or at: (a time)");
    t.Finish();
  }
  f.crash_fraction = m.Fraction("crash_fraction", 0.0);
  if (f.crash_fraction >= 1.0)
    m.Required("crash_fraction")
        .Fail("faults[].crash_fraction: expected less than 1 (some hosts must survive)");
  if (auto blocks = m.Optional("blocks_rollback")) {
    YamlMap b(*blocks, "faults[].blocks_rollback");
    f.blocks_rollback = true;
    f.repair.median = b.RequiredDuration("repair");
    if (f.repair.median < SimTime::Zero())
      b.Required("repair").Fail(
          "faults[].blocks_rollback.repair: expected a non-negative duration");
    f.repair.sigma = b.DoubleIn("sigma", 0.0, 0, 5);
    b.Finish();
  }
  if (auto visible = m.Optional("visible_in")) {
    f.visible_errors = false;
    f.visible_latency = false;
    for (const ConfigNode& vn : visible->AsSequence("faults[].visible_in")) {
      const std::string metric = vn.AsString("faults[].visible_in[]");
      if (metric == "errors")
        f.visible_errors = true;
      else if (metric == "latency")
        f.visible_latency = true;
      else
        vn.Fail("faults[].visible_in: unknown metric '" + metric + "'; expected errors or latency");
    }
  }
  if (auto service = m.Optional("service")) {
    f.service = service->AsString("faults[].service");
    refs.service = service;
  }
  return refs;
}

}  // namespace

FaultCatalog ParseFaults(const ConfigNode& node, const FleetSpec& fleet,
                         std::vector<FaultReferenceNodes>& refs) {
  FaultCatalog catalog;
  for (const ConfigNode& fn : node.AsSequence("faults")) {
    YamlMap m(fn, "faults[]");
    FaultProfile f;
    f.name = m.RequiredString("name");
    if (catalog.Find(f.name) >= 0)
      m.Required("name").Fail("faults: duplicate fault name '" + f.name + "'");
    f.weight = m.Double("weight", 1.0);
    m.RequireAtLeast("weight", f.weight, 0);
    f.error_rate_increase = m.Fraction("error_rate_increase", 0.0);
    f.latency_factor = m.DoubleIn("latency_factor", 1.0, 0.01, 1000);
    f.onset_delay = m.Duration("onset_delay", SimTime::Zero());
    refs.push_back(ParseFaultShape(m, fleet, f));
    m.Finish();
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

ServiceGraphSpec ParseServices(const ConfigNode& node) {
  ServiceGraphSpec spec;
  std::vector<ConfigNode> where;
  for (const ConfigNode& sn : node.AsSequence("services")) {
    YamlMap m(sn, "services[]");
    ServiceSpec s;
    s.name = m.RequiredString("name");
    if (auto deps = m.Optional("depends_on")) {
      for (const ConfigNode& dn : deps->AsSequence("services[].depends_on")) {
        YamlMap d(dn, "services[].depends_on[]");
        ServiceDependency dep;
        dep.service = d.RequiredString("service");
        dep.weight = d.DoubleIn("weight", 1.0, 0, 1);
        d.Finish();
        s.depends_on.push_back(dep);
      }
    }
    m.Finish();
    spec.services.push_back(s);
    where.push_back(sn);
  }
  if (spec.services.empty())
    node.Fail("services: expected at least one service (the first is the fleet's own)");
  Result<ServiceGraph> graph = ServiceGraph::Build(spec);
  if (!graph.ok()) node.Fail(graph.status().message());
  return spec;
}

void CheckFaultReferences(const std::vector<FaultReferenceNodes>& nodes,
                          const FaultCatalog& catalog, const ChangeStreamsSpec& changes,
                          const ServiceGraphSpec& services) {
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
