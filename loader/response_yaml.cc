// Parsing of the people and automation blocks (see loader/response_yaml.h).
#include "loader/response_yaml.h"

namespace fleetsim {
namespace {

// humans.misdiagnosis and humans.mitigation.
void ParseHumanExtensions(YamlMap& m, HumanSpec& h) {
  if (auto mis = m.Optional("misdiagnosis")) {
    YamlMap d(*mis, "humans.misdiagnosis");
    h.misdiagnosis_probability = d.Fraction("probability", 0.0);
    if (auto delay = d.Optional("delay")) {
      YamlMap t(*delay, "humans.misdiagnosis.delay");
      h.misdiagnosis_median = t.Duration("median", h.misdiagnosis_median);
      if (h.misdiagnosis_median < SimTime::Zero())
        t.Required("median").Fail(
            "humans.misdiagnosis.delay.median: expected a non-negative duration");
      h.misdiagnosis_sigma = t.DoubleIn("sigma", h.misdiagnosis_sigma, 0, 5);
      t.Finish();
    }
    d.Finish();
  }
  const std::string mitigation = m.String("mitigation", "rollback");
  if (mitigation == "rollback")
    h.mitigation = HumanSpec::Mitigation::kRollback;
  else if (mitigation == "kill_switch")
    h.mitigation = HumanSpec::Mitigation::kKillSwitch;
  else
    m.Required("mitigation")
        .Fail("humans.mitigation: expected rollback or kill_switch, got '" + mitigation + "'");
}

}  // namespace

HumanSpec ParseHumans(const ConfigNode& node) {
  YamlMap m(node, "humans");
  HumanSpec h;
  h.enabled = m.Bool("enabled", true);
  if (auto alert = m.Optional("alert")) {
    YamlMap a(*alert, "humans.alert");
    h.alert_error_rate = a.Fraction("error_rate", h.alert_error_rate);
    h.alert_for = a.Duration("for", h.alert_for);
    a.Finish();
  }
  if (auto response = m.Optional("response_time")) {
    YamlMap r(*response, "humans.response_time");
    h.response_median = r.Duration("median", h.response_median);
    h.response_sigma = r.DoubleIn("sigma", h.response_sigma, 0, 5);
    r.Finish();
  }
  ParseHumanExtensions(m, h);
  m.Finish();
  return h;
}

AutomationSpec ParseAutomation(const ConfigNode& node) {
  YamlMap m(node, "automation");
  AutomationSpec a;
  a.enabled = m.Bool("enabled", true);
  a.rollback_delay = m.Duration("rollback_delay", SimTime::Zero());
  if (a.rollback_delay < SimTime::Zero())
    m.Required("rollback_delay")
        .Fail("automation.rollback_delay: expected a non-negative duration");
  a.rollback_failure_probability = m.Fraction("rollback_failure_probability", 0.0);
  m.Finish();
  return a;
}

SeveritySpec ParseSeverity(const ConfigNode& node) {
  SeveritySpec spec;
  for (const ConfigNode& ln : node.AsSequence("severity")) {
    YamlMap m(ln, "severity[]");
    SevThreshold t;
    m.Required("level");
    t.level = static_cast<int>(m.IntIn("level", 0, 1, 9));  // 1 = most severe
    for (const SevThreshold& other : spec.levels) {
      if (other.level == t.level)
        m.Required("level").Fail("severity[].level: duplicate level " + std::to_string(t.level));
    }
    if (m.Has("impacted_traffic")) t.impacted_traffic = m.Fraction("impacted_traffic", 0.0);
    if (m.Has("failed_requests")) {
      t.failed_requests = m.IntIn("failed_requests", 0, 0, 1'000'000'000'000'000'000);
    }
    if (t.impacted_traffic < 0 && t.failed_requests < 0) {
      ln.Fail("severity[]: expected impacted_traffic: and/or failed_requests:");
    }
    m.Finish();
    spec.levels.push_back(t);
  }
  return spec;
}

}  // namespace fleetsim
