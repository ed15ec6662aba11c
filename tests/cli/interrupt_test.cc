// Interrupting fleetsim (cli/interrupt.h): SIGINT or SIGTERM during a long run stops it between
// replicas; it says how many replicas finished of how many, exits 130 (SIGINT) or 143 (SIGTERM),
// leaves the output files that were there intact and no temporary file behind.
//
// The child is signalled once it has used 0.3 s of CPU (read from /proc), i.e. when it is well
// inside its replicas (loading takes milliseconds): no sleep decides what the test sees.
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/child_process.h"
#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

// User + system CPU seconds of process `pid` (0 if it cannot be read).
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');  // the command name may contain spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    if (i == 15) break;
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct Interrupted {
  ChildResult result;
  fs::path dir;
};

// Starts `args` + outputs into a directory holding an old report, signals it mid-run.
Interrupted InterruptRun(std::vector<std::string> args, int signal) {
  Interrupted out;
  out.dir = FreshTempDir("interrupt");
  std::ofstream(out.dir / "report.json") << "the previous report";
  for (const std::string& a :
       {std::string("--json"), (out.dir / "report.json").string(), std::string("--csv"),
        (out.dir / "rows.csv").string(), std::string("--threads"), std::string("2")})
    args.push_back(a);
  std::vector<std::string> argv{FLEETSIM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child;
  ChildLimits limits;
  limits.timeout_seconds = 120;
  REQUIRE(child.Start(argv, FLEETSIM_SOURCE_DIR, limits));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (CpuSeconds(child.pid()) < 0.3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  child.Signal(signal);
  out.result = child.Wait();
  return out;
}

void CheckNothingWritten(const Interrupted& run) {
  CHECK(ReadFile(run.dir / "report.json") == "the previous report");
  CHECK_FALSE(fs::exists(run.dir / "rows.csv"));
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(run.dir)) left.push_back(e.path().filename());
  CHECK(left == std::vector<std::string>{"report.json"});  // no temporary files either
}

TEST_CASE("SIGINT stops a long run: replicas finished of N, exit 130, nothing written",
          "[cli][interrupt]") {
  const Interrupted run = InterruptRun(
      {"run", "scenarios/examples/mc-staged-change.yaml", "--replicas", "1000000"}, SIGINT);
  INFO(run.result.output);
  CHECK(run.result.signal == 0);
  CHECK(run.result.exit_code == 130);
  CHECK_THAT(run.result.output, Catch::Contains("interrupted by SIGINT") &&
                                    Catch::Contains(" of 1000000 replicas finished") &&
                                    Catch::Contains("nothing written"));
  CHECK(run.result.seconds < 60);
  CheckNothingWritten(run);
  fs::remove_all(run.dir);
}

TEST_CASE("SIGTERM stops a compare the same way and exits 143", "[cli][interrupt]") {
  const Interrupted run =
      InterruptRun({"compare", "scenarios/examples/mc-staged-change.yaml", "--policy", "big-bang",
                    "--policy", "configerator", "--replicas", "1000000"},
                   SIGTERM);
  INFO(run.result.output);
  CHECK(run.result.signal == 0);
  CHECK(run.result.exit_code == 143);
  CHECK_THAT(run.result.output, Catch::Contains("interrupted by SIGTERM") &&
                                    Catch::Contains(" of 2000000 replicas finished"));
  CheckNothingWritten(run);
  fs::remove_all(run.dir);
}

TEST_CASE("an uninterrupted run replaces the old report (the interrupt tests can fail)",
          "[cli][interrupt]") {
  const fs::path dir = FreshTempDir("no-interrupt");
  std::ofstream(dir / "report.json") << "the previous report";
  CommandResult r = RunFleetsim("run scenarios/examples/quickstart.yaml --replicas 2 -q --json " +
                                (dir / "report.json").string());
  REQUIRE(r.exit_code == 0);
  CHECK(ReadFile(dir / "report.json") != "the previous report");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
