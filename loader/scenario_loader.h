// LoadScenario / ParseScenario: read a scenario YAML file into the plain Scenario of
// sim/scenario.h (see there, and scenarios/examples/*.yaml, for the schema).
//
// The loader library owns every YAML key of a scenario: this file reads the top level, the
// fleet, traffic and signals and delegates the other blocks to one reader each (fault_yaml.h:
// faults and infrastructure; change_yaml.h: change streams; response_yaml.h: people, automation,
// severity; outage_yaml.h; deploy_yaml.h). Errors name file:line:col and what was expected;
// unknown keys are errors. Pure functions of their input (the file system for LoadScenario);
// safe to call from several threads.
#pragma once

#include <memory>
#include <string>

#include "loader/yaml_reader.h"
#include "sim/scenario.h"
#include "sim/status.h"

namespace fleetsim {

// A scenario's inline `policy:` mapping, with the name of the file that holds it (kept alive
// here: `node.file` points into `file`).
struct InlinePolicyNode {
  ConfigNode node;
  std::shared_ptr<const std::string> file;
};

// Loads and validates a scenario file. Errors name file:line:col and what was expected.
Result<Scenario> LoadScenario(const std::string& path);

// Same, from YAML text; `file` is the name used in messages and to resolve relative paths.
Result<Scenario> ParseScenario(const std::string& yaml_text, const std::string& file);

}  // namespace fleetsim
