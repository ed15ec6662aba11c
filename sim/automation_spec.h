// AutomationSpec: whether the automated stop of a rollout actually happens.
//
// Real incidents include a rollback orchestrator with a bug and a verdict that never reaches
// the push. With the defaults automation works as the health policy says.
// - enabled: false -> verdicts are computed and reported, but never stop a rollout.
// - rollback_delay: an automated rollback starts this long after the verdict that asked for it.
// - rollback_failure_probability: each automated rollback independently never starts (drawn
//   per change from StreamPurpose::kAutomationFailure); people then have to notice.
// Plain value type.
#pragma once

#include "sim/sim_time.h"

namespace fleetsim {

struct AutomationSpec {
  bool enabled = true;
  SimTime rollback_delay;
  double rollback_failure_probability = 0;

  bool Default() const {
    return enabled && rollback_delay == SimTime::Zero() && rollback_failure_probability == 0;
  }
};

}  // namespace fleetsim
