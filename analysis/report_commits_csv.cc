// Per-commit CSV (`--commits-csv F`): one row per commit per replica (and per policy when
// several ran), for scenarios with a commit stream: when it landed, its ground truth and risk
// score, what became of it, its last release and its lead time. Empty but for the header when
// no run has commits.
#include <cstdio>
#include <sstream>

#include "analysis/report.h"

namespace fleetsim {
namespace {

std::string Number(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string RenderCommitsCsv(const Report& report) {
  std::ostringstream out;
  out << "policy,replica,commit,landed_min,bad,risk,fate,release,reached_full,lead_time_min\n";
  for (const PolicyRun& run : report.runs) {
    for (const ReplicaResult& r : run.replicas) {
      if (!r.commit_flow) continue;
      for (const CommitRecord& c : r.commit_flow->commits) {
        out << Quoted(run.policy->name) << ',' << r.replica << ',' << c.id << ','
            << Number(c.landed.minutes(), 3) << ',' << (c.bad ? 1 : 0) << ',' << Number(c.risk, 6)
            << ',' << CommitFateName(c.fate) << ',' << c.release << ',' << (c.reached_full ? 1 : 0)
            << ',' << (c.lead_time() ? Number(c.lead_time()->minutes(), 3) : std::string()) << '\n';
      }
    }
  }
  return out.str();
}

}  // namespace fleetsim
