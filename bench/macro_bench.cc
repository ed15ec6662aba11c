// Macro benchmark: runs a scenario end to end and prints what DESIGN §9 asks for — wall time,
// simulated host-minutes per second, peak memory (RSS) and bytes per host.
//
//   build/bench/fleetsim_macro [SCENARIO] [--policy P] [--replicas N] [--threads T]
// Defaults: scenarios/examples/config-day.yaml, its own policy, 1 replica, 1 thread.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/experiment.h"
#include "analysis/monte_carlo.h"

int main(int argc, char** argv) {
  std::string scenario_path = "scenarios/examples/config-day.yaml";
  std::vector<std::string> policies;
  int replicas = 1, threads = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--policy" && i + 1 < argc) policies.push_back(argv[++i]);
    else if (a == "--replicas" && i + 1 < argc) replicas = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else scenario_path = a;
  }
  auto experiment = fleetsim::LoadExperiment(scenario_path, policies);
  if (!experiment.ok()) {
    std::fprintf(stderr, "%s\n", experiment.status().message().c_str());
    return 2;
  }
  const fleetsim::Scenario& scenario = experiment.value().scenario;
  std::printf("scenario %s: %lld hosts, %zu cells, %s simulated, %d replica(s), %d thread(s)\n",
              scenario.name.c_str(), static_cast<long long>(scenario.fleet->total_hosts()),
              scenario.fleet->cells().size(), fleetsim::FormatDuration(scenario.duration).c_str(), replicas, threads);
  for (const fleetsim::Policy& policy : experiment.value().policies) {
    fleetsim::RunOptions options;
    options.replicas = replicas;
    options.threads = threads;
    options.seed = scenario.seed;
    const auto start = std::chrono::steady_clock::now();
    auto results = fleetsim::RunReplicas(scenario, policy, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    size_t changes = 0;
    for (const auto& r : results) changes += r.outcomes.size();
    const double host_minutes =
        static_cast<double>(scenario.fleet->total_hosts()) * scenario.duration.minutes() * replicas;
    std::printf("policy %-14s wall %.3f s  (%.3f s/replica)  %.3g simulated host-minutes/s  %.1f changes/replica\n",
                policy.name.c_str(), seconds, seconds / replicas, host_minutes / seconds,
                static_cast<double>(changes) / replicas);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double peak_bytes = static_cast<double>(usage.ru_maxrss) * 1024.0;
  std::printf("peak RSS %.1f MiB  (%.2f bytes per host)\n", peak_bytes / (1024.0 * 1024.0),
              peak_bytes / static_cast<double>(scenario.fleet->total_hosts()));
  return 0;
}
