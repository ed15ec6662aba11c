// `fleetsim check` as a CI gate: a deliberately weaker policy (skipped canary, shorter bakes)
// fails against the committed configerator baseline, a behaviour-preserving rewrite of the
// policy passes, repeated checks print the same thing, --update records atomically, JUnit XML
// is written, and bad baselines exit 2.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

CommandResult Run(const std::string& args) {
  const std::string command =
      std::string("cd '") + FLEETSIM_SOURCE_DIR + "' && '" + FLEETSIM_BINARY + "' " + args + " 2>&1";
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

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* kBaseline = "scenarios/baselines/configerator-quickstart.yaml";

TEST_CASE("the committed baselines hold for their own policies", "[cli][check]") {
  CommandResult r = Run("check --exact scenarios/baselines/configerator-quickstart.yaml "
                        "scenarios/baselines/big-bang-quickstart.yaml");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("results identical to the recorded baseline"));
}

TEST_CASE("a weaker policy fails the check", "[cli][check]") {
  for (const char* weaker : {"tests/data/policies/weaker-skip-canary.yaml", "tests/data/policies/weaker-short-bake.yaml"}) {
    CommandResult r = Run(std::string("check ") + kBaseline + " --policy " + weaker);
    INFO(weaker << "\n" << r.output);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::Contains("REGRESSION"));
  }
}

TEST_CASE("a behaviour-preserving rewrite of the policy passes, deterministically", "[cli][check]") {
  const std::string args = std::string("check ") + kBaseline + " --policy tests/data/policies/configerator-refactored.yaml";
  CommandResult first = Run(args);
  CommandResult second = Run(args);
  INFO(first.output);
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.output, Catch::Contains("results identical to the recorded baseline"));
  CHECK(first.output == second.output);
}

TEST_CASE("check --update records atomically and JUnit XML reports each metric", "[cli][check]") {
  const fs::path dir = fs::temp_directory_path() / ("fleetsim-check-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path baseline = dir / "b.yaml";
  std::ofstream(baseline) << "scenario: " << FLEETSIM_SOURCE_DIR << "/scenarios/examples/quickstart.yaml\n"
                          << "policy: " << FLEETSIM_SOURCE_DIR << "/scenarios/policies/configerator.yaml\n"
                          << "seed: 5\nreplicas: 6\nmetrics:\n  blast_radius: {tolerance: not_worse}\n"
                          << "  lead_time: {tolerance: {relative: 0.05}}\n";
  CommandResult before = Run("check " + baseline.string() + " --junit " + (dir / "j.xml").string());
  CHECK(before.exit_code == 0);  // nothing recorded yet: reported, and JUnit marks it failed
  CHECK_THAT(ReadFile(dir / "j.xml"), Catch::Contains("no recorded values"));

  CommandResult update = Run("check --update " + baseline.string());
  INFO(update.output);
  REQUIRE(update.exit_code == 0);
  const std::string recorded = ReadFile(baseline);
  CHECK_THAT(recorded, Catch::Contains("recorded:"));
  CHECK_THAT(recorded, Catch::Contains("lead_time: {tolerance: {relative: 0.05}}"));
  for (const auto& entry : fs::directory_iterator(dir)) {
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
  }
  CommandResult after = Run("check --exact " + baseline.string() + " --junit " + (dir / "j.xml").string());
  INFO(after.output);
  CHECK(after.exit_code == 0);
  const std::string junit = ReadFile(dir / "j.xml");
  CHECK_THAT(junit, Catch::Contains("<testsuites name=\"fleetsim check\" tests=\"2\" failures=\"0\">"));
  CHECK_THAT(junit, Catch::Contains("name=\"lead_time\""));

  CommandResult weaker = Run("check " + baseline.string() + " --policy tests/data/policies/weaker-skip-canary.yaml --junit " +
                             (dir / "j.xml").string());
  CHECK(weaker.exit_code == 1);
  CHECK_THAT(ReadFile(dir / "j.xml"), Catch::Contains("<failure message=\"regression\">"));
  fs::remove_all(dir);
}

TEST_CASE("bad baselines exit 2 with the line", "[cli][check]") {
  const fs::path dir = fs::temp_directory_path() / ("fleetsim-check-bad-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path bad = dir / "bad.yaml";
  std::ofstream(bad) << "scenario: x.yaml\npolicy: p\nmetrics:\n  blast_raduis: {tolerance: not_worse}\n";
  CommandResult r = Run("check " + bad.string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains(bad.string() + ":4:3: metrics: unknown metric 'blast_raduis'"));
  fs::remove_all(dir);
}

}  // namespace
