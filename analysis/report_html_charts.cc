// Vega-Lite specs of the HTML report's charts (see report_html.h for what each shows), built
// with nlohmann::ordered_json, with their data inlined and numbers rounded so the page stays
// small. Pure functions of their inputs.
#include "analysis/report_html_charts.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace fleetsim {
namespace {

constexpr int kChartWidth = 720;
constexpr size_t kMaxBadPerSample = 10;  // bad changes drawn per sample timeline
constexpr size_t kMaxStoppedGood = 3;    // good changes stopped by a verdict (false positives)
constexpr size_t kMaxOtherGood = 3;      // other good changes
constexpr size_t kMaxCdfSteps = 400;     // an ECDF with more distinct values is thinned

double Round(double x, double scale = 1e6) { return std::round(x * scale) / scale; }

VegaLiteSpec Field(const char* field, const char* type, const char* title) {
  return {{"field", field}, {"type", type}, {"title", title}};
}

VegaLiteSpec PercentAxis() { return {{"format", "~%"}}; }

// Front points first (by lead time), then the rest, in run order.
std::vector<size_t> ChartedIndices(const Report& report) {
  const size_t n = report.runs.size();
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  if (n <= static_cast<size_t>(kHtmlMaxSeries)) return order;
  if (report.sweep.size() == n) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const ParetoPoint& pa = report.sweep[a];
      const ParetoPoint& pb = report.sweep[b];
      if (pa.on_front != pb.on_front) return pa.on_front;
      return pa.on_front && pa.Axis("lead_time") < pb.Axis("lead_time");
    });
  }
  order.resize(static_cast<size_t>(kHtmlMaxSeries));
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace

// ---- Which runs the per-policy charts show, and under which names ----

std::vector<std::string> RunNames(const Report& report) {
  const bool sweep = report.sweep.size() == report.runs.size();
  std::vector<std::string> names;
  std::set<std::string> used;
  for (size_t i = 0; i < report.runs.size(); ++i) {
    std::string base = sweep && !report.sweep[i].label.empty() ? report.sweep[i].label
                       : report.runs[i].policy                 ? report.runs[i].policy->name
                                                               : "policy " + std::to_string(i + 1);
    std::string name = base;
    for (int k = 2; used.count(name); ++k) name = base + " (" + std::to_string(k) + ")";
    used.insert(name);
    names.push_back(name);
  }
  return names;
}

ChartedRuns SelectChartedRuns(const Report& report) {
  ChartedRuns c;
  const std::vector<std::string> all = RunNames(report);
  c.runs = ChartedIndices(report);
  VegaLiteSpec domain = VegaLiteSpec::array();
  for (size_t i : c.runs) {
    c.names.push_back(all[i]);
    domain.push_back(all[i]);
  }
  c.color = {{"field", "p"},
             {"type", "nominal"},
             {"title", "policy"},
             {"scale", {{"domain", domain}, {"scheme", "tableau10"}}},
             {"legend", {{"labelLimit", 360}}}};
  return c;
}

// ---- (a) exposure over time of one sample timeline ----

namespace {

struct Track {
  int64_t id = 0;
  std::string fault = "good";                        // fault name, or "good"
  bool impact = false;                               // the fault manifested (a bad change)
  bool stopped = false;                              // a failing verdict or a rollback
  std::vector<std::pair<SimTime, double>> exposure;  // breakpoints, in hosts
  std::vector<const TimelineEvent*> marks;           // stage starts, failing verdicts, rollbacks
};

double ExposureAt(const Track& t, SimTime when) {
  double value = 0;
  for (size_t i = 0; i < t.exposure.size(); ++i) {
    const auto& [time, hosts] = t.exposure[i];
    if (time > when) {
      if (i == 0) return 0;
      const auto& [t0, h0] = t.exposure[i - 1];
      const double span = static_cast<double>((time - t0).millis());
      return span <= 0 ? hosts
                       : h0 + (hosts - h0) * static_cast<double>((when - t0).millis()) / span;
    }
    value = hosts;
  }
  return value;
}

std::vector<Track> Tracks(const Timeline& timeline) {
  std::vector<Track> tracks;
  std::map<int64_t, size_t> index;
  auto track = [&](int64_t id) -> Track& {
    auto [it, inserted] = index.emplace(id, tracks.size());
    if (inserted) {
      tracks.emplace_back();
      tracks.back().id = id;
    }
    return tracks[it->second];
  };
  for (const TimelineEvent& e : timeline.events) {
    if (e.change < 0) continue;
    switch (e.kind) {
      case TimelineKind::kArrived:
        track(e.change).fault = e.text;
        break;
      case TimelineKind::kExposure:
        track(e.change).exposure.emplace_back(e.time, e.value);
        break;
      case TimelineKind::kImpactBegan:
        track(e.change).impact = true;
        break;
      case TimelineKind::kStepStarted:
        track(e.change).marks.push_back(&e);
        break;
      case TimelineKind::kVerdict:
        if (e.text.rfind("fail", 0) == 0) {
          track(e.change).stopped = true;
          track(e.change).marks.push_back(&e);
        }
        break;
      case TimelineKind::kRollbackStarted:
        track(e.change).stopped = true;
        track(e.change).marks.push_back(&e);
        break;
      default:
        break;
    }
  }
  return tracks;
}

// The bad changes and a few good ones (false positives first), in arrival order.
std::vector<const Track*> SelectTracks(const std::vector<Track>& tracks) {
  std::vector<const Track*> chosen;
  size_t bad = 0, stopped = 0, other = 0;
  for (const Track& t : tracks) {
    if (t.exposure.empty()) continue;
    if (t.impact) {
      if (bad++ < kMaxBadPerSample) chosen.push_back(&t);
    } else if (t.stopped) {
      if (stopped++ < kMaxStoppedGood) chosen.push_back(&t);
    }
  }
  for (const Track& t : tracks) {
    if (t.exposure.empty() || t.impact || t.stopped) continue;
    if (other++ < kMaxOtherGood) chosen.push_back(&t);
  }
  std::sort(chosen.begin(), chosen.end(),
            [](const Track* a, const Track* b) { return a->id < b->id; });
  return chosen;
}
}  // namespace

VegaLiteSpec ExposureSpec(const Timeline& timeline, SimTime end, int64_t fleet_hosts,
                          const std::string& title) {
  const double hosts =
      static_cast<double>(timeline.scope_hosts > 0 ? timeline.scope_hosts : fleet_hosts);
  const std::vector<Track> tracks = Tracks(timeline);
  const std::vector<const Track*> chosen = SelectTracks(tracks);
  auto hours = [](SimTime t) { return Round(t.minutes() / 60.0, 1e5); };
  auto fraction = [&](double h) { return hosts > 0 ? Round(h / hosts) : 0.0; };

  VegaLiteSpec labels = VegaLiteSpec::array(), lines = VegaLiteSpec::array(),
               stages = VegaLiteSpec::array(), events = VegaLiteSpec::array();
  for (const Track* t : chosen) {
    const std::string kind = t->impact ? "bad" : t->fault != "good" ? "latent" : "good";
    const std::string label = "#" + std::to_string(t->id) + " " +
                              (t->fault == "good" ? "good" : t->fault) +
                              (t->impact || t->fault == "good" ? "" : " (latent)");
    labels.push_back(label);
    int i = 0;
    for (const auto& [time, value] : t->exposure) {
      lines.push_back(
          {{"c", label}, {"kind", kind}, {"i", i++}, {"t", hours(time)}, {"f", fraction(value)}});
    }
    const auto& [last_time, last_value] = t->exposure.back();
    if (last_value > 0 && last_time < end) {
      lines.push_back({{"c", label},
                       {"kind", kind},
                       {"i", i++},
                       {"t", hours(end)},
                       {"f", fraction(last_value)}});
    }
    for (const TimelineEvent* e : t->marks) {
      if (e->kind == TimelineKind::kStepStarted) {
        // A rule from 0 up to the level the stage moves to (the next breakpoint's exposure).
        auto next =
            std::upper_bound(t->exposure.begin(), t->exposure.end(), e->time,
                             [](SimTime when, const auto& point) { return when < point.first; });
        const double target = next != t->exposure.end() ? next->second : ExposureAt(*t, e->time);
        stages.push_back({{"c", label},
                          {"t", hours(e->time)},
                          {"f0", 0},
                          {"f", fraction(target)},
                          {"what", "stage " + e->text + " starts"}});
        continue;
      }
      const std::string ev =
          e->kind == TimelineKind::kVerdict ? "failing verdict" : "rollback (" + e->text + ")";
      events.push_back({{"c", label},
                        {"t", hours(e->time)},
                        {"f", fraction(ExposureAt(*t, e->time))},
                        {"ev", ev},
                        {"what", e->text}});
    }
  }

  VegaLiteSpec x = Field("t", "quantitative", "simulated time (h)");
  x["scale"] = {{"domain", {0, hours(end)}}, {"nice", false}};
  VegaLiteSpec y = Field("f", "quantitative", "fraction of hosts running the change (sqrt scale)");
  y["scale"] = {{"type", "sqrt"}, {"domain", {0, 1}}};
  y["axis"] = {
      {"format", "~%"}, {"values", {0, 0.01, 0.05, 0.1, 0.25, 0.5, 1}}, {"labelOverlap", false}};
  VegaLiteSpec color = Field("c", "nominal", "change");
  color["scale"] = {{"domain", labels},
                    {"scheme", labels.size() <= 10 ? "tableau10" : "tableau20"}};
  VegaLiteSpec dash = Field("kind", "nominal", "ground truth");
  dash["scale"] = {{"domain", {"bad", "latent", "good"}}};
  VegaLiteSpec shape = Field("ev", "nominal", "event");
  shape["scale"] = {{"domain", {"failing verdict", "rollback (automation)", "rollback (human)"}},
                    {"range", {"triangle-up", "square", "diamond"}}};
  VegaLiteSpec t_tip = Field("t", "quantitative", "time (h)");
  t_tip["format"] = ".3f";
  VegaLiteSpec f_tip = Field("f", "quantitative", "exposed");
  f_tip["format"] = ".2%";

  VegaLiteSpec line_layer = {{"data", {{"values", lines}}},
                             {"mark", {{"type", "line"}, {"strokeWidth", 1.8}}},
                             {"encoding",
                              {{"x", x},
                               {"y", y},
                               {"color", color},
                               {"strokeDash", dash},
                               {"order", {{"field", "i"}}},
                               {"tooltip", {Field("c", "nominal", "change"), t_tip, f_tip}}}}};
  VegaLiteSpec stage_layer = {
      {"data", {{"values", stages}}},
      {"mark", {{"type", "rule"}, {"strokeDash", {2, 2}}, {"opacity", 0.7}}},
      {"encoding",
       {{"x", Field("t", "quantitative", "")},
        {"y", Field("f0", "quantitative", "")},
        {"y2", {{"field", "f"}}},
        {"color", Field("c", "nominal", "change")},
        {"tooltip", {Field("c", "nominal", "change"), Field("what", "nominal", "event"), t_tip}}}}};
  VegaLiteSpec event_layer = {
      {"data", {{"values", events}}},
      {"mark", {{"type", "point"}, {"filled", true}, {"size", 90}, {"opacity", 0.95}}},
      {"encoding",
       {{"x", Field("t", "quantitative", "")},
        {"y", Field("f", "quantitative", "")},
        {"color", Field("c", "nominal", "change")},
        {"shape", shape},
        {"tooltip",
         {Field("c", "nominal", "change"), Field("what", "nominal", "event"), t_tip, f_tip}}}}};
  return {{"description", title},
          {"width", kChartWidth},
          {"height", 280},
          {"layer", {line_layer, stage_layer, event_layer}},
          {"resolve", {{"legend", {{"color", "shared"}}}}}};
}

// ---- (b) blast radius, (c)/(d) CDFs, (e) FP vs escapes, (f) Pareto ----

VegaLiteSpec BlastRadiusSpec(const Report& report, const ChartedRuns& charted) {
  // Equal values (stage fractions recur) are counted once with a weight.
  VegaLiteSpec rows = VegaLiteSpec::array();
  for (size_t k = 0; k < charted.runs.size(); ++k) {
    std::map<double, int64_t> counts;
    for (const ReplicaResult& r : report.runs[charted.runs[k]].replicas) {
      for (const ChangeOutcome& o : r.outcomes) {
        if (o.bad) ++counts[Round(o.peak_exposed_fraction)];
      }
    }
    for (const auto& [value, n] : counts)
      rows.push_back({{"p", charted.names[k]}, {"x", value}, {"n", n}});
  }
  VegaLiteSpec bin = {{"extent", {0, 1}}, {"step", 0.02}};
  VegaLiteSpec x =
      Field("x", "quantitative", "blast radius: peak fraction of hosts running the bad change");
  x["bin"] = bin;
  x["axis"] = {{"format", "~%"}, {"values", {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}}};
  VegaLiteSpec x_tip = Field("x", "quantitative", "blast radius");
  x_tip["bin"] = bin;
  x_tip["format"] = ".0%";
  VegaLiteSpec y = {
      {"aggregate", "sum"}, {"field", "n"}, {"type", "quantitative"}, {"title", "bad changes"}};
  if (rows.empty()) {  // no bad change: fixed domains instead of the extent of no data
    x["scale"] = {{"domain", {0, 1}}};
    y["scale"] = {{"domain", {0, 1}}};
  }
  VegaLiteSpec row = Field("p", "nominal", "");
  row["title"] = nullptr;
  row["sort"] = charted.names;
  row["header"] = {{"labelAngle", 0},
                   {"labelOrient", "top"},
                   {"labelAnchor", "start"},
                   {"labelLimit", 600},
                   {"labelFontWeight", "bold"}};
  return {{"description", "blast radius of bad changes"},
          {"data", {{"values", rows}}},
          {"width", kChartWidth},
          {"height", 90},
          {"mark", {{"type", "bar"}}},
          {"encoding",
           {{"x", x},
            {"y", y},
            {"color", charted.color},
            {"row", row},
            {"tooltip",
             {Field("p", "nominal", "policy"),
              x_tip,
              {{"aggregate", "sum"},
               {"field", "n"},
               {"type", "quantitative"},
               {"title", "bad changes"}}}}}}};
}
namespace {

// Axis values for a symlog axis up to `max`: 0, 1, 2, 5, 10, 20, 50, ... (the default ticks
// of a symlog scale crowd its logarithmic part).
VegaLiteSpec SymlogTicks(double max) {
  VegaLiteSpec ticks = {0};
  for (double decade = 1; decade <= std::max(max, 1.0); decade *= 10) {
    for (double m : {1, 2, 5}) {
      if (m * decade <= std::max(max, 1.0)) ticks.push_back(m * decade);
    }
  }
  return ticks;
}

// Empirical CDF of one duration over the bad changes of every charted run.
template <typename Duration>
VegaLiteSpec CdfSpec(const Report& report, const ChartedRuns& charted, Duration duration,
                     const char* x_title, const char* y_title) {
  VegaLiteSpec rows = VegaLiteSpec::array();
  double max_x = 0;
  for (size_t k = 0; k < charted.runs.size(); ++k) {
    std::vector<double> xs;
    for (const ReplicaResult& r : report.runs[charted.runs[k]].replicas) {
      for (const ChangeOutcome& o : r.outcomes) {
        if (!o.bad) continue;
        if (std::optional<SimTime> d = duration(o)) xs.push_back(d->minutes());
      }
    }
    if (xs.empty()) continue;
    std::sort(xs.begin(), xs.end());
    std::vector<size_t> ends;  // one past the last copy of each distinct value
    for (size_t i = 0; i < xs.size();) {
      i = static_cast<size_t>(
          std::upper_bound(xs.begin() + static_cast<std::ptrdiff_t>(i), xs.end(), xs[i]) -
          xs.begin());
      ends.push_back(i);
    }
    if (ends.size() > kMaxCdfSteps) {
      std::vector<size_t> thinned;
      for (size_t m = 1; m <= kMaxCdfSteps; ++m)
        thinned.push_back(ends[m * ends.size() / kMaxCdfSteps - 1]);
      ends = std::move(thinned);
    }
    max_x = std::max(max_x, xs.back());
    const double n = static_cast<double>(xs.size());
    int i = 0;
    rows.push_back({{"p", charted.names[k]}, {"i", i++}, {"x", Round(xs.front(), 1e3)}, {"y", 0}});
    for (size_t end : ends) {
      rows.push_back({{"p", charted.names[k]},
                      {"i", i++},
                      {"x", Round(xs[end - 1], 1e3)},
                      {"y", Round(static_cast<double>(end) / n)}});
    }
  }
  VegaLiteSpec x = Field("x", "quantitative", x_title);
  x["scale"] = {{"type", "symlog"}};
  if (rows.empty()) x["scale"]["domain"] = {0, 1};  // nothing detected or mitigated
  x["axis"] = {{"values", SymlogTicks(max_x)}};
  VegaLiteSpec y = Field("y", "quantitative", y_title);
  y["scale"] = {{"domain", {0, 1}}};
  y["axis"] = PercentAxis();
  VegaLiteSpec x_tip = Field("x", "quantitative", "minutes");
  x_tip["format"] = ".1f";
  VegaLiteSpec y_tip = Field("y", "quantitative", "fraction at or below");
  y_tip["format"] = ".1%";
  return {{"description", x_title},
          {"data", {{"values", rows}}},
          {"width", kChartWidth},
          {"height", 260},
          {"mark", {{"type", "line"}, {"interpolate", "step-after"}, {"point", {{"size", 12}}}}},
          {"encoding",
           {{"x", x},
            {"y", y},
            {"color", charted.color},
            {"order", {{"field", "i"}}},
            {"tooltip", {Field("p", "nominal", "policy"), x_tip, y_tip}}}}};
}

std::string CountOf(const RateSummary& r) {
  return std::to_string(r.count) + "/" + std::to_string(r.trials);
}
}  // namespace

VegaLiteSpec TtdCdfSpec(const Report& report, const ChartedRuns& charted) {
  return CdfSpec(
      report, charted, [](const ChangeOutcome& o) { return o.ttd(); },
      "time to detect (simulated minutes, symlog scale)", "fraction of detected bad changes");
}

VegaLiteSpec TtmCdfSpec(const Report& report, const ChartedRuns& charted) {
  return CdfSpec(
      report, charted, [](const ChangeOutcome& o) { return o.ttm(); },
      "time to mitigate (simulated minutes, symlog scale)", "fraction of mitigated bad changes");
}

VegaLiteSpec TradeoffSpec(const Report& report, const ChartedRuns& charted) {
  VegaLiteSpec rows = VegaLiteSpec::array();
  for (size_t k = 0; k < charted.runs.size(); ++k) {
    const RunSummary& s = report.runs[charted.runs[k]].summary;
    const RateMetric* fp = s.FindRate("false_positive_rate");
    const RateMetric* esc = s.FindRate("escape_rate");
    if (!fp || !esc) continue;
    rows.push_back({{"p", charted.names[k]},
                    {"fp", Round(fp->summary.rate)},
                    {"fp_lo", Round(fp->summary.ci95.lo)},
                    {"fp_hi", Round(fp->summary.ci95.hi)},
                    {"fp_n", CountOf(fp->summary)},
                    {"esc", Round(esc->summary.rate)},
                    {"esc_lo", Round(esc->summary.ci95.lo)},
                    {"esc_hi", Round(esc->summary.ci95.hi)},
                    {"esc_n", CountOf(esc->summary)}});
  }
  VegaLiteSpec x =
      Field("fp", "quantitative", "false-positive rate (good changes stopped by a verdict)");
  x["axis"] = {{"format", "~%"}, {"tickCount", 8}};
  VegaLiteSpec y =
      Field("esc", "quantitative", "escape rate (bad changes undetected at their final stage)");
  y["axis"] = PercentAxis();
  auto pct = [](const char* field, const char* title) {
    VegaLiteSpec f = Field(field, "quantitative", title);
    f["format"] = ".2%";
    return f;
  };
  VegaLiteSpec tooltip = {Field("p", "nominal", "policy"),
                          pct("fp", "false-positive rate"),
                          pct("fp_lo", "FP 95% low"),
                          pct("fp_hi", "FP 95% high"),
                          Field("fp_n", "nominal", "stopped/good"),
                          pct("esc", "escape rate"),
                          pct("esc_lo", "escape 95% low"),
                          pct("esc_hi", "escape 95% high"),
                          Field("esc_n", "nominal", "escaped/bad")};
  VegaLiteSpec x_bar = {
      {"x", Field("fp_lo", "quantitative", "")}, {"x2", {{"field", "fp_hi"}}}, {"y", y}};
  VegaLiteSpec y_bar = {
      {"y", Field("esc_lo", "quantitative", "")}, {"y2", {{"field", "esc_hi"}}}, {"x", x}};
  x_bar["color"] = charted.color;
  y_bar["color"] = charted.color;
  VegaLiteSpec point = {{"x", x}, {"y", y}, {"color", charted.color}, {"tooltip", tooltip}};
  VegaLiteSpec text = {{"x", x}, {"y", y}, {"text", {{"field", "p"}}}};
  return {{"description", "false-positive rate vs escape rate"},
          {"data", {{"values", rows}}},
          {"width", kChartWidth},
          {"height", 320},
          {"layer",
           {{{"mark", {{"type", "rule"}, {"strokeWidth", 1.5}}}, {"encoding", x_bar}},
            {{"mark", {{"type", "rule"}, {"strokeWidth", 1.5}}}, {"encoding", y_bar}},
            {{"mark", {{"type", "point"}, {"filled", true}, {"size", 110}}}, {"encoding", point}},
            {{"mark", {{"type", "text"}, {"align", "left"}, {"dx", 9}, {"dy", -9}}},
             {"encoding", text}}}}};
}

VegaLiteSpec ParetoSpec(const Report& report) {
  VegaLiteSpec rows = VegaLiteSpec::array();
  for (const ParetoPoint& p : report.sweep) {
    rows.push_back({{"label", p.label},
                    {"lead", Round(p.Axis("lead_time"), 1e3)},
                    {"blast", Round(p.Axis("blast_radius"))},
                    {"fpr", Round(p.Axis("false_positive_rate"))},
                    {"front", p.on_front ? "on the Pareto front" : "dominated"}});
  }
  VegaLiteSpec y = Field("blast", "quantitative", "mean blast radius (fraction of hosts)");
  y["axis"] = PercentAxis();
  VegaLiteSpec color = Field("front", "nominal", "");
  color["scale"] = {{"domain", {"on the Pareto front", "dominated"}},
                    {"range", {"#d62728", "#9e9e9e"}}};
  VegaLiteSpec shape = color;
  shape["scale"] = {{"domain", {"on the Pareto front", "dominated"}},
                    {"range", {"diamond", "circle"}}};
  VegaLiteSpec lead_tip = Field("lead", "quantitative", "lead time p50 (min)");
  lead_tip["format"] = ".1f";
  VegaLiteSpec blast_tip = Field("blast", "quantitative", "mean blast radius");
  blast_tip["format"] = ".2%";
  VegaLiteSpec fpr_tip = Field("fpr", "quantitative", "false-positive rate");
  fpr_tip["format"] = ".2%";
  return {{"description", "sweep: lead time vs blast radius"},
          {"data", {{"values", rows}}},
          {"width", kChartWidth},
          {"height", 320},
          {"mark", {{"type", "point"}, {"filled", true}, {"size", 90}}},
          {"encoding",
           {{"x", Field("lead", "quantitative", "lead time p50 (simulated minutes)")},
            {"y", y},
            {"color", color},
            {"shape", shape},
            {"tooltip", {Field("label", "nominal", "point"), lead_tip, blast_tip, fpr_tip}}}}};
}

}  // namespace fleetsim
