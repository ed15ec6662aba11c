#include "analysis/execution_stats.h"

#include <cstdio>

namespace fleetsim {

std::string RenderExecutionStats(const PlanResults& r) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line,
                "execution: %zu rank(s), %lld replicas (%lld resumed from the checkpoint) in "
                "%.3f s\n",
                r.ranks.size(), static_cast<long long>(r.total), static_cast<long long>(r.resumed),
                r.wall_seconds);
  out += line;
  std::snprintf(line, sizeof line, "  %4s %7s %8s %6s %9s %6s %12s %8s\n", "rank", "threads",
                "replicas", "chunks", "busy s", "busy%", "result bytes", "messages");
  out += line;
  int64_t bytes = 0, sent = 0;
  for (const RankStats& s : r.ranks) {
    const double capacity = s.wall_seconds * s.threads;
    std::snprintf(line, sizeof line, "  %4d %7d %8lld %6lld %9.3f %5.0f%% %12lld %8lld\n", s.rank,
                  s.threads, static_cast<long long>(s.replicas), static_cast<long long>(s.chunks),
                  s.busy_seconds, capacity > 0 ? 100 * s.busy_seconds / capacity : 0.0,
                  static_cast<long long>(s.result_bytes), static_cast<long long>(s.messages));
    out += line;
    if (s.rank != 0) {
      bytes += s.result_bytes;
      sent += s.replicas;
    }
  }
  if (sent > 0) {
    std::snprintf(line, sizeof line,
                  "  results sent to rank 0: %lld replicas, %lld bytes (%.0f bytes per replica, "
                  "encoded ReplicaResult)\n",
                  static_cast<long long>(sent), static_cast<long long>(bytes),
                  static_cast<double>(bytes) / static_cast<double>(sent));
    out += line;
  }
  return out;
}

}  // namespace fleetsim
