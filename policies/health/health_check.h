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

// error_rate: 5xx / requests; latency_p99: ms; status_2xx: share of requests answered 2xx
// (Instagram's "at least 90% 2xx"), the one metric where higher is better.
enum class HealthMetric : uint8_t { kErrorRate, kLatencyP99, kStatus2xx };

inline const char* HealthMetricName(HealthMetric m) {
  switch (m) {
    case HealthMetric::kErrorRate:
      return "error_rate";
    case HealthMetric::kLatencyP99:
      return "latency_p99";
    case HealthMetric::kStatus2xx:
      return "status_2xx";
  }
  return "?";
}

inline double MetricValue(HealthMetric m, const SignalWindow& w) {
  switch (m) {
    case HealthMetric::kErrorRate:
      return w.error_rate();
    case HealthMetric::kLatencyP99:
      return w.latency_p99();
    case HealthMetric::kStatus2xx:
      return w.status_2xx_share();
  }
  return 0;
}

inline bool HigherIsBetter(HealthMetric m) { return m == HealthMetric::kStatus2xx; }

class HealthCheck {
 public:
  virtual ~HealthCheck() = default;
  virtual std::string_view Kind() const = 0;
  virtual Verdict Evaluate(const HealthObservation& observation) const = 0;
  // True when Evaluate() reads the per-tick series (HealthObservation::*_series).
  virtual bool ReadsSeries() const { return false; }
};

}  // namespace fleetsim
