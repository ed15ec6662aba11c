#include "policies/health/health_registry.h"

namespace fleetsim {

const HealthCheckRegistry& HealthCheckKinds() {
  static const HealthCheckRegistry registry = [] {
    HealthCheckRegistry r;
    RegisterThresholdCheck(r);
    RegisterRelativeCheck(r);
    RegisterSprtCheck(r);
    RegisterKayentaCheck(r);
    return r;
  }();
  return registry;
}

HealthMetric ReadMetric(YamlMap& m) {
  ConfigNode node = m.Required("metric");
  const std::string name = node.AsString("metric");
  if (name == "error_rate") return HealthMetric::kErrorRate;
  if (name == "latency_p99") return HealthMetric::kLatencyP99;
  node.Fail("metric: expected error_rate or latency_p99, got '" + name + "'");
}

}  // namespace fleetsim
