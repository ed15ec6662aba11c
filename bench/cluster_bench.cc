// Cluster benchmark: the per-replica figures behind the MPI scaling model of docs/performance.md
// (scripts/mpi_scaling runs it beside mpirun -np 1 and 2).
//
//   build/bench/fleetsim_cluster [SCENARIO] [--policy P] [--replicas N]
//
// Runs N replicas on one thread and prints, as key=value lines: compute seconds per replica
// (mean and max: the longest replica bounds how short a run on many ranks can get), the
// encoded ReplicaResult size in bytes (mean and max: what crosses ranks per replica, and what
// a --shard part or a checkpoint stores), and what rank 0 spends per replica it receives
// (DecodeReplica, the serial part of the reduction). Defaults: mc-staged-change.yaml, its own
// policy, 40 replicas.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/experiment.h"
#include "analysis/monte_carlo.h"
#include "analysis/replica_codec.h"

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario_path = "scenarios/examples/mc-staged-change.yaml";
  std::vector<std::string> policies;
  int replicas = 40;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--policy" && i + 1 < argc) {
      policies.push_back(argv[++i]);
    } else if (a == "--replicas" && i + 1 < argc) {
      replicas = std::max(1, std::atoi(argv[++i]));
    } else if (!a.empty() && a[0] != '-') {
      scenario_path = a;
    } else {
      std::fprintf(stderr, "usage: fleetsim_cluster [SCENARIO] [--policy P] [--replicas N]\n");
      return 2;
    }
  }
  fleetsim::Result<fleetsim::Experiment> loaded = fleetsim::LoadExperiment(scenario_path, policies);
  if (!loaded.ok()) {
    std::fprintf(stderr, "fleetsim_cluster: %s\n", loaded.status().message().c_str());
    return 2;
  }
  const fleetsim::Experiment& e = loaded.value();
  const fleetsim::Policy& policy = e.policies.front();

  std::vector<fleetsim::ReplicaResult> results;
  double total = 0, longest = 0;
  for (int r = 0; r < replicas; ++r) {
    const Clock::time_point start = Clock::now();
    results.push_back(
        fleetsim::RunReplica(e.scenario, policy, e.scenario.seed, static_cast<uint32_t>(r)));
    const double s = Since(start);
    total += s;
    longest = std::max(longest, s);
  }
  std::vector<std::string> encoded;
  size_t bytes = 0, largest = 0;
  for (const fleetsim::ReplicaResult& r : results) {
    encoded.push_back(fleetsim::EncodeReplica(r));
    bytes += encoded.back().size();
    largest = std::max(largest, encoded.back().size());
  }
  // Decoding is fast: repeat it for at least 0.2 s to time it.
  int rounds = 0;
  const Clock::time_point start = Clock::now();
  do {
    for (const std::string& payload : encoded) {
      if (!fleetsim::DecodeReplica(payload).ok()) {
        std::fprintf(stderr, "fleetsim_cluster: a result did not decode\n");
        return 1;
      }
    }
    ++rounds;
  } while (Since(start) < 0.2);
  const double decode = Since(start) / (static_cast<double>(rounds) * replicas);

  std::printf("scenario=%s\npolicy=%s\nreplicas=%d\n", scenario_path.c_str(), policy.name.c_str(),
              replicas);
  std::printf("compute_seconds_per_replica=%.6g\nlongest_replica_seconds=%.6g\n", total / replicas,
              longest);
  std::printf("result_bytes_per_replica=%.1f\nlargest_result_bytes=%zu\n",
              static_cast<double>(bytes) / replicas, largest);
  std::printf("decode_seconds_per_replica=%.6g\n", decode);
  return 0;
}
