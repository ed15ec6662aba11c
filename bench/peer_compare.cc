#include "bench/peer_compare.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <vector>

namespace fleetsim::bench {
namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `command`, returns its output lines and exit status.
std::vector<std::string> RunCommand(const std::string& command, int& status) {
  std::vector<std::string> lines;
  status = -1;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return lines;
  std::string line;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) {
    line += buffer;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  if (!line.empty()) lines.push_back(line);
  const int raw = pclose(pipe);
  status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return lines;
}

std::map<std::string, std::string> ParseFields(const std::string& line) {
  std::map<std::string, std::string> fields;
  std::istringstream in(line);
  std::string token;
  while (in >> token) {
    const size_t eq = token.find('=');
    if (eq != std::string::npos) fields[token.substr(0, eq)] = token.substr(eq + 1);
  }
  return fields;
}

// CPU per simulated minute (ms) and per cell-minute (ns) of `cpu` seconds per replica.
std::string PerMinute(const PeerBaseline& b, double cpu) {
  char text[96];
  std::snprintf(text, sizeof text, "%.4f ms cpu/simulated min, %.1f ns/cell-min",
                cpu * 1e3 / b.simulated_minutes, cpu * 1e9 / (b.simulated_minutes * b.cells));
  return text;
}

void RunPeer(const PeerOptions& o, const std::string& peer, const std::string& args,
             const PeerBaseline& b) {
  const std::string script = o.peers_dir + "/" + peer + ".py";
  if (access(script.c_str(), R_OK) != 0) {
    std::printf("peer %-15s skipped: %s not found (--peers-dir)\n", peer.c_str(), script.c_str());
    return;
  }
  std::fflush(stdout);
  int status = 0;
  const std::vector<std::string> lines =
      RunCommand(ShellQuote(o.python) + " " + ShellQuote(script) + " --scenario " +
                     ShellQuote(b.scenario) + " " + args + " 2>&1",
                 status);
  std::map<std::string, std::string> f;
  for (const std::string& line : lines) {
    if (line.rfind("peer=", 0) == 0) f = ParseFields(line);
  }
  if (f.count("skipped")) {
    std::printf(
        "peer %-15s skipped: %s (%s lacks SimPy 3 or numpy: scripts/setup installs "
        "python3-simpy3 and python3-numpy; --python)\n",
        peer.c_str(), f["skipped"].c_str(), o.python.c_str());
    return;
  }
  if (!f.count("s_per_replica") || status != 0) {
    std::printf("peer %-15s skipped: it failed (exit %d)%s%s\n", peer.c_str(), status,
                lines.empty() ? "" : ": ", lines.empty() ? "" : lines.back().c_str());
    return;
  }
  const double wall = std::atof(f["s_per_replica"].c_str());
  const double cpu = std::atof(f["cpu_s_per_replica"].c_str());
  std::string how = f["replicas"] + " replica(s), " + f["sampler"] + " sampler";
  if (f.count("extrapolated_x")) {
    how += ", " + f["hosts"] + " hosts, measured " + f["measured_s_per_replica"] + " s x " +
           f["extrapolated_x"];
  }
  std::printf("peer %-15s %9.4f s/replica wall  %9.4f cpu  %s  (%s)\n", peer.c_str(), wall, cpu,
              PerMinute(b, cpu).c_str(), how.c_str());
  std::printf(
      "  statistics: rolled_back=%s mean_exposed_host_minutes=%s mean_ttm_rolled_back_min=%s\n",
      f["rolled_back"].c_str(), f["mean_exposed_host_minutes"].c_str(),
      f["mean_ttm_rolled_back_min"].c_str());
  if (b.wall_per_replica > 0 && b.cpu_per_replica > 0) {
    std::printf("  fleetsim is %.1fx faster than %s per replica (wall; %.1fx in CPU time)\n",
                wall / b.wall_per_replica, peer.c_str(), cpu / b.cpu_per_replica);
  }
}

}  // namespace

bool PeersImplement(const std::string& scenario_name) {
  return scenario_name == "mc-staged-change" || scenario_name == "mc-noisy-change";
}

void RunPeers(const PeerOptions& o, const PeerBaseline& b) {
  if (access(o.python.c_str(), X_OK) != 0) {
    std::printf(
        "peers skipped: no Python interpreter at %s (Debian python3 + python3-simpy3; --python)\n",
        o.python.c_str());
    return;
  }
  std::printf("fleetsim              %9.4f s/replica wall  %9.4f cpu  %s\n", b.wall_per_replica,
              b.cpu_per_replica, PerMinute(b, b.cpu_per_replica).c_str());
  std::printf("peers (%s; the same scenario, %s, written in SimPy; slow, few replicas):\n",
              o.python.c_str(), b.scenario.c_str());
  RunPeer(o, "simpy_numpy", "--replicas " + std::to_string(o.numpy_replicas), b);
  RunPeer(o, "simpy_cohort", "--replicas " + std::to_string(o.cohort_replicas), b);
  RunPeer(o, "simpy_per_host",
          "--replicas " + std::to_string(o.per_host_replicas) + " --hosts " +
              std::to_string(o.per_host_hosts),
          b);
}

}  // namespace fleetsim::bench
