// The Vega-Lite specs behind the HTML report's charts (report_html.h says what each shows).
//
// Each function returns one complete Vega-Lite spec (an nlohmann::ordered_json object, so key
// order and thus the page are deterministic) with its data inlined; RenderHtml embeds them.
// Pure functions of their inputs; safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/report.h"
#include "analysis/report_html.h"
#include "analysis/timeline.h"
#include "sim/sim_time.h"

namespace fleetsim {

using VegaLiteSpec = nlohmann::ordered_json;

// One display name per run, unique: the sweep point's label when report.sweep matches the runs
// one to one, else the policy's name; repeats get " (2)", " (3)", ...
std::vector<std::string> RunNames(const Report& report);

// The runs the per-policy charts show: all of them, or with more than kHtmlMaxSeries, the
// Pareto front first (by lead time) and then the first runs, up to that many, in run order.
struct ChartedRuns {
  std::vector<size_t> runs;        // indices into report.runs
  std::vector<std::string> names;  // their RunNames
  VegaLiteSpec color;              // the color encoding every per-policy chart shares
};
ChartedRuns SelectChartedRuns(const Report& report);

// (a) Exposure of one sample timeline's bad changes and a few good ones until `end`, as the
// fraction of the timeline's scope_hosts (or `fleet_hosts` when that is 0).
VegaLiteSpec ExposureSpec(const Timeline& timeline, SimTime end, int64_t fleet_hosts,
                          const std::string& description);
// (b) Histogram of the blast radius of bad changes, one row and color per run.
VegaLiteSpec BlastRadiusSpec(const Report& report, const ChartedRuns& charted);
// (c), (d) Empirical CDFs of TTD over detected and TTM over mitigated bad changes.
VegaLiteSpec TtdCdfSpec(const Report& report, const ChartedRuns& charted);
VegaLiteSpec TtmCdfSpec(const Report& report, const ChartedRuns& charted);
// (e) False-positive rate vs escape rate per run, with Wilson 95% intervals.
VegaLiteSpec TradeoffSpec(const Report& report, const ChartedRuns& charted);
// (f) Lead time p50 vs mean blast radius of every sweep point, colored by Pareto front.
VegaLiteSpec ParetoSpec(const Report& report);

}  // namespace fleetsim
