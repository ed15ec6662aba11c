// Text and JSON of `fleetsim replay` (see outage_replay.h). Deterministic: pure functions of the
// replay; numbers are printed with fixed precision. A scenario with severity levels adds the
// change's SEV level to the blast radius (text and JSON); without levels nothing changes.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/outage_replay.h"
#include "analysis/text_columns.h"
#include "analysis/timeline_text.h"

namespace fleetsim {
namespace {

using nlohmann::ordered_json;

constexpr OutageMoment kMoments[] = {OutageMoment::kChange, OutageMoment::kFirstImpact,
                                     OutageMoment::kDetection, OutageMoment::kMitigationStart,
                                     OutageMoment::kRecovery};

const char* MomentTitle(OutageMoment m) {
  switch (m) {
    case OutageMoment::kChange:
      return "change submitted";
    case OutageMoment::kFirstImpact:
      return "first impact";
    case OutageMoment::kDetection:
      return "detection";
    case OutageMoment::kMitigationStart:
      return "mitigation start";
    case OutageMoment::kRecovery:
      return "recovery";
  }
  return "?";
}

std::string SignedMinutes(SimTime simulated, SimTime published) {
  return simulated >= published ? "+" + MinutesText(simulated - published)
                                : "-" + MinutesText(published - simulated);
}

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * fraction);
  return buf;
}

// A change's SEV level (sim/severity.h): "SEV2", or "none".
std::string SevText(int sev) { return sev > 0 ? "SEV" + std::to_string(sev) : std::string("none"); }

std::string Thousands(int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Simulated(const ReplayMoment& m) {
  if (!m.at) return "-";
  return (*m.at < SimTime::Zero() ? "T" : "T+") + MinutesText(*m.at) +
         (m.by.empty() ? "" : " (" + m.by + ")");
}

std::string PublishedValueText(const std::optional<PublishedValue>& v, bool fraction) {
  if (!v) return "-";
  char buf[64];
  if (fraction) {
    std::snprintf(buf, sizeof buf, "%s", Percent(v->value).c_str());
  } else {
    std::snprintf(buf, sizeof buf, "%g", v->value);
  }
  std::string s = buf;
  if (v->tolerance)
    s += " +/-" + (fraction ? Percent(*v->tolerance) : std::to_string(std::lround(*v->tolerance)));
  return s + " (" + EvidenceMarkName(v->mark) + ")";
}

ordered_json MinutesJson(const std::optional<SimTime>& t) {
  return t ? ordered_json(t->minutes()) : ordered_json(nullptr);
}

ordered_json PublishedValueJson(const std::optional<PublishedValue>& v) {
  if (!v) return nullptr;
  return ordered_json{
      {"value", v->value},
      {"tolerance", v->tolerance ? ordered_json(*v->tolerance) : ordered_json(nullptr)},
      {"mark", EvidenceMarkName(v->mark)},
      {"note", v->note}};
}

}  // namespace

std::string RenderReplayText(const OutageReplay& replay) {
  const Scenario& scenario = *replay.scenario;
  const ReplayRun& actual = replay.runs.front();
  const OutageSpec* outage = scenario.outage ? &*scenario.outage : nullptr;
  std::string out;
  out += "outage replay: " + (outage ? outage->title : scenario.name);
  if (outage && !outage->date.empty()) out += " (" + outage->date + ")";
  out += "\nscenario " + scenario.name + " (" + scenario.file + "), seed " +
         std::to_string(replay.seed) + ", replica 0\n";
  out += "T+0 = " +
         std::string(outage && outage->t0_delay > SimTime::Zero()
                         ? FormatDuration(outage->t0_delay) + " after "
                         : "") +
         "change #" + std::to_string(actual.change_id) +
         (actual.change_label.empty() ? "" : " '" + actual.change_label + "'") +
         " arrived: " + FormatClock(actual.change_arrival) + " simulated";
  if (outage && !outage->clock_zero.empty()) out += " = " + outage->clock_zero;
  out += "\nculprit = change #" + std::to_string(actual.culprit_id) +
         (actual.outcome.label.empty() ? "" : " '" + actual.outcome.label + "'") + ", fault " +
         actual.outcome.fault + "\n";
  if (outage) {
    out += "sources:\n";
    for (const OutageSource& s : outage->sources)
      out += "  - " + s.title + (s.url.empty() ? "" : " <" + s.url + ">") + "\n";
  }

  out += "\nkey moments under " + actual.policy->name +
         " (the policy of the day), minutes after the change:\n";
  std::vector<std::vector<std::string>> rows{
      {"moment", "published", "simulated", "deviation", "within"}};
  std::vector<std::string> notes;
  for (OutageMoment m : kMoments) {
    const ReplayMoment& sim = actual.Moment(m);
    const std::optional<PublishedTime>* pub = outage ? &outage->Published(m) : nullptr;
    std::vector<std::string> row{MomentTitle(m), "-", Simulated(sim), "", ""};
    if (pub && *pub) {
      const PublishedTime& p = **pub;
      row[1] = "T+" + MinutesText(p.at) + " +/-" + MinutesText(p.tolerance) + " (" +
               EvidenceMarkName(p.mark) + ")";
      row[3] = sim.at ? SignedMinutes(*sim.at, p.at) : "-";
      row[4] = sim.at && p.Within(*sim.at) ? "yes" : "NO";
      if (!p.note.empty()) notes.push_back(std::string(MomentTitle(m)) + ": " + p.note);
    }
    rows.push_back(row);
  }
  out += TextColumns(rows);
  for (const std::string& n : notes) out += "  * " + n + "\n";
  if (outage && !outage->notes.empty()) {
    out += "\npublished events the model does not simulate:\n";
    for (const OutageNote& n : outage->notes)
      out += "  T+" + MinutesText(n.at) + "  " + n.text + "\n";
  }

  out += "\nblast radius of the change:\n";
  const ChangeOutcome& o = actual.outcome;
  std::vector<std::vector<std::string>> blast{{"metric", "published", "simulated"}};
  // A latent fault's culprit (the code) is everywhere; what its trigger reached is the next row.
  const char* exposure_row =
      actual.Triggered() ? "culprit's peak exposure" : "peak exposed fraction";
  blast.push_back({exposure_row,
                   PublishedValueText(outage ? outage->peak_exposed_fraction : std::nullopt, true),
                   Percent(o.peak_exposed_fraction)});
  blast.push_back({"impacted traffic peak",
                   PublishedValueText(outage ? outage->impacted_traffic_peak : std::nullopt, true),
                   Percent(o.impacted_traffic_peak)});
  blast.push_back({"failed traffic peak",
                   PublishedValueText(outage ? outage->failed_traffic_peak : std::nullopt, true),
                   Percent(o.failed_traffic_peak)});
  blast.push_back({"regions impacted",
                   PublishedValueText(outage ? outage->regions_impacted : std::nullopt, false),
                   std::to_string(o.regions_impacted) + " of " +
                       std::to_string(scenario.fleet->regions().size())});
  blast.push_back({"failed requests", "-", Thousands(o.failed_requests)});
  if (actual.Triggered()) {
    blast.push_back(
        {"trigger's peak exposure", "-", Percent(actual.trigger.peak_exposed_fraction)});
  }
  const bool sev = !scenario.severity.levels.empty();  // SEV rows only when the scenario has levels
  if (sev) blast.push_back({"SEV level", "-", SevText(o.sev)});
  out += TextColumns(blast);
  if (actual.Triggered()) {
    out += "  * a latent fault triggered by change #" + std::to_string(actual.change_id) +
           ": it acts on the hosts running both the culprit and the trigger\n";
  }
  std::vector<std::string> blast_notes;
  if (outage) {
    for (const auto* v : {&outage->peak_exposed_fraction, &outage->impacted_traffic_peak,
                          &outage->failed_traffic_peak, &outage->regions_impacted}) {
      if (*v && !(*v)->note.empty()) blast_notes.push_back((*v)->note);
    }
  }
  for (const std::string& n : blast_notes) out += "  * " + n + "\n";

  if (replay.runs.size() > 1) {
    out +=
        "\ncounterfactuals (same seed: the same changes, faults and noise; only the policy differs";
    for (const ReplayRun& run : replay.runs) {
      if (!run.pushes_staged) continue;
      out +=
          ";\n  'push staged': the bypass pushes went through that policy too, instead of around "
          "it";
      break;
    }
    out += "):\n";
    std::vector<std::vector<std::string>> side{{"", actual.Name() + " (of the day)"}};
    for (size_t i = 1; i < replay.runs.size(); ++i) side[0].push_back(replay.runs[i].Name());
    for (OutageMoment m : kMoments) {
      if (m == OutageMoment::kChange) continue;
      std::vector<std::string> row{MomentTitle(m)};
      for (const ReplayRun& run : replay.runs) row.push_back(Simulated(run.Moment(m)));
      side.push_back(row);
    }
    const auto metric_row = [&](const char* name, auto value) {
      std::vector<std::string> row{name};
      for (const ReplayRun& run : replay.runs) row.push_back(value(run.outcome));
      side.push_back(row);
    };
    metric_row(exposure_row,
               [](const ChangeOutcome& c) { return Percent(c.peak_exposed_fraction); });
    metric_row("impacted traffic peak",
               [](const ChangeOutcome& c) { return Percent(c.impacted_traffic_peak); });
    metric_row("failed traffic peak",
               [](const ChangeOutcome& c) { return Percent(c.failed_traffic_peak); });
    metric_row("regions impacted",
               [](const ChangeOutcome& c) { return std::to_string(c.regions_impacted); });
    metric_row("failed requests",
               [](const ChangeOutcome& c) { return Thousands(c.failed_requests); });
    if (sev) metric_row("SEV level", [](const ChangeOutcome& c) { return SevText(c.sev); });
    metric_row("detected stage", [](const ChangeOutcome& c) {
      return c.detected_stage_name.empty() ? std::string("-") : c.detected_stage_name;
    });
    if (actual.Triggered()) {
      std::vector<std::string> exposure{"trigger's peak exposure"};
      std::vector<std::string> stopped{"trigger rolled back by"};
      for (const ReplayRun& run : replay.runs) {
        exposure.push_back(Percent(run.trigger.peak_exposed_fraction));
        stopped.push_back(run.trigger.stopped_by ? StopSourceName(*run.trigger.stopped_by) : "-");
      }
      side.push_back(exposure);
      side.push_back(stopped);
    }
    out += TextColumns(side);
  }

  out += "\n" + RenderTimelineText(actual.timeline, scenario);
  return out;
}

std::string RenderReplayJson(const OutageReplay& replay) {
  const Scenario& scenario = *replay.scenario;
  const OutageSpec* outage = scenario.outage ? &*scenario.outage : nullptr;
  ordered_json root;
  root["schema_version"] = 1;
  root["tool"] = "fleetsim replay";
  root["seed"] = replay.seed;
  root["replica"] = 0;
  root["scenario"] = ordered_json{{"name", scenario.name},
                                  {"file", scenario.file},
                                  {"hosts", scenario.fleet->total_hosts()},
                                  {"regions", scenario.fleet->regions().size()}};
  if (outage) {
    ordered_json o{{"title", outage->title},
                   {"date", outage->date},
                   {"t0_delay_minutes", outage->t0_delay.minutes()},
                   {"clock_zero", outage->clock_zero}};
    o["sources"] = ordered_json::array();
    for (const OutageSource& s : outage->sources)
      o["sources"].push_back({{"title", s.title}, {"url", s.url}});
    ordered_json published = ordered_json::object();
    for (OutageMoment m : kMoments) {
      const std::optional<PublishedTime>& p = outage->Published(m);
      if (!p) continue;
      published[OutageMomentKey(m)] = ordered_json{{"at_minutes", p->at.minutes()},
                                                   {"tolerance_minutes", p->tolerance.minutes()},
                                                   {"mark", EvidenceMarkName(p->mark)},
                                                   {"note", p->note}};
    }
    o["published"] = published;
    o["blast_radius"] =
        ordered_json{{"peak_exposed_fraction", PublishedValueJson(outage->peak_exposed_fraction)},
                     {"impacted_traffic_peak", PublishedValueJson(outage->impacted_traffic_peak)},
                     {"failed_traffic_peak", PublishedValueJson(outage->failed_traffic_peak)},
                     {"regions_impacted", PublishedValueJson(outage->regions_impacted)}};
    root["outage"] = o;
  } else {
    root["outage"] = nullptr;
  }
  root["runs"] = ordered_json::array();
  for (const ReplayRun& run : replay.runs) {
    ordered_json r{{"policy", {{"name", run.policy->name}, {"source", run.policy->source}}},
                   {"counterfactual", run.counterfactual},
                   {"pushes_staged", run.pushes_staged},
                   {"change", run.change_id},
                   {"culprit", run.culprit_id},
                   {"change_arrival_minutes", run.change_arrival.minutes()}};
    ordered_json moments = ordered_json::object();
    for (OutageMoment m : kMoments) {
      const ReplayMoment& sim = run.Moment(m);
      ordered_json j{{"at_minutes", MinutesJson(sim.at)},
                     {"by", sim.by.empty() ? ordered_json(nullptr) : ordered_json(sim.by)}};
      const std::optional<PublishedTime>* p = outage ? &outage->Published(m) : nullptr;
      if (!run.counterfactual && p && *p) {
        j["deviation_minutes"] =
            sim.at ? ordered_json((*sim.at - (*p)->at).minutes()) : ordered_json(nullptr);
        j["within_tolerance"] = sim.at.has_value() && (*p)->Within(*sim.at);
      }
      moments[OutageMomentKey(m)] = j;
    }
    r["moments"] = moments;
    const ChangeOutcome& o = run.outcome;
    r["blast_radius"] =
        ordered_json{{"peak_exposed_fraction", o.peak_exposed_fraction},
                     {"impacted_traffic_peak", o.impacted_traffic_peak},
                     {"failed_traffic_peak", o.failed_traffic_peak},
                     {"regions_impacted", o.regions_impacted},
                     {"failed_requests", o.failed_requests},
                     {"exposed_host_minutes", o.exposed_host_minutes},
                     {"trigger_peak_exposed_fraction",
                      run.Triggered() ? ordered_json(run.trigger.peak_exposed_fraction)
                                      : ordered_json(nullptr)}};
    if (!scenario.severity.levels.empty())
      r["blast_radius"]["sev"] = o.sev > 0 ? ordered_json(o.sev) : ordered_json(nullptr);
    r["detected_by"] = DetectedByName(o.detected_by);
    r["detected_stage"] =
        o.detected_stage_name.empty() ? ordered_json(nullptr) : ordered_json(o.detected_stage_name);
    r["alerts"] = run.alerts;
    root["runs"].push_back(r);
  }
  return root.dump(2) + "\n";
}

}  // namespace fleetsim
