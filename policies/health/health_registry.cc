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

std::unique_ptr<HealthCheck> ParseHealthCheck(const ConfigNode& node, const std::string& context) {
  YamlMap m(node, context);
  ConfigNode kind_node = m.Required("kind");
  const std::string kind = kind_node.AsString(context + ".kind");
  const HealthCheckRegistry::Factory* factory = HealthCheckKinds().Find(kind);
  if (!factory) {
    kind_node.Fail(context + ".kind: unknown kind '" + kind +
                   "'; expected one of: " + HealthCheckKinds().Names());
  }
  std::unique_ptr<HealthCheck> check = (*factory)(m);
  m.Finish();
  return check;
}

HealthMetric ReadMetric(YamlMap& m, bool allow_status_2xx) {
  ConfigNode node = m.Required("metric");
  const std::string name = node.AsString("metric");
  if (name == "error_rate") return HealthMetric::kErrorRate;
  if (name == "latency_p99") return HealthMetric::kLatencyP99;
  if (name == "status_2xx" && allow_status_2xx) return HealthMetric::kStatus2xx;
  node.Fail(std::string("metric: expected error_rate") +
            (allow_status_2xx ? ", latency_p99 or status_2xx" : " or latency_p99") + ", got '" +
            name + "'");
}

}  // namespace fleetsim
