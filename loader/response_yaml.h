// YAML reading of the incident response: the scenario blocks `humans:` (alert, response time,
// misdiagnosis, mitigation), `automation:` (broken rollbacks) and `severity:` (SEV levels from
// impact). Same conventions as the rest of the loader (yaml_reader.h): errors name
// file:line:col and what was expected, unknown keys are errors. Pure functions; throw
// ConfigError.
#pragma once

#include "loader/yaml_reader.h"
#include "sim/automation_spec.h"
#include "sim/human_model.h"
#include "sim/severity.h"

namespace fleetsim {

HumanSpec ParseHumans(const ConfigNode& node);
AutomationSpec ParseAutomation(const ConfigNode& node);
SeveritySpec ParseSeverity(const ConfigNode& node);

}  // namespace fleetsim
