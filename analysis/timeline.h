// Timeline: every event of one replica, in order, as plain records — the common input of the
// Chrome trace export, the readable timeline text and the HTML report's exposure charts.
//
// TimelineRecorder is a SimObserver that appends one TimelineEvent per engine event (ticks are
// summarised: only the fleet error rate per tick is kept, in `fleet_error_rate`). Owned by one
// replica's thread; read after Simulation::Run().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/change.h"
#include "sim/fault.h"
#include "sim/sim_observer.h"
#include "sim/sim_time.h"

namespace fleetsim {

enum class TimelineKind : uint8_t {
  kArrived,          // change submitted; text = fault name or "good"
  kStepStarted,      // step = index, text = step name, value = 1 for the last step
  kStepReached,      // step's target exposure reached; value = exposed hosts
  kFullExposure,     // 100% of scope
  kCompleted,        // rollout done (after the final bake)
  kExposure,         // value = exposed hosts (a breakpoint of the piecewise-linear path)
  kVerdict,          // text = "pass" | "fail: reason" | "inconclusive: reason";
                     // value = 1 when another change's fault also hit the canary
  kRollbackStarted,  // text = "automation" | "human"
  kRollbackFinished,
  kImpactBegan,
  kImpactEnded,
  kRegionImpacted,  // value = region index
  kAlert,           // change = -1
  kHumanResponse,   // change = culprit or -1
  kPaused,          // an automated verdict paused the rollout for a person's review
  kResumed,         // the person resumed it
  kDryRunStop,      // dry_run: the health policy would have stopped the change here
  kDeployFailed,    // the deploy system failed the rollout; text = why
  kHalted,          // a failed check held the step (Flagger's scheduler)
  kVerdictsLost,    // failing verdicts nothing acted on; value = how many, text = why
};

const char* TimelineKindName(TimelineKind kind);

struct TimelineEvent {
  SimTime time;
  TimelineKind kind = TimelineKind::kArrived;
  int64_t change = -1;
  int step = -1;
  double value = 0;
  std::string text;
};

struct Timeline {
  uint32_t replica = 0;
  int64_t scope_hosts = 0;
  std::vector<TimelineEvent> events;     // in simulated-time order
  std::vector<SimTime> tick_times;       // one per tick
  std::vector<double> fleet_error_rate;  // errors / requests per tick
};

class TimelineRecorder : public SimObserver {
 public:
  TimelineRecorder(const FaultCatalog& faults, uint32_t replica);
  const Timeline& timeline() const { return timeline_; }
  Timeline TakeTimeline() { return std::move(timeline_); }

  void OnChangeArrived(const Change& change, int64_t scope_hosts) override;
  void OnExposure(int64_t change, SimTime t, int64_t exposed_hosts) override;
  void OnStepStarted(int64_t change, int step, const std::string& name, bool last_step,
                     SimTime t) override;
  void OnStepReached(int64_t change, int step, SimTime t, int64_t target_hosts) override;
  void OnFullExposure(int64_t change, SimTime t) override;
  void OnRolloutCompleted(int64_t change, SimTime t) override;
  void OnVerdict(int64_t change, int step, SimTime t, const Verdict& v, bool foreign) override;
  void OnRollbackStarted(int64_t change, int step, SimTime t, StopSource source) override;
  void OnRollbackFinished(int64_t change, SimTime t) override;
  void OnImpactBegan(int64_t change, SimTime t) override;
  void OnImpactEnded(int64_t change, SimTime t) override;
  void OnRegionImpacted(int64_t change, int region, SimTime t) override;
  void OnAlert(SimTime t) override;
  void OnHumanResponse(SimTime t, int64_t culprit) override;
  void OnPaused(int64_t change, int step, SimTime t) override;
  void OnResumed(int64_t change, SimTime t) override;
  void OnDryRunStop(int64_t change, int step, SimTime t) override;
  void OnDeployFailed(int64_t change, int step, SimTime t, const std::string& reason) override;
  void OnHalted(int64_t change, int step, SimTime t) override;
  void OnVerdictsUnacted(int64_t change, int step, SimTime t, int count,
                         UnactedReason why) override;
  void OnTick(const FleetTickSample& fleet, std::span<const ChangeTickSample> changes) override;

 private:
  const FaultCatalog* faults_;
  Timeline timeline_;
};

}  // namespace fleetsim
