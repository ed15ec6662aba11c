// `mpirun -np 3 fleetsim ...` (Boost.MPI over Open MPI) as a user meets it: run on two
// scenarios, compare, sweep and check give byte for byte the outputs of one process, for any
// threads per rank; bad input is said once and exits 2; a rank that dies fails the run with a
// clear message and no output, and the rerun resumes from --checkpoint with identical output.
// Compiled when the build has MPI support and mpirun (tests/CMakeLists.txt); otherwise ctest
// lists mpi.tests_skipped as skipped.
#ifdef FLEETSIM_TEST_MPIRUN

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Mpirun(int ranks, const std::string& args, const std::string& env = "") {
  return RunShell(env + " '" + FLEETSIM_TEST_MPIRUN + "' --allow-run-as-root --oversubscribe -np " +
                  std::to_string(ranks) + " '" + FLEETSIM_BINARY + "' " + args);
}

// Runs `command` once alone and under mpirun -np 3 (each with `threads`), writing `outputs`
// (a printf-like list of "--flag NAME" where NAME gets the prefix), and compares every file.
void CheckSameAsOneProcess(const std::string& command, const std::vector<std::string>& flags,
                           const std::string& threads_alone, const std::string& threads_ranks) {
  const fs::path dir = FreshTempDir("mpi-same");
  auto outputs = [&](const std::string& prefix) {
    std::string s;
    for (size_t i = 0; i < flags.size(); ++i) {
      s += " " + flags[i] + " " + (dir / (prefix + std::to_string(i))).string();
    }
    return s;
  };
  INFO(command);
  CommandResult one = RunFleetsim(command + " --threads " + threads_alone + outputs("one"));
  INFO(one.output);
  REQUIRE(one.exit_code == 0);
  CommandResult three = Mpirun(3, command + " --threads " + threads_ranks + outputs("three"));
  INFO(three.output);
  REQUIRE(three.exit_code == 0);
  CHECK(three.output == one.output);  // the terminal table (rank 0 alone prints)
  for (size_t i = 0; i < flags.size(); ++i) {
    const std::string a = ReadFile(dir / ("one" + std::to_string(i)));
    CHECK_FALSE(a.empty());
    CHECK(a == ReadFile(dir / ("three" + std::to_string(i))));
  }
  fs::remove_all(dir);
}

TEST_CASE("mpirun -np 3 run on two scenarios is byte-identical to one process", "[cli][mpi]") {
  CheckSameAsOneProcess("run scenarios/examples/mc-staged-change.yaml --replicas 24 --seed 5",
                        {"--json", "--csv"}, "2", "1");
  CheckSameAsOneProcess("run scenarios/examples/instagram-day.yaml --replicas 4 -q",
                        {"--json", "--commits-csv"}, "1", "2");
}

TEST_CASE("mpirun -np 3 compare, sweep and check are byte-identical to one process", "[cli][mpi]") {
  CheckSameAsOneProcess(
      "compare scenarios/examples/mc-staged-change.yaml --policy big-bang --policy staged-15m "
      "--replicas 9",
      {"--json"}, "2", "1");
  CheckSameAsOneProcess(
      "sweep scenarios/examples/mc-staged-change.yaml --param health.failure_limit=1,3 "
      "--param rollout.stages[0].bake=5m,30m --replicas 5 -q",
      {"--json", "--csv"}, "1", "1");
  CheckSameAsOneProcess("check scenarios/baselines/big-bang-quickstart.yaml", {"--junit"}, "2",
                        "1");
}

TEST_CASE("bad input under mpirun is said once and exits 2", "[cli][mpi]") {
  const fs::path dir = FreshTempDir("mpi-bad");
  CommandResult r = Mpirun(3,
                           "run scenarios/examples/mc-staged-change.yaml --policy no-such "
                           "--json " +
                               (dir / "x.json").string());
  INFO(r.output);
  CHECK(r.exit_code == 2);
  const std::string message = "policy 'no-such' not found";
  const size_t first = r.output.find(message);
  REQUIRE(first != std::string::npos);
  CHECK(r.output.find(message, first + 1) == std::string::npos);
  CHECK_FALSE(fs::exists(dir / "x.json"));
  fs::remove_all(dir);
}

TEST_CASE("a killed rank fails the run with no output, and the rerun resumes identically",
          "[cli][mpi][checkpoint]") {
  const fs::path dir = FreshTempDir("mpi-killed");
  const std::string run =
      "run scenarios/examples/mc-staged-change.yaml --replicas 30 --seed 2 "
      "--threads 1 -q --checkpoint " +
      (dir / "ck").string() + " --json ";
  const std::string out = (dir / "out.json").string();
  // Rank 2 kills itself (SIGKILL, like the OOM killer) once it computed its first chunk, before
  // sending it: rank 0 can never finish.
  CommandResult killed = Mpirun(3, run + out, "FLEETSIM_TEST_KILL_RANK=2");
  INFO(killed.output);
  CHECK(killed.exit_code != 0);
  CHECK_THAT(killed.output, Catch::Contains("rank 2") && Catch::Contains("signal 9"));
  CHECK_THAT(killed.output, Catch::Contains("fleetsim: interrupted by SIGTERM") &&
                                Catch::Contains("nothing written") &&
                                Catch::Contains("a rank died or was killed"));
  CHECK_FALSE(fs::exists(out));
  CommandResult resumed = Mpirun(3, run + out + " --verbose");
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CommandResult alone = RunFleetsim(
      "run scenarios/examples/mc-staged-change.yaml --replicas 30 "
      "--seed 2 -q --json " +
      (dir / "alone.json").string());
  REQUIRE(alone.exit_code == 0);
  CHECK(ReadFile(out) == ReadFile(dir / "alone.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing

#endif  // FLEETSIM_TEST_MPIRUN
