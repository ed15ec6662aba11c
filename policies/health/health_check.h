// HealthCheck: one condition on a change's canary (and control) signals over a window.
//
// A health policy (check_set_policy.h) combines several checks into one verdict. Each check
// reads one metric (error_rate or latency_p99) and answers pass, fail or inconclusive with a
// reason. Check kinds are registered by name (health_registry.h); instances are immutable.
#pragma once

#include <string>
#include <string_view>

#include "sim/health_policy.h"

namespace fleetsim {

enum class HealthMetric : uint8_t { kErrorRate, kLatencyP99 };

inline const char* HealthMetricName(HealthMetric m) {
  return m == HealthMetric::kErrorRate ? "error_rate" : "latency_p99";
}

inline double MetricValue(HealthMetric m, const SignalWindow& w) {
  return m == HealthMetric::kErrorRate ? w.error_rate() : w.latency_p99();
}

class HealthCheck {
 public:
  virtual ~HealthCheck() = default;
  virtual std::string_view Kind() const = 0;
  virtual Verdict Evaluate(const HealthObservation& observation) const = 0;
};

}  // namespace fleetsim
