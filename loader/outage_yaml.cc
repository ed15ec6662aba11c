// Parsing of a scenario's `outage:` block (see sim/outage_spec.h for the schema).
#include "loader/outage_yaml.h"

namespace fleetsim {
namespace {

EvidenceMark ParseMark(YamlMap& m, const std::string& context) {
  if (!m.Has("mark")) return EvidenceMark::kPublished;
  const ConfigNode node = m.Required("mark");
  const std::string text = node.AsString(context + ".mark");
  for (EvidenceMark mark : {EvidenceMark::kPublished, EvidenceMark::kDerived,
                            EvidenceMark::kSecondary, EvidenceMark::kAssumed}) {
    if (text == EvidenceMarkName(mark)) return mark;
  }
  node.Fail(context + ".mark: expected published, derived, secondary or assumed, got '" + text +
            "'");
}

PublishedTime ParsePublishedTime(const ConfigNode& node, const std::string& context) {
  YamlMap m(node, context);
  PublishedTime p;
  p.at = m.RequiredDuration("at");
  p.tolerance = m.RequiredDuration("tolerance");
  p.mark = ParseMark(m, context);
  p.note = m.String("note", "");
  m.Finish();
  return p;
}

PublishedValue ParsePublishedValue(const ConfigNode& node, const std::string& context, double lo,
                                   double hi) {
  YamlMap m(node, context);
  PublishedValue v;
  v.value = m.RequiredDouble("value");
  m.RequireRange("value", v.value, lo, hi);
  if (m.Has("tolerance")) {
    v.tolerance = m.Double("tolerance", 0);
    m.RequireRange("tolerance", *v.tolerance, 0, hi);
  }
  v.mark = ParseMark(m, context);
  v.note = m.String("note", "");
  m.Finish();
  return v;
}

bool HasLabel(const std::string& label, const ChangeStreamsSpec& changes) {
  for (const InjectedChange& c : changes.injected) {
    if (c.label == label) return true;
  }
  return false;
}

}  // namespace

OutageSpec ParseOutageBlock(const ConfigNode& node, const ChangeStreamsSpec& changes) {
  YamlMap m(node, "outage");
  OutageSpec spec;
  spec.title = m.RequiredString("title");
  spec.date = m.String("date", "");
  spec.change_label = m.String("change", "");
  spec.culprit_label = m.String("culprit", "");
  spec.t0_delay = m.Duration("t0_delay", SimTime::Zero());
  spec.clock_zero = m.String("clock_zero", "");
  ConfigNode sources = m.Required("sources");
  for (const ConfigNode& sn : sources.AsSequence("outage.sources")) {
    YamlMap s(sn, "outage.sources[]");
    OutageSource source;
    source.title = s.RequiredString("title");
    source.url = s.String("url", "");
    s.Finish();
    spec.sources.push_back(std::move(source));
  }
  if (spec.sources.empty())
    sources.Fail("outage.sources: expected at least one source (title, url)");
  // Every outage states at least when it was detected and when mitigation started
  // (scenarios/outages/README.md): those are what a replay and its counterfactuals are held to.
  const ConfigNode published = m.Has("published") ? m.Required("published") : node;
  if (m.Has("published")) {
    YamlMap p(published, "outage.published");
    for (int i = 0; i < kOutageMomentCount; ++i) {
      const std::string key = OutageMomentKey(static_cast<OutageMoment>(i));
      if (auto n = p.Optional(key))
        spec.published[i] = ParsePublishedTime(*n, "outage.published." + key);
    }
    p.Finish();
  }

  if (auto blast = m.Optional("blast_radius")) {
    YamlMap b(*blast, "outage.blast_radius");
    if (auto n = b.Optional("peak_exposed_fraction")) {
      spec.peak_exposed_fraction =
          ParsePublishedValue(*n, "outage.blast_radius.peak_exposed_fraction", 0, 1);
    }
    if (auto n = b.Optional("impacted_traffic_peak")) {
      spec.impacted_traffic_peak =
          ParsePublishedValue(*n, "outage.blast_radius.impacted_traffic_peak", 0, 1);
    }
    if (auto n = b.Optional("failed_traffic_peak")) {
      spec.failed_traffic_peak =
          ParsePublishedValue(*n, "outage.blast_radius.failed_traffic_peak", 0, 1);
    }
    if (auto n = b.Optional("regions_impacted")) {
      spec.regions_impacted =
          ParsePublishedValue(*n, "outage.blast_radius.regions_impacted", 0, 1e6);
    }
    b.Finish();
  }
  if (auto notes = m.Optional("notes")) {
    for (const ConfigNode& nn : notes->AsSequence("outage.notes")) {
      YamlMap n(nn, "outage.notes[]");
      OutageNote note;
      note.at = n.RequiredDuration("at");
      note.text = n.RequiredString("text");
      n.Finish();
      spec.notes.push_back(std::move(note));
    }
  }
  if (!spec.change_label.empty() && !HasLabel(spec.change_label, changes)) {
    m.Required("change").Fail("outage.change: no injected change is labelled '" +
                              spec.change_label +
                              "'; expected the label of one of changes.injected");
  }
  if (OutageCulpritIndex(spec, changes) < 0) {
    if (!spec.culprit_label.empty()) {
      m.Required("culprit").Fail(
          "outage.culprit: expected the label of an injected change that carries a fault, got '" +
          spec.culprit_label + "'");
    }
    node.Fail(
        "outage: expected an injected change with a fault under changes.injected (the change that "
        "caused the outage)");
  }
  m.Finish();
  for (OutageMoment required : {OutageMoment::kDetection, OutageMoment::kMitigationStart}) {
    if (!spec.Published(required)) {
      published.Fail(std::string("outage.published: expected ") + OutageMomentKey(required) +
                     ": {at: T, tolerance: D} (every outage states when it was detected and when "
                     "mitigation started; mark a time that was not published `mark: assumed`)");
    }
  }
  return spec;
}

}  // namespace fleetsim
