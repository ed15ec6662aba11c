// Implementation of analysis/resource_estimate.h. The constants are the engine's measured costs
// on the reference machine (docs/performance.md, "Scaling curves" and the Meta-scale day).
#include "analysis/resource_estimate.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "analysis/change_outcome.h"

namespace fleetsim {
namespace {

// With per-minute noise every cell is drawn each tick: ~40 ns per cell-tick (241-320 us per
// tick over 4,800 cells; 0.8 ms over the Meta day's 20,000).
constexpr double kCellTickSeconds = 40e-9;
// Without it (AggregationExact) whole runs of cells are sampled at once: ~0.45 us per cluster
// per tick (mc-staged-change: 21 us per tick over 48 clusters), and a change in flight adds
// ~50 ns per cluster it splits.
constexpr double kClusterTickSeconds = 0.45e-6;
constexpr double kChangeClusterTickSeconds = 50e-9;
// CPU per change in flight per tick on top of that: ~0.4 us (100,000 changes a day in the Meta
// day: ~2.4 of its 3.5 s).
constexpr double kChangeTickSeconds = 0.4e-6;
// Minutes a change is in flight (72 min per rollout in config-day; ~43 min in the Meta day).
constexpr double kChangeLifetimeMinutes = 60;
// Per replica in flight: per-cell sampling state and per-change rollout state (~1.5 KB).
constexpr double kCellBytes = 400;
constexpr double kChangeBytes = 1536;
// Kept per change per finished replica until the report is written, and per CSV row.
constexpr double kOutcomeBytes = sizeof(ChangeOutcome) + 64;
constexpr double kCsvRowBytes = 300;
// The process itself: code, TBB, the scenario.
constexpr double kBaseBytes = 16.0 * 1024 * 1024;

std::string Thousands(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  std::string digits = buf, out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string FormatBytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) bytes /= 1024, ++u;
  char buf[64];
  std::snprintf(buf, sizeof buf, bytes < 10 && u > 0 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
  return buf;
}

std::string FormatSeconds(double s) {
  char buf[64];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%.0f min %.0f s", std::floor(s / 60), std::fmod(s, 60));
  else if (s < 86400)
    std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  else
    std::snprintf(buf, sizeof buf, "%.3g days", s / 86400);
  return buf;
}

std::string ResourceEstimate::Describe() const {
  return "about " + FormatBytes(memory_bytes) + " of memory and " + FormatSeconds(wall_seconds) +
         " (" + FormatSeconds(cpu_seconds) + " of CPU): " + Thousands(double(replica_runs)) +
         " replica runs of " + Thousands(double(cells)) + " cells x " + Thousands(double(ticks)) +
         " ticks with ~" + Thousands(changes_per_replica) + " changes each";
}

ResourceEstimate EstimateRun(const Scenario& scenario, const RunShape& shape) {
  ResourceEstimate e;
  e.cells = scenario.fleet ? static_cast<int64_t>(scenario.fleet->cells().size()) : 0;
  const double tick_ms = static_cast<double>(std::max<int64_t>(1, scenario.tick.millis()));
  e.ticks =
      static_cast<int64_t>(std::ceil(static_cast<double>(scenario.duration.millis()) / tick_ms));
  const double days = scenario.duration.hours() / 24;
  e.changes_per_replica = scenario.changes.config.per_day * days +
                          scenario.changes.commits.per_day * days +
                          static_cast<double>(scenario.changes.injected.size());
  e.replica_runs = static_cast<int64_t>(shape.replicas) * std::max(1, shape.runs);
  const double lifetime_ticks = std::max(
      1.0, std::min(static_cast<double>(e.ticks), kChangeLifetimeMinutes * 60'000 / tick_ms));
  const double clusters =
      scenario.fleet ? static_cast<double>(scenario.fleet->clusters().size()) : 0;
  const bool quiet = scenario.signals.AggregationExact() && scenario.signals.allow_aggregation;
  const double per_tick =
      quiet ? clusters * kClusterTickSeconds : static_cast<double>(e.cells) * kCellTickSeconds;
  const double per_change_tick =
      kChangeTickSeconds + (quiet ? clusters * kChangeClusterTickSeconds : 0);
  const double replica_cpu = static_cast<double>(e.ticks) * per_tick +
                             e.changes_per_replica * lifetime_ticks * per_change_tick;
  e.cpu_seconds = replica_cpu * static_cast<double>(e.replica_runs);
  const int parallel = std::max(1, std::min(shape.threads, shape.replicas));
  e.wall_seconds = e.cpu_seconds / parallel;
  const double in_flight =
      parallel * (static_cast<double>(e.cells) * kCellBytes + e.changes_per_replica * kChangeBytes);
  const double kept = static_cast<double>(e.replica_runs) * e.changes_per_replica *
                      (kOutcomeBytes + (shape.per_change_rows ? kCsvRowBytes : 0));
  e.memory_bytes = kBaseBytes + in_flight + kept;
  return e;
}

Status CheckResourceLimits(const ResourceEstimate& e, double max_memory_bytes,
                           double max_wall_seconds) {
  if (max_memory_bytes > 0 && e.memory_bytes > max_memory_bytes) {
    return Status::Error("refusing to start: the run needs " + e.Describe() +
                         "; that is more than --max-memory " + FormatBytes(max_memory_bytes) +
                         " (default: this machine's memory). Expected fewer replicas, changes "
                         "or cells, or pass --max-memory " +
                         std::to_string(static_cast<long long>(
                             std::ceil(e.memory_bytes * 1.5 / (1024.0 * 1024 * 1024)))) +
                         "G to run it anyway");
  }
  if (max_wall_seconds > 0 && e.wall_seconds > max_wall_seconds) {
    return Status::Error("refusing to start: the run needs " + e.Describe() +
                         "; that is longer than --max-runtime " + FormatSeconds(max_wall_seconds) +
                         " (default 24h). Expected fewer replicas, a shorter duration or more "
                         "threads, or pass --max-runtime 0 to run it anyway");
  }
  return Status::Ok();
}

Result<double> ParseByteSize(const std::string& text) {
  const auto fail = [&] {
    return Status::Error("invalid size '" + text.substr(0, 40) +
                         "'; expected a number of bytes with an optional unit k, M, G or T "
                         "(1024-based), e.g. 512M, 8G, or 0 for no limit");
  };
  if (text.empty() || text.size() > 32) return fail();
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return fail();
  }
  if (!std::isfinite(value) || value < 0 || !std::isdigit(static_cast<unsigned char>(text[0])))
    return fail();
  const std::string unit = text.substr(used);
  double scale = 1;
  if (unit == "" || unit == "B")
    scale = 1;
  else if (unit == "k" || unit == "K" || unit == "KiB")
    scale = 1024;
  else if (unit == "M" || unit == "MiB")
    scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GiB")
    scale = 1024.0 * 1024 * 1024;
  else if (unit == "T" || unit == "TiB")
    scale = 1024.0 * 1024 * 1024 * 1024;
  else
    return fail();
  return value * scale;
}

double PhysicalMemoryBytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0;
}

}  // namespace fleetsim
