// ResourceEstimate: how much memory and time a run will take, from the engine's cost model,
// before anything runs, so that an absurd scenario is refused with the estimate instead of
// exhausting the machine hours later (`fleetsim run --max-memory / --max-runtime`).
//
// The model (docs/performance.md has the measurements it comes from): the engine keeps no
// per-host state, so a replica costs
//   CPU     ticks x cells x kCellTickSeconds (with per-minute noise; without it, whole runs of
//           cells are sampled at once: ticks x clusters x kClusterTickSeconds)
//           + changes x (60 min / tick) x kChangeTickSeconds (a change is in flight for about
//           an hour and costs O(1) per tick while it is, plus O(clusters) on the quiet path)
//   memory  cells x kCellBytes + changes x kChangeBytes while it runs (one replica per thread),
// and every finished replica keeps one outcome per change (kOutcomeBytes) until the report is
// written; a per-change CSV adds kCsvRowBytes per row. Changes per replica = config changes per
// day x days + commits per day x days + injected changes. The figures are estimates, good to
// within a small factor (tests/analysis/resource_estimate_test.cc holds them to a factor of 4 on
// the examples); they are for refusing the absurd, not for planning to the minute.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "sim/scenario.h"
#include "sim/status.h"

namespace fleetsim {

struct ResourceEstimate {
  int64_t cells = 0;
  int64_t ticks = 0;               // per replica
  double changes_per_replica = 0;  // expected
  int64_t replica_runs = 0;        // replicas x policies (or sweep points)
  double memory_bytes = 0;         // peak
  double cpu_seconds = 0;          // all replica runs
  double wall_seconds = 0;         // on the given threads

  // "about 1.2 GiB of memory and 3 min 20 s (2 threads): 5 runs x 1,000 replicas of 4,800 cells
  // x 1,440 ticks with ~1,034 changes each"
  std::string Describe() const;
};

struct RunShape {
  int replicas = 1;
  int runs = 1;                  // policies compared, or sweep points
  int threads = 1;               // worker threads actually used
  bool per_change_rows = false;  // --csv: one row per change per replica is rendered
};

ResourceEstimate EstimateRun(const Scenario& scenario, const RunShape& shape);

// Limits; 0 = none. Fails with the estimate and the flag that overrides it when exceeded.
Status CheckResourceLimits(const ResourceEstimate& estimate, double max_memory_bytes,
                           double max_wall_seconds);

// "8G", "512M", "100k", "1.5G", "0" (bytes, 1024-based). Fails naming what was expected.
Result<double> ParseByteSize(const std::string& text);

// This machine's physical memory in bytes (the default --max-memory).
double PhysicalMemoryBytes();

// "1.2 GiB", "340 MiB"; "3 min 20 s", "2.5 h", "4 d".
std::string FormatBytes(double bytes);
std::string FormatSeconds(double seconds);

}  // namespace fleetsim
