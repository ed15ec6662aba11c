// Per-change CSV: one row per change per replica (and per policy when several ran). Columns
// are only ever appended (readers may index them): `sev` (the change's SEV level, empty for
// none; sim/severity.h) is the last. Each column is one line of Columns() (header + value), so
// the header cannot drift from the rows. The columns are the raw ChangeOutcome fields that the
// metric registry (metrics.h) reduces, not the metrics: a metric such as escape_rate or
// changes_per_replica has no per-change column, and a new metric needs no new column.
#include <cstdio>
#include <sstream>
#include <vector>

#include "analysis/report.h"

namespace fleetsim {
namespace {

std::string Minutes(const std::optional<SimTime>& t) {
  if (!t) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", t->minutes());
  return buf;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Flag(bool b) { return b ? "1" : "0"; }

// The per-change columns after `policy,replica`, in file order: a header and the change's value.
struct Column {
  const char* header;
  std::string (*value)(const ChangeOutcome& o);
};

const std::vector<Column>& Columns() {
  using O = const ChangeOutcome&;
  static const std::vector<Column> columns = {
      {"change", [](O o) { return std::to_string(o.id); }},
      {"kind", [](O o) { return std::string(ChangeKindName(o.kind)); }},
      {"arrival_min", [](O o) { return Fixed(o.arrival.minutes(), 3); }},
      {"label", [](O o) { return Quote(o.label); }},
      {"fault", [](O o) { return Quote(o.fault); }},
      {"bad", [](O o) { return Flag(o.bad); }},
      {"latent", [](O o) { return Flag(o.latent); }},
      {"peak_exposed_fraction", [](O o) { return Fixed(o.peak_exposed_fraction, 6); }},
      {"exposed_host_minutes", [](O o) { return Fixed(o.exposed_host_minutes, 1); }},
      {"failed_requests", [](O o) { return std::to_string(o.failed_requests); }},
      {"impacted_traffic_peak", [](O o) { return Fixed(o.impacted_traffic_peak, 6); }},
      {"regions_impacted", [](O o) { return std::to_string(o.regions_impacted); }},
      {"detected_by", [](O o) { return std::string(DetectedByName(o.detected_by)); }},
      {"detected_stage", [](O o) { return Quote(o.detected_stage_name); }},
      {"impact_start_min", [](O o) { return Minutes(o.impact_start); }},
      {"ttd_min", [](O o) { return Minutes(o.ttd()); }},
      {"ttm_min", [](O o) { return Minutes(o.ttm()); }},
      {"lead_time_min", [](O o) { return Minutes(o.lead_time()); }},
      {"escaped", [](O o) { return Flag(o.escaped); }},
      {"false_positive", [](O o) { return Flag(o.false_positive); }},
      {"misattributed", [](O o) { return Flag(o.misattributed); }},
      {"verdicts", [](O o) { return std::to_string(o.verdicts); }},
      {"failing_verdicts", [](O o) { return std::to_string(o.failing_verdicts); }},
      {"pauses", [](O o) { return std::to_string(o.pauses); }},
      {"dry_run_stops", [](O o) { return std::to_string(o.dry_run_stops); }},
      {"unacted_verdicts", [](O o) { return std::to_string(o.unacted_verdicts); }},
      {"final_state", [](O o) { return std::string(FinalStateName(o.final_state)); }},
      {"sev", [](O o) { return o.sev > 0 ? std::to_string(o.sev) : std::string(); }},
  };
  return columns;
}

}  // namespace

std::string RenderCsv(const Report& report) {
  std::ostringstream out;
  out << "policy,replica";
  for (const Column& c : Columns()) out << ',' << c.header;
  out << '\n';
  for (const PolicyRun& run : report.runs) {
    for (const ReplicaResult& r : run.replicas) {
      for (const ChangeOutcome& o : r.outcomes) {
        out << Quote(run.policy->name) << ',' << r.replica;
        for (const Column& c : Columns()) out << ',' << c.value(o);
        out << '\n';
      }
    }
  }
  return out.str();
}

}  // namespace fleetsim
