// HTML report: one self-contained page with the summary table and charts of a finished run.
//
// The charts are Vega-Lite specs (report_html_charts.h) with their data inlined, drawn by vega,
// vega-lite and vega-embed, whose minified bundles are compiled into the binary
// (web/vega_bundle.h) and inlined in <script> tags: the page loads nothing from anywhere (its
// Content-Security-Policy forbids it) and opens offline from a file. Charts:
//  - exposure over time (fraction of hosts running each change) of every sample timeline, for
//    its bad changes and a few good ones, with stage starts, failing verdicts and rollbacks;
//  - blast-radius distribution over bad changes, one panel and color per policy;
//  - CDFs of TTD (detected bad changes) and TTM (mitigated bad changes), per policy;
//  - false-positive rate vs escape rate per policy, with Wilson 95% intervals;
//  - for sweeps (Report::sweep non-empty), lead time p50 vs mean blast radius of every point,
//    colored by whether it is on the Pareto front.
// With more than kHtmlMaxSeries runs (a sweep), the per-policy charts show the runs on the
// Pareto front (then the first runs) up to that many; the summary table shows every run.
//
// Each chart is a <div class="chart" id="chart-..."> and the <body> carries
// data-charts-expected="N"; once every chart has been embedded the page sets
// data-charts-rendered to the number that succeeded, and logs console.error for any failure.
// All text from scenario, policy, change and sweep labels is HTML-escaped (and '<', '>', '&'
// are \u-escaped inside the inlined JSON). Rendering is a pure function of its inputs:
// byte-identical for equal inputs.
#pragma once

#include <string>
#include <vector>

#include "analysis/report.h"
#include "analysis/timeline.h"

namespace fleetsim {

inline constexpr int kHtmlMaxSeries = 8;

// `samples` are the timelines (TimelineRecorder) of a few replicas run under the first policy,
// report.runs[0], with the report's seed (so they are replicas of the report itself); each gets
// its own exposure chart, titled with that policy's name and the replica index. May be empty.
// Requires report.scenario.
std::string RenderHtml(const Report& report, const std::vector<Timeline>& samples);

// The number of charts RenderHtml draws for these inputs (data-charts-expected).
int HtmlChartCount(const Report& report, const std::vector<Timeline>& samples);

}  // namespace fleetsim
