// Per-change CSV: one row per change per replica (and per policy when several ran). Columns
// are only ever appended (readers may index them): `sev` (the change's SEV level, empty for
// none; sim/severity.h) is the last.
#include <cstdio>
#include <sstream>

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

}  // namespace

std::string RenderCsv(const Report& report) {
  std::ostringstream out;
  out << "policy,replica,change,kind,arrival_min,label,fault,bad,latent,peak_exposed_fraction,"
         "exposed_host_minutes,failed_requests,impacted_traffic_peak,regions_impacted,detected_by,"
         "detected_stage,impact_start_min,ttd_min,ttm_min,lead_time_min,escaped,false_positive,"
         "misattributed,verdicts,failing_verdicts,pauses,dry_run_stops,final_state,sev\n";
  for (const PolicyRun& run : report.runs) {
    for (const ReplicaResult& r : run.replicas) {
      for (const ChangeOutcome& o : r.outcomes) {
        out << Quote(run.policy->name) << ',' << r.replica << ',' << o.id << ','
            << ChangeKindName(o.kind) << ',' << Fixed(o.arrival.minutes(), 3) << ','
            << Quote(o.label) << ',' << Quote(o.fault) << ',' << (o.bad ? 1 : 0) << ','
            << (o.latent ? 1 : 0) << ',' << Fixed(o.peak_exposed_fraction, 6) << ','
            << Fixed(o.exposed_host_minutes, 1) << ',' << o.failed_requests << ','
            << Fixed(o.impacted_traffic_peak, 6) << ',' << o.regions_impacted << ','
            << DetectedByName(o.detected_by) << ',' << Quote(o.detected_stage_name) << ','
            << Minutes(o.impact_start) << ',' << Minutes(o.ttd()) << ',' << Minutes(o.ttm()) << ','
            << Minutes(o.lead_time()) << ',' << (o.escaped ? 1 : 0) << ','
            << (o.false_positive ? 1 : 0) << ',' << (o.misattributed ? 1 : 0) << ',' << o.verdicts
            << ',' << o.failing_verdicts << ',' << o.pauses << ',' << o.dry_run_stops << ','
            << FinalStateName(o.final_state) << ','
            << (o.sev > 0 ? std::to_string(o.sev) : std::string()) << '\n';
      }
    }
  }
  return out.str();
}

}  // namespace fleetsim
