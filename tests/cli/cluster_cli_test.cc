// Running past one process without MPI, as a user meets it: `--shard I/N` parts merged by
// `fleetsim merge` give the same bytes as one run (run, compare, sweep, check); merge refuses
// incomplete or mismatched sets and writes nothing; `--checkpoint` resumes byte-identically and
// refuses another run's directory; Ctrl-C stops cleanly, keeping finished replicas.
#include <signal.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/child_process.h"
#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

// Runs `command` (fleetsim arguments without outputs) as N shards into `dir`, then merges
// them with `outputs`; returns merge's result.
CommandResult ShardAndMerge(const std::string& command, int n, const fs::path& dir,
                            const std::string& outputs) {
  std::string parts;
  for (int i = n - 1; i >= 0; --i) {  // any order
    const std::string part = (dir / ("p" + std::to_string(i) + ".part")).string();
    CommandResult r = RunFleetsim(command + " --threads 1 -q --shard " + std::to_string(i) + "/" +
                                  std::to_string(n) + " --part " + part);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    parts += " " + part;
  }
  return RunFleetsim("merge" + parts + " " + outputs);
}

TEST_CASE("shard parts merged give the same bytes as one run", "[cli][shard]") {
  const fs::path dir = FreshTempDir("shard-merge");
  const std::string d = dir.string();
  struct Case {
    std::string command, outputs_one, outputs_merged;
    std::vector<std::string> files;
  };
  const std::vector<Case> cases = {
      {"run scenarios/examples/mc-staged-change.yaml --replicas 9 --seed 4",
       "--json " + d + "/1.json --csv " + d + "/1.csv",
       "--json " + d + "/m.json --csv " + d + "/m.csv",
       {"json", "csv"}},
      {"run scenarios/examples/instagram-day.yaml --replicas 3",
       "--json " + d + "/1.json --commits-csv " + d + "/1.csv",
       "--json " + d + "/m.json --commits-csv " + d + "/m.csv",
       {"json", "csv"}},
      {"compare scenarios/examples/mc-staged-change.yaml --policy big-bang --policy staged-15m "
       "--replicas 7",
       "--json " + d + "/1.json",
       "--json " + d + "/m.json",
       {"json"}},
      {"sweep scenarios/examples/mc-staged-change.yaml --param health.failure_limit=1,3 "
       "--param rollout.stages[0].bake=5m,30m --replicas 4",
       "--json " + d + "/1.json",
       "--json " + d + "/m.json",
       {"json"}},
      {"check scenarios/baselines/big-bang-quickstart.yaml",
       "--junit " + d + "/1.xml",
       "--junit " + d + "/m.xml",
       {"xml"}},
  };
  for (const Case& c : cases) {
    INFO(c.command);
    CommandResult one = RunFleetsim(c.command + " " + c.outputs_one);
    REQUIRE(one.exit_code == 0);
    CommandResult merged = ShardAndMerge(c.command, 3, dir, c.outputs_merged);
    INFO(merged.output);
    REQUIRE(merged.exit_code == 0);
    CHECK(merged.output == one.output);  // the terminal table too
    for (const std::string& ext : c.files) {
      const std::string a = ReadFile(dir / ("1." + ext)), b = ReadFile(dir / ("m." + ext));
      CHECK_FALSE(a.empty());
      CHECK(a == b);
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("merge refuses missing, duplicate and mismatched shards, writing nothing",
          "[cli][shard]") {
  const fs::path dir = FreshTempDir("merge-refuses");
  const std::string run = "run scenarios/examples/mc-staged-change.yaml --replicas 4 -q";
  const std::string p0 = (dir / "p0.part").string(), p1 = (dir / "p1.part").string();
  REQUIRE(RunFleetsim(run + " --shard 0/2 --part " + p0).exit_code == 0);
  REQUIRE(RunFleetsim(run + " --shard 1/2 --part " + p1).exit_code == 0);
  const std::string other = (dir / "other.part").string();
  REQUIRE(RunFleetsim(run + " --seed 9 --shard 1/2 --part " + other).exit_code == 0);
  const std::string json = " --json " + (dir / "out.json").string();
  struct Refusal {
    std::string parts, message;
  };
  for (const Refusal& r : std::vector<Refusal>{
           {p0, "missing 1 of 2 shards: 1"},
           {p0 + " " + p1 + " " + p1, "shard 1/2 given twice"},
           {p0 + " " + other, "belongs to another run"},
           {p0 + " " + dir.string() + "/../" + dir.filename().string() + "/no-such.part", ""}}) {
    CommandResult m = RunFleetsim("merge " + r.parts + json);
    INFO(m.output);
    CHECK(m.exit_code == 2);
    CHECK_THAT(m.output, Catch::Contains(r.message));
    CHECK_FALSE(fs::exists(dir / "out.json"));
  }
  // A damaged part names itself.
  std::string bytes = ReadFile(p1);
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(dir / "damaged.part", std::ios::binary) << bytes;
  CommandResult damaged = RunFleetsim("merge " + p0 + " " + (dir / "damaged.part").string());
  CHECK(damaged.exit_code == 2);
  CHECK_THAT(damaged.output, Catch::Contains("damaged.part") && Catch::Contains("checksum"));
  // Report options belong to merge, not to the shards; bad shard specs are bad input.
  CommandResult report = RunFleetsim(run + " --shard 0/2 --part " + p0 + json);
  CHECK(report.exit_code == 2);
  CHECK_THAT(report.output, Catch::Contains("give the report options to fleetsim merge"));
  for (const char* bad : {"2/2", "1", "a/3", "0/0", "-1/2"}) {
    CommandResult b = RunFleetsim(run + " --shard " + bad);
    INFO(bad << ": " << b.output);
    CHECK(b.exit_code == 2);
    CHECK_THAT(b.output, Catch::Contains("expected I/N with 0 <= I < N"));
  }
  CHECK(RunFleetsim("merge " + p0 + " " + p1 + json).exit_code == 0);  // the set itself is fine
  fs::remove_all(dir);
}

TEST_CASE("a checkpoint resumes byte-identically and refuses another run", "[cli][checkpoint]") {
  const fs::path dir = FreshTempDir("checkpoint-cli");
  const std::string run = "run scenarios/examples/mc-staged-change.yaml --replicas 10 -q";
  const std::string ck = " --checkpoint " + (dir / "ck").string();
  REQUIRE(RunFleetsim(run + " --json " + (dir / "one.json").string()).exit_code == 0);
  // Half the replicas (a shard) land in the checkpoint first, as if the run had been cut short.
  REQUIRE(RunFleetsim(run + ck + " --shard 0/2 --part " + (dir / "p.part").string()).exit_code ==
          0);
  CommandResult resumed =
      RunFleetsim(run + ck + " --verbose --json " + (dir / "resumed.json").string());
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.output, Catch::Contains("10 replicas (5 resumed from the checkpoint)"));
  CHECK(ReadFile(dir / "resumed.json") == ReadFile(dir / "one.json"));
  CommandResult other =
      RunFleetsim("run scenarios/examples/mc-staged-change.yaml --replicas 11 -q" + ck +
                  " --json " + (dir / "other.json").string());
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.output,
             Catch::Contains("holds results of another run") && Catch::Contains("replicas 11"));
  CHECK_FALSE(fs::exists(dir / "other.json"));
  fs::remove_all(dir);
}

// Waits until a checkpoint part file is in `dir`: false when none came within 60 s (or the child
// finished first).
bool AwaitCheckpointPart(const fs::path& dir, pid_t child) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() == ".part") return true;
    }
    if (kill(child, 0) != 0) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST_CASE("Ctrl-C stops a run cleanly, writing nothing, and the rerun resumes",
          "[cli][checkpoint]") {
  const fs::path dir = FreshTempDir("interrupt-checkpoint");
  const std::vector<std::string> args{"run",
                                      "scenarios/examples/quickstart.yaml",
                                      "--replicas",
                                      "48",
                                      "--threads",
                                      "1",
                                      "-q",
                                      "--checkpoint",
                                      (dir / "ck").string(),
                                      "--checkpoint-every",
                                      "0s"};
  const std::string out = (dir / "out.json").string();
  std::vector<std::string> argv{FLEETSIM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--json", out});
  ChildProcess child;
  ChildLimits limits;
  limits.timeout_seconds = 120;
  REQUIRE(child.Start(argv, FLEETSIM_SOURCE_DIR, limits));
  // Flushed after every replica (--checkpoint-every 0s): the first part comes with the first of 48
  // replicas (~60 ms of a ~3 s run), so the signal lands mid-run on a fast machine too.
  REQUIRE(AwaitCheckpointPart(dir / "ck", child.pid()));
  child.Signal(SIGINT);
  const ChildResult stopped = child.Wait();
  INFO(stopped.output);
  CHECK(stopped.exit_code == 128 + SIGINT);
  CHECK_THAT(stopped.output, Catch::Contains("interrupted by SIGINT") &&
                                 Catch::Contains("of 48 replicas finished; nothing written") &&
                                 Catch::Contains("rerun the same command to resume"));
  CHECK_FALSE(fs::exists(out));
  std::string rerun;
  for (const std::string& a : args) rerun += " '" + a + "'";
  CommandResult resumed = RunFleetsim(rerun + " --verbose --json " + out);
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.output, Catch::Contains("resumed from the checkpoint"));
  CHECK_THAT(resumed.output, !Catch::Contains("(0 resumed"));  // some replicas were kept
  CommandResult plain = RunFleetsim(
      "run scenarios/examples/quickstart.yaml --replicas 48 -q "
      "--json " +
      (dir / "plain.json").string());
  REQUIRE(plain.exit_code == 0);
  CHECK(ReadFile(out) == ReadFile(dir / "plain.json"));
  fs::remove_all(dir);
}

TEST_CASE("a bad --checkpoint-every is refused before the run", "[cli][checkpoint]") {
  const fs::path dir = FreshTempDir("checkpoint-every");
  CommandResult bad = RunFleetsim("run quickstart -q --checkpoint " + (dir / "ck").string() +
                                  " --checkpoint-every 2x --json " + (dir / "o.json").string());
  INFO(bad.output);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("--checkpoint-every '2x'"));
  CHECK_FALSE(fs::exists(dir / "o.json"));
  CommandResult alone = RunFleetsim("run quickstart -q --checkpoint-every 1s");
  INFO(alone.output);
  CHECK(alone.exit_code == 2);
  CHECK_THAT(alone.output, Catch::Contains("--checkpoint-every goes with --checkpoint DIR"));
  fs::remove_all(dir);
}

TEST_CASE("one-process commands refuse to run as several launched copies", "[cli][mpi]") {
  // An MPI launcher announces the world size in the environment (OMPI_COMM_WORLD_SIZE, ...).
  CommandResult r = RunShell("OMPI_COMM_WORLD_SIZE=3 '" + std::string(FLEETSIM_BINARY) +
                             "' validate scenarios/examples/quickstart.yaml");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("runs in one process; launch it without mpirun"));
  CHECK(RunFleetsim("validate scenarios/examples/quickstart.yaml").exit_code == 0);
#ifndef FLEETSIM_TEST_MPIRUN
  // Built without MPI: run under a launcher would be N copies writing the same files.
  CommandResult copies = RunShell("OMPI_COMM_WORLD_SIZE=3 '" + std::string(FLEETSIM_BINARY) +
                                  "' run scenarios/examples/mc-staged-change.yaml");
  INFO(copies.output);
  CHECK(copies.exit_code == 2);
  CHECK_THAT(copies.output,
             Catch::Contains("built without MPI support") && Catch::Contains("one of 3 processes"));
#endif
}

}  // namespace
}  // namespace fleetsim::testing
