// ParseDeployBlock: reads a `deploy:` block (of a scenario or of a policy) into the
// DeployOverrides of sim/deploy_spec.h, which documents the keys. Strict (unknown keys and
// contradictions are errors naming file:line:col, yaml_reader.h). Pure function; throws
// ConfigError.
#pragma once

#include <string>

#include "loader/yaml_reader.h"
#include "sim/deploy_spec.h"

namespace fleetsim {

// Parses a `deploy:` mapping (scenario or policy); `context` prefixes error messages.
// Throws ConfigError naming file:line:col.
DeployOverrides ParseDeployBlock(const ConfigNode& node, const std::string& context);

}  // namespace fleetsim
