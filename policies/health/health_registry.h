// The registry of health check kinds (threshold, relative, ...). See kind_registry.h.
// A check's YAML mapping holds `kind`, `metric` and the kind's own parameters.
//
// A check kind is one file in policies/health/ ending with
//   FLEETSIM_REGISTER_HEALTH_CHECK_KIND(name, DefinitionFunction);
// where DefinitionFunction() returns a KindDef<HealthCheck, Params>. Every registered kind must
// pass tests/policies/health/health_check_conformance_test.cc with its documented example.
#pragma once

#include <memory>
#include <string>

#include "policies/health/health_check.h"
#include "policies/kind_registry.h"

namespace fleetsim {

using HealthCheckRegistry = KindRegistry<HealthCheck>;

const HealthCheckRegistry& HealthCheckKinds();

// Reads `metric: error_rate | latency_p99` (| status_2xx where allowed) from a check's mapping.
HealthMetric ReadMetric(YamlMap& m, bool allow_status_2xx = false);

// Builds one check from its mapping ({kind: NAME, metric: ..., ...}) through the registry;
// `context` names it in errors ("health.checks[]"). Throws ConfigError with file:line:col.
std::unique_ptr<HealthCheck> ParseHealthCheck(const ConfigNode& node, const std::string& context);

}  // namespace fleetsim

#define FLEETSIM_REGISTER_HEALTH_CHECK_KIND(name, definition) \
  FLEETSIM_REGISTER_KIND(HealthCheck, name, definition)
