// Peer-engine comparison for the macro benchmark (DESIGN §9, performance.md §3.1): runs the
// SimPy versions of scenarios/examples/mc-staged-change.yaml in bench/peers/ with a few
// replicas, parses their one-line results and prints each peer's time per replica next to
// fleetsim's, with the speed ratio. A missing interpreter or SimPy prints a skip line.
#pragma once

#include <string>

namespace fleetsim::bench {

struct PeerOptions {
  std::string python =
      "/usr/bin/python3";  // Debian's, which sees python3-simpy3 (performance.md §3)
  std::string peers_dir;   // holds simpy_cohort.py, simpy_per_host.py
  int cohort_replicas = 3;
  int per_host_replicas = 1;
  int per_host_hosts = 20000;  // host processes; the peer extrapolates its time to the 1M fleet
};

// Per-replica seconds of fleetsim's run (wall and CPU), to compare against.
void RunPeers(const PeerOptions& options, double fleetsim_wall, double fleetsim_cpu);

}  // namespace fleetsim::bench
