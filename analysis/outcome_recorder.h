// OutcomeRecorder: a SimObserver that turns one replica's event stream into ChangeOutcomes.
//
// Owns its outcomes; one recorder per Simulation (not thread-safe). After Simulation::Run(),
// call outcomes() for the per-change results and fleet_requests() / fleet_errors() for totals.
#pragma once

#include <optional>
#include <vector>

#include "analysis/change_outcome.h"
#include "sim/fault.h"
#include "sim/severity.h"
#include "sim/sim_observer.h"

namespace fleetsim {

class OutcomeRecorder : public SimObserver {
 public:
  explicit OutcomeRecorder(const FaultCatalog& faults) : faults_(&faults) {}

  const std::vector<ChangeOutcome>& outcomes() const { return outcomes_; }
  std::vector<ChangeOutcome> TakeOutcomes() { return std::move(outcomes_); }
  int64_t fleet_requests() const { return fleet_requests_; }
  int64_t fleet_errors() const { return fleet_errors_; }
  int alerts() const { return alerts_; }
  std::optional<CommitFlowResult> TakeCommitFlow() { return std::move(commit_flow_); }
  // SEV thresholds applied to each bad change at the end of the run (borrowed; may be null).
  void set_severity(const SeveritySpec* severity) { severity_ = severity; }

  void OnChangeArrived(const Change& change, int64_t scope_hosts) override;
  void OnExposure(int64_t change, SimTime t, int64_t exposed_hosts) override;
  void OnStepStarted(int64_t change, int step, const std::string& name, bool last_step,
                     SimTime t) override;
  void OnFullExposure(int64_t change, SimTime t) override;
  void OnRolloutCompleted(int64_t change, SimTime t) override;
  void OnVerdict(int64_t change, int step, SimTime t, const Verdict& v, bool foreign) override;
  void OnRollbackStarted(int64_t change, int step, SimTime t, StopSource source) override;
  void OnRollbackFinished(int64_t change, SimTime t) override;
  void OnPaused(int64_t change, int step, SimTime t) override;
  void OnResumed(int64_t change, SimTime t) override;
  void OnDryRunStop(int64_t change, int step, SimTime t) override;
  void OnHalted(int64_t change, int step, SimTime t) override;
  void OnVerdictsUnacted(int64_t change, int step, SimTime t, int count,
                         UnactedReason why) override;
  void OnImpactBegan(int64_t change, SimTime t) override;
  void OnImpactEnded(int64_t change, SimTime t) override;
  void OnRegionImpacted(int64_t change, int region, SimTime t) override;
  void OnAlert(SimTime t) override;
  void OnTick(const FleetTickSample& fleet, std::span<const ChangeTickSample> changes) override;
  void OnRunStarted(int64_t max_changes) override;
  void OnRunEnded(SimTime end) override;
  void OnCommitFlowEnded(const CommitFlowResult& flow) override { commit_flow_ = flow; }

 private:
  struct Tracking {
    int current_step = 0;
    std::string current_step_name;
    bool have_point = false;
    SimTime last_t;
    int64_t last_hosts = 0;
    bool last_fail_foreign = false;
    std::optional<SimTime> first_fail_after_impact;
    int first_fail_step = -1;
    std::string first_fail_step_name;
  };
  void Detect(ChangeOutcome& o, Tracking& k, SimTime t, DetectedBy by);

  const FaultCatalog* faults_;
  const SeveritySpec* severity_ = nullptr;
  std::vector<ChangeOutcome> outcomes_;
  std::vector<Tracking> tracking_;
  int64_t fleet_requests_ = 0;
  int64_t fleet_errors_ = 0;
  int alerts_ = 0;
  std::optional<CommitFlowResult> commit_flow_;  // scenarios with a commit stream only
};

}  // namespace fleetsim
