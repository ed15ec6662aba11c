// YAML reading of a scenario's `services:` block: the dependency graph (sim/service_graph.h) and
// the services that run on the fleet (sim/fleet.h FleetServiceSpec), either listed or generated.
//
// A list, one entry per service:
//   - {name: web, share: 3, regions: [us], clusters: [us-c1], buckets: 20, traffic_factor: 2,
//      base_error_rate: 0.002, change_share: 5, depends_on: [{service: auth, weight: 0.6}]}
// An entry with `share`, `regions` or `clusters` runs on the fleet (a member: the fleet's hosts
// are split among the members placed on each cluster); the other keys of a member are
// optional. Without any member the list is the original graph: the first service is the whole
// fleet's, the others only sources of cascades (`faults[].service`).
//
// A mapping generates members (names svc-0001, ...), for fleets nobody writes by hand:
//   {count: 2000, size: zipf(1.1), change_share: zipf(1.2), seed: 1, buckets: 10,
//    placement: {spread: 0.5, clusters_per_region: 1},
//    dependencies: {per_service: 2, weight: 0.2},
//    base_error_rate: 0.001, error_rate_spread: 0.5, traffic_spread: 0.3}
// Service i (from 1) has size i^-s (zipf(s); `equal`: all alike) and is placed on
// ceil(R x (size_i / size_1)^spread) of the R regions (consecutive from a random one), on
// `clusters_per_region` clusters of each (`all`: every one); a cluster no service drew goes to
// svc-0001. change_share: `size` (default), `equal`, or zipf(s) over a random ranking. Each
// service after the first depends on up to `per_service` services drawn among the larger ones,
// with `weight` each (acyclic by construction). error_rate_spread and traffic_spread are the
// sigmas of mean-one lognormal factors per service on base_error_rate and traffic. Everything
// drawn comes from the ServiceLayout streams of `seed`: the same file gives the same fleet.
//
// Errors name file:line:col and what was expected. Pure function; throws ConfigError.
#pragma once

#include "loader/yaml_reader.h"
#include "sim/scenario.h"

namespace fleetsim {

// Reads `services:` into scenario.services (the graph), scenario.fleet_spec.services (the
// members) and scenario.service_change_shares. Needs scenario.fleet_spec (for names).
void ParseServicesBlock(const ConfigNode& node, Scenario& scenario);

}  // namespace fleetsim
