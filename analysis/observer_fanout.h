// ObserverFanout: a SimObserver that forwards every hook to a list of borrowed observers.
//
// Lets several subscribers (the OutcomeRecorder, a TimelineRecorder for a trace, a test probe)
// watch the same Simulation. Observers are called in the order they were added, each hook to
// all of them before the next hook. The fanout owns nothing: every observer must outlive it.
// Null pointers are ignored. Not thread-safe (like every observer: one Simulation's thread).
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "sim/sim_observer.h"

namespace fleetsim {

class ObserverFanout : public SimObserver {
 public:
  ObserverFanout() = default;
  ObserverFanout(std::initializer_list<SimObserver*> observers) {
    for (SimObserver* o : observers) Add(o);
  }

  void Add(SimObserver* observer) {
    if (observer != nullptr) observers_.push_back(observer);
  }
  size_t size() const { return observers_.size(); }

  void OnChangeArrived(const Change& change, int64_t scope_hosts) override {
    for (SimObserver* o : observers_) o->OnChangeArrived(change, scope_hosts);
  }
  void OnExposure(int64_t change, SimTime t, int64_t exposed_hosts) override {
    for (SimObserver* o : observers_) o->OnExposure(change, t, exposed_hosts);
  }
  void OnStepStarted(int64_t change, int step, const std::string& name, bool last_step,
                     SimTime t) override {
    for (SimObserver* o : observers_) o->OnStepStarted(change, step, name, last_step, t);
  }
  void OnStepReached(int64_t change, int step, SimTime t, int64_t target_hosts) override {
    for (SimObserver* o : observers_) o->OnStepReached(change, step, t, target_hosts);
  }
  void OnFullExposure(int64_t change, SimTime t) override {
    for (SimObserver* o : observers_) o->OnFullExposure(change, t);
  }
  void OnRolloutCompleted(int64_t change, SimTime t) override {
    for (SimObserver* o : observers_) o->OnRolloutCompleted(change, t);
  }
  void OnVerdict(int64_t change, int step, SimTime t, const Verdict& v, bool foreign) override {
    for (SimObserver* o : observers_) o->OnVerdict(change, step, t, v, foreign);
  }
  void OnRollbackStarted(int64_t change, int step, SimTime t, StopSource source) override {
    for (SimObserver* o : observers_) o->OnRollbackStarted(change, step, t, source);
  }
  void OnPaused(int64_t change, int step, SimTime t) override {
    for (SimObserver* o : observers_) o->OnPaused(change, step, t);
  }
  void OnResumed(int64_t change, SimTime t) override {
    for (SimObserver* o : observers_) o->OnResumed(change, t);
  }
  void OnDryRunStop(int64_t change, int step, SimTime t) override {
    for (SimObserver* o : observers_) o->OnDryRunStop(change, step, t);
  }
  void OnHalted(int64_t change, int step, SimTime t) override {
    for (SimObserver* o : observers_) o->OnHalted(change, step, t);
  }
  void OnVerdictsUnacted(int64_t change, int step, SimTime t, int count,
                         UnactedReason why) override {
    for (SimObserver* o : observers_) o->OnVerdictsUnacted(change, step, t, count, why);
  }
  void OnDeployFailed(int64_t change, int step, SimTime t, const std::string& reason) override {
    for (SimObserver* o : observers_) o->OnDeployFailed(change, step, t, reason);
  }
  void OnRollbackFinished(int64_t change, SimTime t) override {
    for (SimObserver* o : observers_) o->OnRollbackFinished(change, t);
  }
  void OnImpactBegan(int64_t change, SimTime t) override {
    for (SimObserver* o : observers_) o->OnImpactBegan(change, t);
  }
  void OnImpactEnded(int64_t change, SimTime t) override {
    for (SimObserver* o : observers_) o->OnImpactEnded(change, t);
  }
  void OnRegionImpacted(int64_t change, int region, SimTime t) override {
    for (SimObserver* o : observers_) o->OnRegionImpacted(change, region, t);
  }
  void OnAlert(SimTime t) override {
    for (SimObserver* o : observers_) o->OnAlert(t);
  }
  void OnHumanResponse(SimTime t, int64_t culprit) override {
    for (SimObserver* o : observers_) o->OnHumanResponse(t, culprit);
  }
  void OnTick(const FleetTickSample& fleet, std::span<const ChangeTickSample> changes) override {
    for (SimObserver* o : observers_) o->OnTick(fleet, changes);
  }
  void OnCommitFlowEnded(const CommitFlowResult& flow) override {
    for (SimObserver* o : observers_) o->OnCommitFlowEnded(flow);
  }
  void OnRunStarted(int64_t max_changes) override {
    for (SimObserver* o : observers_) o->OnRunStarted(max_changes);
  }
  void OnRunEnded(SimTime end) override {
    for (SimObserver* o : observers_) o->OnRunEnded(end);
  }

 private:
  std::vector<SimObserver*> observers_;
};

}  // namespace fleetsim
