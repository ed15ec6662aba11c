// Peer-engine comparison for the macro benchmark (DESIGN §9, performance.md): runs the SimPy
// versions of scenarios/examples/mc-noisy-change.yaml or mc-staged-change.yaml in bench/peers/
// (the vectorized SimPy+numpy peer, the cohort peer and the per-host peer) with a few replicas,
// parses their one-line results and prints each peer's CPU per replica, per simulated minute
// and per cell-minute next to fleetsim's, with the speed ratio. A missing interpreter, SimPy or
// numpy prints a skip line.
#pragma once

#include <string>

namespace fleetsim::bench {

struct PeerOptions {
  std::string python =
      "/usr/bin/python3";  // Debian's, which sees python3-simpy3 (performance.md §3)
  std::string peers_dir;   // holds simpy_numpy.py, simpy_cohort.py, simpy_per_host.py
  int numpy_replicas = 10;
  int cohort_replicas = 3;
  int per_host_replicas = 1;
  int per_host_hosts = 20000;  // host processes; the peer extrapolates its time to the 1M fleet
};

// What the peers are compared against: the scenario (a name the peers know, model.SCENARIOS),
// its size, and fleetsim's per-replica seconds (wall and CPU).
struct PeerBaseline {
  std::string scenario;
  double simulated_minutes = 0;
  double cells = 0;
  double wall_per_replica = 0;
  double cpu_per_replica = 0;
};

// True for the scenarios bench/peers/ implements.
bool PeersImplement(const std::string& scenario_name);

void RunPeers(const PeerOptions& options, const PeerBaseline& fleetsim);

}  // namespace fleetsim::bench
