// Implementation of tests/test_support.h.
#include "tests/test_support.h"

#include "analysis/monte_carlo.h"
#include "policies/health/health_registry.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "loader/scenario_loader.h"

namespace fleetsim::testing {

namespace fs = std::filesystem;

Scenario ScenarioFromYaml(const std::string& yaml, const std::string& file) {
  Result<Scenario> s = ParseScenario(yaml, file);
  INFO(s.status().message());
  REQUIRE(s.ok());
  return std::move(s).value();
}

Policy PolicyFromYaml(const std::string& yaml, const std::string& name, const std::string& file) {
  std::string file_name = file;
  Policy p;
  Status st =
      CatchConfigErrors([&] { p = ParsePolicyNode(ParseYamlText(yaml, &file_name), name); });
  INFO(st.message());
  REQUIRE(st.ok());
  return p;
}

namespace {

Status ParseHealthCheck(const std::string& yaml, std::unique_ptr<HealthCheck>& check) {
  std::string file = "check.yaml";
  return CatchConfigErrors(
      [&] { check = fleetsim::ParseHealthCheck(ParseYamlText(yaml, &file), "check"); });
}

}  // namespace

std::unique_ptr<HealthCheck> HealthCheckFromYaml(const std::string& yaml) {
  std::unique_ptr<HealthCheck> check;
  const Status st = ParseHealthCheck(yaml, check);
  INFO(st.message());
  REQUIRE(st.ok());
  return check;
}

std::string HealthCheckError(const std::string& yaml) {
  std::unique_ptr<HealthCheck> check;
  const Status st = ParseHealthCheck(yaml, check);
  REQUIRE_FALSE(st.ok());
  return st.message();
}

FatalAndGood RunFatalAndGood(const Policy& policy) {
  const char* world = R"(
name: fatal-and-good
duration: 6h
fleet: {hosts: 20000, clusters_per_region: 2, regions: [{name: a}, {name: b}]}
traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}
deploy: {hosts_per_minute: 4000, rollback_hosts_per_minute: 8000}
)";
  FatalAndGood out;
  out.fatal =
      RunReplica(ScenarioFromYaml(SingleChangeScenarioYaml(world, "1h", "fatal")), policy, 1, 0)
          .outcomes.at(0);
  out.good = RunReplica(ScenarioFromYaml(SingleChangeScenarioYaml(world, "1h", "")), policy, 1, 0)
                 .outcomes.at(0);
  return out;
}

std::string TenThousandHostScenarioYaml(const std::string& name, const std::string& injected) {
  return "\nname: " + name + R"(
duration: 12h
seed: 7
fleet:
  regions:
    - {name: r1, clusters: [{name: a, hosts: 5000}, {name: b, hosts: 5000}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
signals: {base_error_rate: 0.001, latency_noise: 0}
deploy: {hosts_per_minute: 1000, rollback_hosts_per_minute: 2000}
faults:
  - {name: fatal, error_rate_increase: 0.5}
humans: {enabled: false}
changes:
  injected:
)" + injected;
}

const char* const kStagesPolicyYaml = R"(
rollout:
  kind: stages
  stages:
    - {name: canary, percent: 1,   bake: 30m}
    - {name: p5,     percent: 5,   bake: 1h}
    - {name: p25,    percent: 25,  bake: 1h}
    - {name: all,    percent: 100, bake: 1h}
health:
  interval: 1m
  failure_limit: 1
  checks:
    - {kind: threshold, metric: error_rate, max: 0.05}
)";

std::string SingleChangeScenarioYaml(const std::string& world, const std::string& at,
                                     const std::string& fault) {
  // The world's own signals win (a key may appear once per mapping).
  const bool own_signals = world.find("\nsignals:") != std::string::npos;
  return world + (own_signals ? "" : "signals: {base_error_rate: 0.001}\n") +
         "faults: [{name: fatal, error_rate_increase: 0.5}]\n"
         "humans: {enabled: false}\n"
         "changes: {injected: [{at: " +
         at + (fault.empty() ? std::string("") : ", fault: " + fault) + "}]}\n";
}

CommandResult RunFleetsim(const std::string& args) {
  return RunShell("'" + std::string(FLEETSIM_BINARY) + "' " + args);
}

CommandResult RunShell(const std::string& shell_command) {
  const std::string command =
      std::string("cd '") + FLEETSIM_SOURCE_DIR + "' && { " + shell_command + "; } 2>&1";
  CommandResult r;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path FreshTempDir(const std::string& name) {
  static int counter = 0;
  fs::path dir =
      fs::temp_directory_path() / ("fleetsim-test-" + name + "-" + std::to_string(::getpid()) +
                                   "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string ReplaceFirst(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string CommitWorldYaml(const std::string& name, const std::string& duration, int seed,
                            const std::string& commits) {
  return "name: " + name + "\nduration: " + duration + "\nseed: " + std::to_string(seed) + R"(
fleet: {regions: [{name: r1, hosts: 100}]}
traffic: {requests_per_host_per_minute: 100, diurnal_amplitude: 0}
signals: {base_error_rate: 0.001, latency_noise: 0}
deploy: {hosts_per_minute: 10, rollback_hosts_per_minute: 100}
faults: [{name: fatal, error_rate_increase: 0.5}]
humans: {enabled: false}
changes:
  commits: )" +
         commits + "\n";
}

}  // namespace fleetsim::testing
