// Macro benchmark: runs a scenario end to end and prints what DESIGN §9 asks for — wall time,
// simulated host-minutes per second, peak memory (RSS) and bytes per host — and, with --peers,
// the same scenario in peer engines (bench/peers/, SimPy) and fleetsim's speed ratio to each.
//
//   build/bench/fleetsim_macro [SCENARIO] [--policy P] [--replicas N] [--threads T]
//                              [--set PATH=VALUE]... [--thread-curve T1,T2,...]
//   build/bench/fleetsim_macro [SCENARIO] --peers [--replicas N] [--numpy-replicas N]
//                              [--peer-replicas N] [--per-host-hosts H] [--python PATH]
//                              [--peers-dir DIR]
// Defaults: scenarios/examples/config-day.yaml, its own policy, 1 replica, 1 thread. --peers
// defaults to scenarios/examples/mc-noisy-change.yaml (the peers also implement
// mc-staged-change.yaml) with 20 replicas, and compares per replica: the peers are far too slow
// to run many. Every run prints CPU per simulated minute and per cell-minute. --set edits the
// scenario as `fleetsim run --set` does (e.g. fleet.hosts=10000000). --thread-curve runs the
// same replicas once per thread count and prints the wall-time speedup over the first count, the
// serial fraction it implies (Amdahl: s = (T/speedup - 1)/(T - 1)) and the speedup that
// fraction projects for 64 cores; on a loaded machine the wall times, and so these, are noisy.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/experiment.h"
#include "analysis/monte_carlo.h"
#include "analysis/settings.h"
#include "bench/peer_compare.h"

namespace {

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

// The outcome figures the peers print too, for a rough check of statistical equivalence.
void PrintOutcomeStatistics(const std::vector<fleetsim::ReplicaResult>& results) {
  int changes = 0, rolled_back = 0;
  double exposed = 0, ttm = 0;
  for (const auto& r : results) {
    for (const fleetsim::ChangeOutcome& o : r.outcomes) {
      ++changes;
      exposed += o.exposed_host_minutes;
      if (o.final_state != fleetsim::FinalState::kRolledBack) continue;
      ++rolled_back;
      if (o.ttm()) ttm += o.ttm()->minutes();
    }
  }
  if (changes == 0) return;
  std::printf(
      "  statistics: rolled_back=%.3f mean_exposed_host_minutes=%.4g "
      "mean_ttm_rolled_back_min=%.2f\n",
      static_cast<double>(rolled_back) / changes, exposed / changes,
      rolled_back ? ttm / rolled_back : 0.0);
}

std::vector<int> ParseCounts(const std::string& list) {
  std::vector<int> counts;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    counts.push_back(std::atoi(list.substr(start, comma - start).c_str()));
    start = comma + 1;
  }
  return counts;
}

// Wall and CPU seconds of `replicas` replicas of `policy` on `threads` threads, and their results.
struct Timing {
  double wall = 0, cpu = 0;
  std::vector<fleetsim::ReplicaResult> results;
};
Timing TimeReplicas(const fleetsim::Scenario& scenario, const fleetsim::Policy& policy,
                    int replicas, int threads) {
  fleetsim::RunOptions options;
  options.replicas = replicas;
  options.threads = threads;
  options.seed = scenario.seed;
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  Timing timing;
  timing.results = fleetsim::RunReplicas(scenario, policy, options);
  timing.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  timing.cpu = CpuSeconds() - cpu_start;
  return timing;
}

void PrintThreadCurve(const fleetsim::Scenario& scenario, const fleetsim::Policy& policy,
                      int replicas, const std::vector<int>& counts) {
  std::printf("thread curve, %d replica(s) of policy %s:\n", replicas, policy.name.c_str());
  double first_wall = 0;
  for (const int t : counts) {
    const Timing timing = TimeReplicas(scenario, policy, replicas, t);
    if (first_wall == 0) first_wall = timing.wall;
    const double speedup = first_wall / timing.wall;
    std::printf("  %2d thread(s): wall %.3f s, cpu %.3f s, speedup %.2fx", t, timing.wall,
                timing.cpu, speedup);
    if (t > counts.front() && counts.front() == 1) {
      const double serial = std::clamp((t / speedup - 1) / (t - 1), 0.0, 1.0);
      std::printf(", serial fraction %.3f, projected 64 cores %.1fx", serial,
                  1 / (serial + (1 - serial) / 64));
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario_path;
  std::vector<std::string> policies;
  int replicas = 0, threads = 1;
  bool peers = false;
  std::vector<std::string> settings;
  std::vector<int> thread_curve;
  fleetsim::bench::PeerOptions peer_options;
#ifdef FLEETSIM_PEERS_DIR
  peer_options.peers_dir = FLEETSIM_PEERS_DIR;
#else
  peer_options.peers_dir = "bench/peers";
#endif
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--policy" && i + 1 < argc)
      policies.push_back(argv[++i]);
    else if (a == "--replicas" && i + 1 < argc)
      replicas = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--set" && i + 1 < argc)
      settings.push_back(argv[++i]);
    else if (a == "--thread-curve" && i + 1 < argc)
      thread_curve = ParseCounts(argv[++i]);
    else if (a == "--peers")
      peers = true;
    else if (a == "--python" && i + 1 < argc)
      peer_options.python = argv[++i];
    else if (a == "--peers-dir" && i + 1 < argc)
      peer_options.peers_dir = argv[++i];
    else if (a == "--numpy-replicas" && i + 1 < argc)
      peer_options.numpy_replicas = std::atoi(argv[++i]);
    else if (a == "--peer-replicas" && i + 1 < argc)
      peer_options.cohort_replicas = std::atoi(argv[++i]);
    else if (a == "--per-host-hosts" && i + 1 < argc)
      peer_options.per_host_hosts = std::atoi(argv[++i]);
    else
      scenario_path = a;
  }
  if (scenario_path.empty()) {
    scenario_path =
        peers ? "scenarios/examples/mc-noisy-change.yaml" : "scenarios/examples/config-day.yaml";
  }
  if (replicas <= 0) replicas = peers ? 20 : 1;
  auto axes = fleetsim::ParseSettings(settings);
  if (!axes.ok()) {
    std::fprintf(stderr, "%s\n", axes.status().message().c_str());
    return 2;
  }
  auto experiment = fleetsim::LoadExperimentWithSettings(scenario_path, policies, axes.value());
  if (!experiment.ok()) {
    std::fprintf(stderr, "%s\n", experiment.status().message().c_str());
    return 2;
  }
  const fleetsim::Scenario& scenario = experiment.value().scenario;
  std::printf("scenario %s: %lld hosts, %zu cells, %s simulated, %d replica(s), %d thread(s)\n",
              scenario.name.c_str(), static_cast<long long>(scenario.fleet->total_hosts()),
              scenario.fleet->cells().size(), fleetsim::FormatDuration(scenario.duration).c_str(),
              replicas, threads);
  if (!thread_curve.empty()) {
    for (const int t : thread_curve) {
      if (t < 1) {
        std::fprintf(stderr, "--thread-curve: expected thread counts >= 1, e.g. 1,2\n");
        return 2;
      }
    }
    for (const fleetsim::Policy& policy : experiment.value().policies)
      PrintThreadCurve(scenario, policy, replicas, thread_curve);
    return 0;
  }
  double wall_per_replica = 0, cpu_per_replica = 0;
  for (const fleetsim::Policy& policy : experiment.value().policies) {
    const Timing timing = TimeReplicas(scenario, policy, replicas, threads);
    const auto& results = timing.results;
    const double seconds = timing.wall;
    const double cpu = timing.cpu;
    size_t changes = 0;
    for (const auto& r : results) changes += r.outcomes.size();
    const double host_minutes =
        static_cast<double>(scenario.fleet->total_hosts()) * scenario.duration.minutes() * replicas;
    std::printf(
        "policy %-14s wall %.3f s  (%.3f s/replica, %.3f cpu)  %.3g simulated host-minutes/s  %.1f "
        "changes/replica\n",
        policy.name.c_str(), seconds, seconds / replicas, cpu / replicas, host_minutes / seconds,
        static_cast<double>(changes) / replicas);
    const double minutes = scenario.duration.minutes();
    const double cell_minutes = minutes * static_cast<double>(scenario.fleet->cells().size());
    std::printf("  %.4f ms cpu per simulated minute, %.2f ns per cell-minute (one replica, cpu)\n",
                cpu / replicas * 1e3 / minutes, cpu / replicas * 1e9 / cell_minutes);
    PrintOutcomeStatistics(results);
    wall_per_replica = seconds / replicas;
    cpu_per_replica = cpu / replicas;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double peak_bytes = static_cast<double>(usage.ru_maxrss) * 1024.0;
  std::printf("peak RSS %.1f MiB  (%.2f bytes per host)\n", peak_bytes / (1024.0 * 1024.0),
              peak_bytes / static_cast<double>(scenario.fleet->total_hosts()));
  if (peers) {
    if (!fleetsim::bench::PeersImplement(scenario.name) ||
        experiment.value().policies.size() != 1) {
      std::printf(
          "peers skipped: they implement only scenarios/examples/mc-noisy-change.yaml and "
          "mc-staged-change.yaml under their own policies\n");
    } else {
      fleetsim::bench::RunPeers(
          peer_options,
          fleetsim::bench::PeerBaseline{scenario.name, scenario.duration.minutes(),
                                        static_cast<double>(scenario.fleet->cells().size()),
                                        wall_per_replica, cpu_per_replica});
    }
  }
  return 0;
}
