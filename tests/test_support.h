// Helpers shared by the Catch2 test files, so that each test file keeps only what it checks:
//  - ScenarioFromYaml / PolicyFromYaml parse YAML text and REQUIRE that it parses (the parse
//    error is reported with INFO, so a failure names the offending line);
//  - TenThousandHostScenarioYaml / kStagesPolicyYaml: the closed-form scenario and stages
//    policy used by the simulation, timeline and trace tests; SingleChangeScenarioYaml: the
//    one-change scenarios of the policy tests;
//  - RunFleetsim runs the fleetsim executable from the source directory and captures its exit
//    code and output; ReadFile and FreshTempDir are the file helpers of the CLI tests.
// Everything here may use Catch2 assertions: call it from inside a TEST_CASE.
#pragma once

#include <filesystem>
#include <string>

#include "analysis/change_outcome.h"
#include "policies/health/health_check.h"
#include "policies/policy_loader.h"
#include "sim/scenario.h"

namespace fleetsim::testing {

// Parses a scenario from YAML text (`file` is the name errors report); REQUIREs success.
Scenario ScenarioFromYaml(const std::string& yaml, const std::string& file = "test.yaml");

// Parses a policy from YAML text; `name` is the policy's name when the YAML gives none and
// `file` the name errors report. REQUIREs success.
Policy PolicyFromYaml(const std::string& yaml, const std::string& name = "test",
                      const std::string& file = "policy.yaml");

// Builds one health check from its YAML mapping through the registry ({kind: NAME, ...});
// REQUIREs that it parses.
std::unique_ptr<HealthCheck> HealthCheckFromYaml(const std::string& yaml);

// The error a health check's YAML mapping produces (REQUIREs that it fails).
std::string HealthCheckError(const std::string& yaml);

// Runs `policy` on one fatal change (+50% errors) and, separately, on one good change, both
// arriving at 1h on 20,000 flat-traffic hosts in two regions: the common end-to-end check that
// a health check catches a fatal change in its canary and lets a good one through.
struct FatalAndGood {
  ChangeOutcome fatal;
  ChangeOutcome good;
};
FatalAndGood RunFatalAndGood(const Policy& policy);

// 10,000 hosts in 2 clusters of 100 buckets, no noise, deploy 1,000 hosts/min and roll back
// 2,000 hosts/min, one fatal fault (+50% errors), no people; `injected` is the YAML list of
// injected changes, each line indented by four spaces (e.g. "    - {at: 10m}\n").
std::string TenThousandHostScenarioYaml(const std::string& name, const std::string& injected);

// Stages 1 -> 5 -> 25 -> 100% with bakes 30m, 1h, 1h, 1h, and a 5% error-rate threshold judged
// every minute (one failure rolls back). No name: prepend "\nname: ..." to give one.
extern const char* const kStagesPolicyYaml;

// The end of a scenario with a single injected change: 0.1% base error rate (unless `world` has
// its own signals: line), one fault `fatal`
// (+50% errors), no people, and the change at `at` carrying `fault` ("" for a good change).
// `world` holds the other top-level keys (name, duration, fleet, traffic, deploy), one a line.
std::string SingleChangeScenarioYaml(const std::string& world, const std::string& at,
                                     const std::string& fault);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs FLEETSIM_BINARY with `args` (shell syntax) in FLEETSIM_SOURCE_DIR.
CommandResult RunFleetsim(const std::string& args);

// Runs `command` with /bin/sh in FLEETSIM_SOURCE_DIR (e.g. with environment variables, or under
// mpirun), capturing stdout and stderr.
CommandResult RunShell(const std::string& command);

// The whole file, bytes as they are; empty if it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

// The commit-flow tests' world: 100 hosts in one region, flat traffic at 100 requests per host
// per minute, 0.1% base errors, deploy 10 hosts/min and roll back 100/min, one fault `fatal`
// (+50% errors), no people; `commits` is the changes.commits mapping (flow YAML).
std::string CommitWorldYaml(const std::string& name, const std::string& duration, int seed,
                            const std::string& commits);

// `text` with the first occurrence of `from` replaced by `to`; REQUIREs that `from` occurs.
std::string ReplaceFirst(std::string text, const std::string& from, const std::string& to);

// An empty directory under the system temp directory, unique to this process and call
// (previous contents are removed). The caller removes it.
std::filesystem::path FreshTempDir(const std::string& name);

}  // namespace fleetsim::testing
