// HTML report (see report_html.h): the page, the summary table as HTML, the inlined vega
// bundles, the chart specs (report_html_charts.h) as one escaped JSON array, and a few lines of
// JavaScript that embed every chart as SVG and record how many rendered.
#include "analysis/report_html.h"

#include <cstdio>
#include <sstream>
#include <string_view>
#include <utility>

#include "analysis/markup_escape.h"
#include "analysis/report_html_charts.h"
#include "web/vega_bundle.h"

namespace fleetsim {
namespace {

using Json = nlohmann::ordered_json;

// JSON text that is safe inside <script>: '<', '>' and '&' can only occur inside JSON strings,
// where their \u escapes mean the same, so no "</script>" or "<!--" can end the element.
std::string ScriptJson(const Json& j) {
  const std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

std::string Printf(const char* fmt, double a, double b = 0, double c = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}
std::string SampleCell(const SampleMetric& m) {
  const SampleSummary& s = m.summary;
  if (s.n == 0) return "&ndash;";
  const bool percent = m.unit.rfind("fraction", 0) == 0;
  const double k = percent ? 100 : 1;
  const char* fmt = percent ? "%.3g%% [%.3g, %.3g]" : "%.4g [%.4g, %.4g]";
  return Printf(fmt, s.mean * k, s.ci95.lo * k, s.ci95.hi * k) + "<br><small>" +
         Printf(percent ? "p50 %.3g%% &middot; p95 %.3g%% &middot; "
                        : "p50 %.4g &middot; p95 %.4g &middot; ",
                s.p50 * k, s.p95 * k) +
         "n=" + std::to_string(s.n) + "</small>";
}

std::string CountOf(const RateSummary& r) {
  return std::to_string(r.count) + "/" + std::to_string(r.trials);
}

std::string RateCell(const RateMetric& m) {
  const RateSummary& r = m.summary;
  if (r.trials == 0) return "&ndash;";
  return Printf("%.2f%% [%.2f, %.2f]", r.rate * 100, r.ci95.lo * 100, r.ci95.hi * 100) +
         "<br><small>" + CountOf(r) + "</small>";
}

void SummaryTable(const Report& report, std::ostringstream& out) {
  if (report.runs.empty()) {
    out << "<p>No runs.</p>\n";
    return;
  }
  const std::vector<std::string> names = RunNames(report);
  out << "<div class=\"scroll\"><table>\n<thead><tr><th>metric</th>";
  for (const std::string& name : names) out << "<th>" << EscapeMarkup(name) << "</th>";
  out << "</tr></thead>\n<tbody>\n";
  const RunSummary& first = report.runs.front().summary;
  for (const SampleMetric& m : first.samples) {
    out << "<tr><th>" << EscapeMarkup(m.name) << " <small>(" << EscapeMarkup(m.unit) << "; over "
        << EscapeMarkup(m.over) << ")</small></th>";
    for (const PolicyRun& run : report.runs) {
      const SampleMetric* here = run.summary.FindSample(m.name);
      out << "<td>" << (here ? SampleCell(*here) : "&ndash;") << "</td>";
    }
    out << "</tr>\n";
  }
  for (const RateMetric& m : first.rates) {
    out << "<tr><th>" << EscapeMarkup(m.name) << " <small>(over " << EscapeMarkup(m.over)
        << ")</small></th>";
    for (const PolicyRun& run : report.runs) {
      const RateMetric* here = run.summary.FindRate(m.name);
      out << "<td>" << (here ? RateCell(*here) : "&ndash;") << "</td>";
    }
    out << "</tr>\n";
  }
  auto total = [&](const char* label, auto field) {
    out << "<tr><th>" << label << "</th>";
    for (const PolicyRun& run : report.runs) out << "<td>" << field(run.summary.totals) << "</td>";
    out << "</tr>\n";
  };
  total("changes (good / bad / latent)", [](const RunTotals& t) {
    return std::to_string(t.changes) + " (" + std::to_string(t.good) + " / " +
           std::to_string(t.bad) + " / " + std::to_string(t.latent) + ")";
  });
  total("detected by automation / human", [](const RunTotals& t) {
    return std::to_string(t.detected_by_automation) + " / " + std::to_string(t.detected_by_human);
  });
  total("unmitigated at end of run",
        [](const RunTotals& t) { return std::to_string(t.unmitigated); });
  out << "</tbody></table></div>\n"
         "<p class=\"note\">Intervals are 95%: Student t for means over the pooled changes of all "
         "replicas, Wilson for rates. Times are in simulated minutes.</p>\n";
}

void SweepTable(const Report& report, std::ostringstream& out) {
  out << "<div class=\"scroll\"><table>\n<thead><tr><th>point</th><th>lead time p50 (min)</th>"
         "<th>mean blast radius</th><th>false-positive rate</th><th>Pareto "
         "front</th></tr></thead>\n<tbody>\n";
  for (const ParetoPoint& p : report.sweep) {
    out << "<tr><th>" << EscapeMarkup(p.label) << "</th><td>" << Printf("%.1f", p.Axis("lead_time"))
        << "</td><td>" << Printf("%.3g%%", p.Axis("blast_radius") * 100) << "</td><td>"
        << Printf("%.3g%%", p.Axis("false_positive_rate") * 100) << "</td><td>"
        << (p.on_front ? "yes" : "") << "</td></tr>\n";
  }
  out << "</tbody></table></div>\n";
}

constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 0 1.5rem 3rem; color: #1d1d1f; line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 1.5rem 0 0.3rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 0.3rem; border-bottom: 1px solid #ddd;
     padding-bottom: 0.2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 0.2rem; }
.note, header p, footer { color: #555; font-size: 0.9rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.6rem 0; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.55rem; vertical-align: top; text-align: left; }
thead th { background: #f3f3f3; }
tbody th { font-weight: 600; }
td small, th small { color: #666; font-weight: normal; }
.chart { margin: 0.5rem 0 1rem; min-height: 40px; }
footer { margin-top: 3rem; border-top: 1px solid #ddd; padding-top: 0.5rem; }
)";

// Embeds every chart as SVG; records how many rendered; logs any failure as a console error.
constexpr const char* kBootstrap = R"(
(function () {
  'use strict';
  var rendered = 0;
  var jobs = FLEETSIM_CHARTS.map(function (chart) {
    var options = {renderer: 'svg', actions: false, mode: 'vega-lite'};
    return vegaEmbed('#' + chart.id, chart.spec, options)
      .then(function () { rendered += 1; })
      .catch(function (error) {
        console.error('fleetsim report: chart ' + chart.id + ' failed: ' + error);
      });
  });
  Promise.all(jobs).then(function () { document.body.dataset.chartsRendered = String(rendered); });
})();
)";

void Chart(std::ostringstream& out, Json& charts, const std::string& id, Json spec) {
  out << "<div class=\"chart\" id=\"" << id << "\"></div>\n";
  charts.push_back({{"id", id}, {"spec", std::move(spec)}});
}

}  // namespace

int HtmlChartCount(const Report& report, const std::vector<Timeline>& samples) {
  return static_cast<int>(samples.size()) + (report.runs.empty() ? 0 : 4) +
         (report.sweep.empty() ? 0 : 1);
}

std::string RenderHtml(const Report& report, const std::vector<Timeline>& samples) {
  const Scenario& sc = *report.scenario;
  const int64_t fleet_hosts = sc.fleet ? sc.fleet->total_hosts() : 0;
  const std::string title = "fleetsim report: " + sc.name;
  const ChartedRuns charted = SelectChartedRuns(report);
  Json charts = Json::array();
  std::ostringstream body;

  body << "<header>\n<h1>" << EscapeMarkup(title) << "</h1>\n<p>";
  if (sc.fleet) {
    body << fleet_hosts << " hosts, " << sc.fleet->regions().size() << " regions, "
         << sc.fleet->clusters().size() << " clusters; ";
  }
  body << EscapeMarkup(FormatDuration(sc.duration)) << " simulated; seed " << report.seed << ", "
       << report.replicas << " replica" << (report.replicas == 1 ? "" : "s")
       << " per policy (the same seeds for every policy).";
  if (!sc.description.empty()) body << "<br>" << EscapeMarkup(sc.description);
  body << "</p>\n</header>\n<main>\n";

  body << "<section>\n<h2>Summary</h2>\n";
  SummaryTable(report, body);
  body << "</section>\n";

  if (!report.sweep.empty()) {
    body << "<section>\n<h2>Sweep: lead time vs blast radius</h2>\n<p class=\"note\">Every "
            "parameter combination; red diamonds are on the Pareto front over (lead time p50, "
            "mean blast radius, false-positive rate): no other point is at least as good on all "
            "three and better on one.</p>\n";
    Chart(body, charts, "chart-pareto", ParetoSpec(report));
    SweepTable(report, body);
    body << "</section>\n";
  }

  body << "<section>\n<h2>Exposure over time</h2>\n<p class=\"note\">Fraction of hosts running "
          "each change in sample replicas: every bad change (solid) and a few good ones (dotted; "
          "false positives first). Dashed rules mark stage starts, up to the stage's size; "
          "triangles mark failing verdicts; squares and diamonds mark rollbacks by automation and "
          "by a person. Hover for details.</p>\n";
  if (samples.empty()) body << "<p>No sample timelines.</p>\n";
  const std::string sample_policy =
      report.runs.empty() ? std::string("policy") : RunNames(report).front();
  for (size_t i = 0; i < samples.size(); ++i) {
    const std::string heading = sample_policy + ", replica " + std::to_string(samples[i].replica);
    body << "<h3>" << EscapeMarkup(heading) << "</h3>\n";
    Chart(body, charts, "chart-exposure-" + std::to_string(i),
          ExposureSpec(samples[i], sc.duration, fleet_hosts, "exposure over time: " + heading));
  }
  body << "</section>\n";

  if (!report.runs.empty()) {
    if (charted.runs.size() < report.runs.size()) {
      body << "<p class=\"note\">The charts below show " << charted.runs.size() << " of "
           << report.runs.size() << " runs: those on the Pareto front first, then the first in "
           << "order.</p>\n";
    }
    body << "<section>\n<h2>Blast radius</h2>\n<p class=\"note\">Peak fraction of hosts that "
            "ran each bad change, over the bad changes of all replicas.</p>\n";
    Chart(body, charts, "chart-blast-radius", BlastRadiusSpec(report, charted));
    body << "</section>\n<section>\n<h2>Time to detect</h2>\n<p class=\"note\">Empirical CDF "
            "of the time from impact start to the first failing verdict or human detection, over "
            "detected bad changes.</p>\n";
    Chart(body, charts, "chart-ttd", TtdCdfSpec(report, charted));
    body << "</section>\n<section>\n<h2>Time to mitigate</h2>\n<p class=\"note\">Empirical CDF "
            "of the time from impact start until no host manifests the fault, over mitigated bad "
            "changes (mean = MTTR).</p>\n";
    Chart(body, charts, "chart-ttm", TtmCdfSpec(report, charted));
    body << "</section>\n<section>\n<h2>False positives vs escapes</h2>\n<p class=\"note\">"
            "Each policy's false-positive rate against its escape rate; bars are Wilson 95% "
            "intervals. Lower left is better.</p>\n";
    Chart(body, charts, "chart-tradeoff", TradeoffSpec(report, charted));
    body << "</section>\n";
  }
  body << "</main>\n<footer>Generated by fleetsim; charts drawn by";
  bool first = true;
  for (const JsBundle& b : ReportJsBundles()) {
    body << (first ? " " : ", ") << b.name << " " << b.version;
    first = false;
  }
  body << ", inlined in this file.</footer>\n";

  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << EscapeMarkup(title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n"
      << "<body data-charts-expected=\"" << charts.size() << "\">\n"
      << body.str();
  for (const JsBundle& b : ReportJsBundles()) {
    out << "<script>/* " << b.name << " " << b.version << " (" << b.file << ") */\n";
    for (std::string_view chunk : b.chunks) out << chunk;
    out << "\n</script>\n";
  }
  out << "<script>\nvar FLEETSIM_CHARTS = " << ScriptJson(charts) << ";\n"
      << kBootstrap << "</script>\n"
      << "</body>\n</html>\n";
  return out.str();
}

}  // namespace fleetsim
