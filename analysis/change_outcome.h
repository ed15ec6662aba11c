// ChangeOutcome: what happened to one change in one replica, in the terms of DESIGN §5.
//
// Filled by OutcomeRecorder from the simulation's events; read by the metrics, the CSV report
// and tests. Times are simulated instants; durations (ttd, ttm, lead time) are derived.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/change.h"
#include "sim/sim_observer.h"
#include "sim/sim_time.h"

namespace fleetsim {

enum class DetectedBy : uint8_t { kNone, kAutomation, kHuman };

inline const char* DetectedByName(DetectedBy d) {
  switch (d) {
    case DetectedBy::kNone:
      return "none";
    case DetectedBy::kAutomation:
      return "automation";
    case DetectedBy::kHuman:
      return "human";
  }
  return "?";
}

enum class FinalState : uint8_t { kInProgress, kCompleted, kRolledBack, kRollingBack, kPaused };

inline const char* FinalStateName(FinalState s) {
  switch (s) {
    case FinalState::kInProgress:
      return "in_progress";
    case FinalState::kCompleted:
      return "completed";
    case FinalState::kRolledBack:
      return "rolled_back";
    case FinalState::kRollingBack:
      return "rolling_back";
    case FinalState::kPaused:
      return "paused";
  }
  return "?";
}

struct ChangeOutcome {
  int64_t id = 0;
  ChangeKind kind = ChangeKind::kConfig;
  SimTime arrival;
  std::string label;
  std::string fault;  // name of the carried fault; empty for good changes
  int64_t scope_hosts = 0;

  // Ground-truth classification.
  bool carries_fault = false;
  bool bad = false;     // the fault manifested during the run
  bool latent = false;  // carries a fault that never manifested

  // Exposure and damage.
  double peak_exposed_fraction = 0;
  double exposed_host_minutes = 0;
  int64_t failed_requests = 0;
  double impacted_traffic_peak =
      0;  // peak share of the fleet's requests served by hosts it manifests on
  double failed_traffic_peak = 0;  // peak share of the fleet's requests its fault failed (one tick)
  int regions_impacted = 0;
  int sev = 0;  // SEV level from the scenario's severity thresholds (sim/severity.h); 0: none

  // Detection and mitigation. Detection means something acted (DESIGN §5): an automated
  // rollback, pause or hold (Flagger) that took effect, or a person's rollback; detected_at is
  // that moment (a failing verdict alone is never a detection).
  DetectedBy detected_by = DetectedBy::kNone;
  int detected_stage = -1;
  std::string detected_stage_name;
  bool escaped = false;
  bool false_positive = false;
  bool misattributed = false;
  int verdicts = 0;
  int failing_verdicts = 0;
  int pauses = 0;
  int dry_run_stops = 0;  // times a dry-run health policy would have stopped it
  // Failing verdicts nothing acted on (DESIGN §5): lost stops (dry run, automation disabled or
  // failing), and failures a run counted that never reached a stop or hold before the rollout
  // completed, a person stopped it or its run ended. Never a detection.
  int unacted_verdicts = 0;
  FinalState final_state = FinalState::kInProgress;
  std::optional<StopSource> stopped_by;

  std::optional<SimTime> impact_start;
  std::optional<SimTime> impact_end;
  std::optional<SimTime> detected_at;
  std::optional<SimTime> final_stage_at;  // started its last step
  std::optional<SimTime> full_exposure_at;
  std::optional<SimTime> completed_at;

  std::optional<SimTime> ttd() const {
    if (!impact_start || !detected_at) return std::nullopt;
    return *detected_at > *impact_start ? *detected_at - *impact_start : SimTime::Zero();
  }
  std::optional<SimTime> ttm() const {
    if (!impact_start || !impact_end) return std::nullopt;
    return *impact_end - *impact_start;
  }
  std::optional<SimTime> lead_time() const {
    if (!full_exposure_at) return std::nullopt;
    return *full_exposure_at - arrival;
  }
};

}  // namespace fleetsim
