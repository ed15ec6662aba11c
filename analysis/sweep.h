// Sweep: a grid over scenario or policy parameters, addressed by path, run on the same seeds.
//
//   fleetsim sweep SCENARIO --param rollout.stages[0].bake=5m,15m,30m --param
//   health.failure_limit=1,3
//
// Paths starting with `rollout.` or `health.` (or `policy.`, which is stripped) edit the policy;
// any other path (optionally prefixed `scenario.`) edits the scenario, e.g.
// `signals.overdispersion=0.2,0.5`. Every grid point is re-validated by the normal loaders, so a
// bad value is reported like a bad file. Points are compared on the Pareto axes of the metric
// registry (ParetoAxes(), metrics.h: lead time p50, mean blast radius, false-positive rate); the
// Pareto front holds the points no other point beats on all of them.
#pragma once

#include <string>

#include <vector>
#include "import/import_context.h"

#include "analysis/report.h"
#include "policies/policy_loader.h"
#include "sim/scenario.h"

namespace fleetsim {

struct SweepAxis {
  std::string path;
  std::vector<std::string> values;
};

// Parses "PATH=V1,V2,...".
Result<SweepAxis> ParseSweepAxis(const std::string& argument);

struct SweepPoint {
  std::string label;  // "path=value path2=value2"
  Scenario scenario;
  Policy policy;
};

// Expands the grid (first axis varies slowest). `policy_argument` empty = the scenario's policy.
Result<std::vector<SweepPoint>> ExpandSweep(const std::string& scenario_path,
                                            const std::string& policy_argument,
                                            const std::vector<SweepAxis>& axes,
                                            const import::ImportOptions& options = {});

// Marks ParetoPoint::on_front for the points not dominated by any other (each point's `axes`
// hold one value per ParetoAxes() entry, oriented by the entry's lower_is_better).
void MarkParetoFront(std::vector<ParetoPoint>& points);

// Sets the scalar at `path` ("a.b[0].c") in `root`, creating missing map keys (the loaders reject
// keys that do not belong). Fails for an index past the end of a list or a path through a scalar.
Status SetYamlPath(YAML::Node root, const std::string& path, const std::string& value);

}  // namespace fleetsim
