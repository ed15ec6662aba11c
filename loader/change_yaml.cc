// Parsing of the change streams (see loader/change_yaml.h).
#include "loader/change_yaml.h"

#include "loader/fault_yaml.h"
#include "loader/target_yaml.h"

namespace fleetsim {
namespace {

CommitStreamSpec ParseCommitStream(const ConfigNode& node, const FaultCatalog& catalog) {
  YamlMap m(node, "changes.commits");
  CommitStreamSpec s;
  s.per_day = m.RequiredDouble("per_day");
  m.RequireRange("per_day", s.per_day, 0, 1e6);
  const std::string arrivals = m.String("arrivals", "poisson");
  if (arrivals == "regular")
    s.regular = true;
  else if (arrivals != "poisson")
    m.Required("arrivals")
        .Fail("changes.commits.arrivals: expected poisson or regular, got '" + arrivals + "'");
  s.diurnal_amplitude = m.DoubleIn("diurnal_amplitude", s.diurnal_amplitude, 0, 0.99);
  s.peak_hour = m.DoubleIn("peak_hour", s.peak_hour, 0, 24);
  s.utc_offset = m.DoubleIn("utc_offset", s.utc_offset, -12, 14);
  s.weekend_factor = m.DoubleIn("weekend_factor", s.weekend_factor, 0, 10);
  s.bad_fraction = m.Fraction("bad_fraction", s.bad_fraction);
  if (auto faults = m.Optional("faults")) {
    for (const ConfigNode& f : faults->AsSequence("changes.commits.faults")) {
      std::string name = f.AsString("changes.commits.faults[]");
      if (catalog.Find(name) < 0)
        f.Fail("changes.commits.faults: unknown fault '" + name + "'; define it under faults:");
      s.fault_names.push_back(name);
    }
  }
  if (s.bad_fraction > 0 && s.fault_names.empty() && catalog.faults.empty()) {
    m.Required("bad_fraction")
        .Fail("changes.commits: bad_fraction > 0 needs at least one entry under faults:");
  }
  s.test_duration = m.Duration("test_duration", s.test_duration);
  s.test_catch_probability = m.Fraction("test_catch_probability", s.test_catch_probability);
  s.flake_probability = m.Fraction("flake_probability", s.flake_probability);
  s.risk_auc = m.DoubleIn("risk_auc", s.risk_auc, 0.5, 0.9999);
  m.Finish();
  return s;
}

// With services on the fleet, each config change targets one service (within the stream's
// scope), drawn by the services' change shares.
void AddServiceTargets(const ConfigNode& where, const FleetSpec& fleet, Scenario& scenario,
                       ConfigStreamSpec& config) {
  const TargetSpec scope = scenario.targets[static_cast<size_t>(config.target)];
  if (!scope.service.empty())
    where.Fail(
        "changes.config.scope: expected regions: or clusters: only (each change's service "
        "is drawn by the services' change_share)");
  for (size_t i = 0; i < fleet.services.size(); ++i) {
    const double share = scenario.service_change_shares[i];
    if (share <= 0) continue;
    TargetSpec t = scope;
    t.service = fleet.services[i].name;
    if (!TargetHoldsSomething(t, fleet, &fleet.services[i])) continue;
    // (service names are unique: no earlier target equals this one)
    scenario.targets.push_back(t);
    config.service_targets.push_back(static_cast<int>(scenario.targets.size()) - 1);
    config.service_weights.push_back(share);
  }
  if (config.service_targets.empty())
    where.Fail("changes.config: no service with a change_share > 0 runs in its scope");
}

}  // namespace

ChangeStreamsSpec ParseChanges(const ConfigNode& node, const FaultCatalog& catalog,
                               SimTime duration, const FleetSpec& fleet, Scenario& scenario) {
  YamlMap m(node, "changes");
  ChangeStreamsSpec spec;
  if (auto config = m.Optional("config")) {
    YamlMap c(*config, "changes.config");
    spec.config.per_day = c.RequiredDouble("per_day");
    c.RequireRange("per_day", spec.config.per_day, 0, 1e7);
    spec.config.bad_fraction = c.Fraction("bad_fraction", 0.0);
    if (auto faults = c.Optional("faults")) {
      for (const ConfigNode& f : faults->AsSequence("changes.config.faults")) {
        std::string name = f.AsString("changes.config.faults[]");
        if (catalog.Find(name) < 0)
          f.Fail("changes.config.faults: unknown fault '" + name + "'; define it under faults:");
        spec.config.fault_names.push_back(name);
      }
    }
    if (spec.config.bad_fraction > 0 && spec.config.fault_names.empty() && catalog.faults.empty()) {
      config->Fail("changes.config: bad_fraction > 0 needs at least one entry under faults:");
    }
    if (auto scope = c.Optional("scope"))
      spec.config.target = AddTarget(scenario, ParseTarget(*scope, fleet, "changes.config.scope"));
    if (!fleet.services.empty()) AddServiceTargets(*config, fleet, scenario, spec.config);
    c.Finish();
  }
  if (auto injected = m.Optional("injected")) {
    for (const ConfigNode& in : injected->AsSequence("changes.injected")) {
      YamlMap i(in, "changes.injected[]");
      InjectedChange ic;
      ic.at = i.RequiredDuration("at");
      if (ic.at >= duration)
        i.Required("at").Fail(
            "changes.injected[].at: expected a time before the scenario's duration (" +
            FormatDuration(duration) + ")");
      ic.fault = i.String("fault", "");
      if (!ic.fault.empty() && catalog.Find(ic.fault) < 0) {
        i.Required("fault").Fail("changes.injected[].fault: unknown fault '" + ic.fault +
                                 "'; define it under faults:");
      }
      ic.label = i.String("label", "");
      if (auto bypass = i.Optional("bypass")) ic.bypass = ParseBypass(*bypass, fleet);
      if (auto target = i.Optional("target"))
        ic.target = AddTarget(scenario, ParseTarget(*target, fleet, "changes.injected[].target"));
      i.Finish();
      spec.injected.push_back(ic);
    }
  }
  if (auto commits = m.Optional("commits")) spec.commits = ParseCommitStream(*commits, catalog);
  m.Finish();
  return spec;
}

}  // namespace fleetsim
