// HumanSpec and AlertTracker: people noticing what automation missed.
//
// A global alert fires when the fleet-wide error rate stays above `alert_error_rate` for
// `alert_for`. The on-call then responds after a lognormal response time (median, sigma) and
// rolls back the change whose fault is doing the most damage at that moment (diagnosis is
// correct in this model). While a response is pending the alert does not fire again; after it,
// the alert re-arms and must hold for `alert_for` once more.
#pragma once

#include <cstdint>

#include "sim/random_stream.h"
#include "sim/sim_time.h"

namespace fleetsim {

struct HumanSpec {
  bool enabled = true;
  double alert_error_rate = 0.01;
  SimTime alert_for = SimTime::Minutes(5);
  SimTime response_median = SimTime::Minutes(15);
  double response_sigma = 0.5;  // lognormal shape of the response time
  // Misdiagnosis (e.g. an attack suspected): with this probability a response takes an extra
  // lognormal delay (median, sigma) before the mitigation. 0: diagnosis is always right.
  double misdiagnosis_probability = 0;
  SimTime misdiagnosis_median = SimTime::Minutes(30);
  double misdiagnosis_sigma = 0.5;
  // How people mitigate: roll the culprit back (at the deploy system's rollback speed), or
  // flip a kill switch (the culprit is off every host at once).
  enum class Mitigation : uint8_t { kRollback, kKillSwitch };
  Mitigation mitigation = Mitigation::kRollback;
};

// Tracks the alert condition tick by tick. Owned by one Simulation.
class AlertTracker {
 public:
  explicit AlertTracker(const HumanSpec& spec) : spec_(spec) {}

  // Feeds one tick of fleet-wide signal; returns true when the alert fires now.
  bool Observe(double fleet_error_rate, SimTime tick_length) {
    if (!spec_.enabled || response_pending_) return false;
    if (fleet_error_rate > spec_.alert_error_rate) {
      above_for_ += tick_length;
    } else {
      above_for_ = SimTime::Zero();
    }
    if (above_for_ >= spec_.alert_for) {
      response_pending_ = true;
      return true;
    }
    return false;
  }

  // Called when the response happened: the alert re-arms from zero.
  void ResponseDone() {
    response_pending_ = false;
    above_for_ = SimTime::Zero();
  }

  // A person's response time, drawn from the stream `key` (a kHumanResponse key: the alert's
  // response, a pause review, a manual gate; random_stream.h).
  SimTime DrawResponseTime(const StreamKey& key) const;

 private:
  HumanSpec spec_;
  SimTime above_for_;
  bool response_pending_ = false;
};

}  // namespace fleetsim
