// Scaling benchmark (issue #3, target 4): time per simulated day as the fleet grows and as the
// config-change rate grows, from one base scenario, one replica per point on one thread.
//
//   build/bench/fleetsim_scaling [SCENARIO] [--policy P] [--hosts 1e4,1e5,1e6,1e7]
//                                [--changes 1e2,1e3,1e4,1e5] [--at-hosts H] [--at-changes C]
//                                [--param PATH=VALUE]... [--repeat N] [--markdown]
//
// Two curves are run: hosts vary at `--at-changes` changes a day, then changes vary at
// `--at-hosts` hosts (defaults 1e3 and 1e6). `--param` edits the base scenario for every point
// (same paths as `fleetsim sweep`), e.g. `--param signals.overdispersion=0 --param
// signals.latency_noise=0` to run the aggregated fast path. Each point runs in a child process
// (fork) so that its peak memory and CPU time are its own (wait4's rusage), not the largest so
// far. Printed per point: cells, changes, wall and CPU seconds per simulated day, CPU per
// simulated tick, simulated host-minutes per CPU second, peak RSS and bytes per host.
// `--repeat N` runs every point N times and keeps the run with the least CPU time: on a shared
// machine other tenants only ever add time, so the minimum is the steadiest estimate.
// `--markdown` prints the same rows as a Markdown table (docs/performance.md is made from it).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/monte_carlo.h"
#include "analysis/sweep.h"

namespace {

struct Options {
  std::string scenario = "scenarios/examples/config-day.yaml";
  std::string policy;
  std::vector<std::string> hosts = {"1e4", "1e5", "1e6", "1e7"};
  std::vector<std::string> changes = {"1e2", "1e3", "1e4", "1e5"};
  std::string at_hosts = "1e6";
  std::string at_changes = "1e3";
  std::vector<std::string> params;
  int repeat = 1;
  bool markdown = false;
};

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// "1e6" -> "1000000": the scenario loader wants integers for host counts.
std::string Integer(const std::string& value) {
  return std::to_string(static_cast<long long>(std::strtod(value.c_str(), nullptr)));
}

// What one point's child process reports back through a pipe.
struct PointResult {
  double wall_seconds = 0;
  double simulated_days = 0;
  long long hosts = 0;
  long long cells = 0;
  long long changes = 0;
  long long ticks = 0;
  int ok = 0;
};

// Runs one point in this (child) process and writes a PointResult to `fd`.
void RunPoint(const Options& options, const std::string& hosts, const std::string& per_day,
              int fd) {
  std::vector<fleetsim::SweepAxis> axes;
  for (const std::string& p : options.params) {
    auto axis = fleetsim::ParseSweepAxis(p);
    if (!axis.ok()) {
      std::fprintf(stderr, "%s\n", axis.status().message().c_str());
      _exit(2);
    }
    axes.push_back(axis.value());
  }
  axes.push_back(fleetsim::SweepAxis{"fleet.hosts", {Integer(hosts)}});
  axes.push_back(fleetsim::SweepAxis{"changes.config.per_day", {Integer(per_day)}});
  auto points = fleetsim::ExpandSweep(options.scenario, options.policy, axes);
  if (!points.ok()) {
    std::fprintf(stderr, "%s\n", points.status().message().c_str());
    _exit(2);
  }
  const fleetsim::SweepPoint& point = points.value().front();
  fleetsim::RunOptions run;
  run.replicas = 1;
  run.threads = 1;
  run.seed = point.scenario.seed;
  const auto start = std::chrono::steady_clock::now();
  const auto results = fleetsim::RunReplicas(point.scenario, point.policy, run);
  PointResult out;
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.simulated_days = point.scenario.duration.minutes() / (24.0 * 60.0);
  out.hosts = point.scenario.fleet->total_hosts();
  out.cells = static_cast<long long>(point.scenario.fleet->cells().size());
  out.changes = static_cast<long long>(results.front().outcomes.size());
  out.ticks = point.scenario.duration.millis() / point.scenario.tick.millis();
  out.ok = 1;
  if (write(fd, &out, sizeof out) != static_cast<ssize_t>(sizeof out)) _exit(3);
  _exit(0);
}

void PrintHeader(bool markdown) {
  if (markdown) {
    std::printf(
        "| hosts | changes/day | cells | changes run | wall s/day | CPU s/day | CPU us/tick | "
        "host-min per CPU s | peak RSS MiB | bytes/host |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  } else {
    std::printf("%10s %11s %6s %8s %10s %9s %11s %18s %12s %10s\n", "hosts", "changes/day", "cells",
                "changes", "wall s/day", "CPU s/day", "CPU us/tick", "host-min/CPU s",
                "peak RSS MiB", "bytes/host");
  }
}

// One run of a point: what its child reported and the resources it used.
struct Measurement {
  PointResult result;
  double cpu_seconds = 0;
  long max_rss_kib = 0;
};

// Forks, runs the point in the child and waits for it. False when the child failed.
bool MeasureOnce(const Options& options, const std::string& hosts, const std::string& per_day,
                 Measurement& m) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    close(fds[0]);
    RunPoint(options, hosts, per_day, fds[1]);
  }
  close(fds[1]);
  PointResult& r = m.result;
  const ssize_t got = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (got != static_cast<ssize_t>(sizeof r) || !r.ok || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "point hosts=%s changes=%s failed\n", hosts.c_str(), per_day.c_str());
    return false;
  }
  m.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  m.max_rss_kib = usage.ru_maxrss;
  return true;
}

// Measures the point `options.repeat` times, prints the row of the run with the least CPU.
bool MeasurePoint(const Options& options, const std::string& hosts, const std::string& per_day) {
  Measurement best;
  for (int i = 0; i < options.repeat; ++i) {
    Measurement m;
    if (!MeasureOnce(options, hosts, per_day, m)) return false;
    if (i == 0 || m.cpu_seconds < best.cpu_seconds) best = m;
  }
  const PointResult& r = best.result;
  const double cpu = best.cpu_seconds;
  const double days = r.simulated_days > 0 ? r.simulated_days : 1;
  const double rss_mib = static_cast<double>(best.max_rss_kib) / 1024.0;
  const double host_minutes = static_cast<double>(r.hosts) * days * 24 * 60;
  const double per_tick_us = r.ticks > 0 ? cpu / static_cast<double>(r.ticks) * 1e6 : 0;
  const double bytes_per_host =
      static_cast<double>(best.max_rss_kib) * 1024.0 / static_cast<double>(r.hosts);
  if (options.markdown) {
    std::printf("| %lld | %s | %lld | %lld | %.2f | %.2f | %.0f | %.3g | %.1f | %.2f |\n", r.hosts,
                Integer(per_day).c_str(), r.cells, r.changes, r.wall_seconds / days, cpu / days,
                per_tick_us, host_minutes / cpu, rss_mib, bytes_per_host);
  } else {
    std::printf("%10lld %11s %6lld %8lld %10.2f %9.2f %11.0f %18.3g %12.1f %10.2f\n", r.hosts,
                Integer(per_day).c_str(), r.cells, r.changes, r.wall_seconds / days, cpu / days,
                per_tick_us, host_minutes / cpu, rss_mib, bytes_per_host);
  }
  std::fflush(stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--policy" && has_value)
      options.policy = argv[++i];
    else if (a == "--hosts" && has_value)
      options.hosts = SplitList(argv[++i]);
    else if (a == "--changes" && has_value)
      options.changes = SplitList(argv[++i]);
    else if (a == "--at-hosts" && has_value)
      options.at_hosts = argv[++i];
    else if (a == "--at-changes" && has_value)
      options.at_changes = argv[++i];
    else if (a == "--param" && has_value)
      options.params.push_back(argv[++i]);
    else if (a == "--markdown")
      options.markdown = true;
    else if (a == "--repeat" && has_value) {
      options.repeat = std::atoi(argv[++i]);
      if (options.repeat < 1) {
        std::fprintf(stderr, "fleetsim_scaling: --repeat expects a positive count, got '%s'\n",
                     argv[i]);
        return 2;
      }
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "fleetsim_scaling: unknown option '%s'\n", a.c_str());
      return 2;
    } else
      options.scenario = a;
  }
  std::printf("scaling of %s%s%s, one replica per point, 1 thread", options.scenario.c_str(),
              options.policy.empty() ? "" : " under ", options.policy.c_str());
  if (options.repeat > 1) std::printf(", least CPU of %d runs per point", options.repeat);
  for (const std::string& p : options.params) std::printf(", %s", p.c_str());
  std::printf("\n\nhosts vary (%s config changes a day):\n", Integer(options.at_changes).c_str());
  bool ok = true;
  PrintHeader(options.markdown);
  for (const std::string& h : options.hosts) ok &= MeasurePoint(options, h, options.at_changes);
  std::printf("\nconfig changes vary (%s hosts):\n", Integer(options.at_hosts).c_str());
  PrintHeader(options.markdown);
  for (const std::string& c : options.changes) ok &= MeasurePoint(options, options.at_hosts, c);
  return ok ? 0 : 1;
}
