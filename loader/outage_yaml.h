// ParseOutageBlock: reads a scenario's `outage:` block into an OutageSpec (sim/outage_spec.h
// has the schema). Strict: unknown keys are errors, and every error names file:line:col and what
// was expected (yaml_reader.h). Pure function; throws ConfigError, which the scenario loader's
// entry points turn into a Status.
#pragma once

#include "loader/yaml_reader.h"
#include "sim/change_stream.h"
#include "sim/outage_spec.h"

namespace fleetsim {

// Parses an `outage:` mapping of a scenario whose changes are `changes`: `change` and `culprit`
// must name injected changes, and the culprit must carry a fault. Throws ConfigError naming
// file:line:col.
OutageSpec ParseOutageBlock(const ConfigNode& node, const ChangeStreamsSpec& changes);

}  // namespace fleetsim
