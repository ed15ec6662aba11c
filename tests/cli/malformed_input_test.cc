// The malformed-input battery: generated mutations of the shipped example scenarios and
// policies (tests/cli/input_mutations.h says how they are made), absurd command-line values
// and unwritable outputs. Every one must make `fleetsim run` exit 2 with a message that names
// file:line:col (for command-line values: the option) and says what was expected, write
// nothing (it runs with --json, --csv and --html into an empty directory), and neither crash
// nor hang nor take more than a second (of CPU) or 100 MB (each run is a child process with a 2 GB
// address-space limit and a 10 s timeout; time and memory are not checked under sanitizers).
// Each test prints its tally: inputs, exit 2, located, crashes, hangs.
#include <catch2/catch.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "tests/child_process.h"
#include "tests/cli/input_mutations.h"
#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

struct Tally {
  int inputs = 0, exit2 = 0, located = 0, crashes = 0, hangs = 0;
};

// The line named right after `file:` in `output` (file:LINE:COL:), or 0 if there is none.
int NamedLine(const std::string& output, const std::string& file) {
  for (size_t at = output.find(file + ":"); at != std::string::npos;
       at = output.find(file + ":", at + 1)) {
    size_t i = at + file.size() + 1;
    int line = 0;
    size_t digits = 0;
    while (i < output.size() && std::isdigit(static_cast<unsigned char>(output[i]))) {
      line = line * 10 + (output[i++] - '0');
      ++digits;
    }
    if (digits == 0 || i >= output.size() || output[i] != ':') continue;
    size_t col_digits = 0;
    while (++i < output.size() && std::isdigit(static_cast<unsigned char>(output[i]))) ++col_digits;
    if (col_digits > 0 && i < output.size() && output[i] == ':') return line;
  }
  return 0;
}

bool DirectoryIsEmpty(const fs::path& dir) { return fs::is_empty(dir); }

// The output options of `command`, all pointing into `out`.
std::vector<std::string> OutputArgs(const std::string& command, const fs::path& out) {
  if (command == "run" || command == "compare" || command == "sweep") {
    return {"--json", (out / "r.json").string(), "--csv",  (out / "r.csv").string(),
            "--html", (out / "r.html").string(), "--quiet"};
  }
  if (command == "replay") return {"--json", (out / "r.json").string(), "--quiet"};
  if (command == "check") return {"--junit", (out / "r.xml").string()};
  return {};
}

// Runs `args` + outputs under the battery's limits and checks what every bad input must give.
// `file` is the input the error must locate ("" = a command-line value: `option` must be named).
void CheckRefused(const std::vector<std::string>& args, const fs::path& out,
                  const std::string& what, const std::string& file, int line,
                  const std::string& must_say, Tally& tally, bool add_outputs = true) {
  std::vector<std::string> all = args;
  if (add_outputs) {
    for (const std::string& a : OutputArgs(args.front(), out)) all.push_back(a);
  }
  ChildLimits limits;
  limits.timeout_seconds = 10;
  limits.address_space_mb = 2048;
  const ChildResult r = RunFleetsimLimited(all, limits);
  ++tally.inputs;
  if (r.exit_code == 2) ++tally.exit2;
  if (r.signal != 0 && !r.timed_out) ++tally.crashes;
  if (r.timed_out) ++tally.hangs;
  const int named = file.empty() ? -1 : NamedLine(r.output, file);
  const bool located = file.empty() ? r.output.find(must_say) != std::string::npos
                                    : named > 0 && (line == 0 || named == line);
  if (located) ++tally.located;
  INFO(what << "\n(expected line " << line << ")\nfleetsim said: " << r.output.substr(0, 600));
  CHECK(r.signal == 0);
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code == 2);
  CHECK(located);
  if (!file.empty()) CHECK(r.output.find("expected") != std::string::npos);
  if (!must_say.empty()) CHECK(r.output.find(must_say) != std::string::npos);
  CHECK(DirectoryIsEmpty(out));
  if (!BuiltWithSanitizer()) {
    // CPU time: the wall time of a child on a shared, loaded machine says more about the
    // machine than about fleetsim (the 10 s timeout catches hangs).
    CHECK(r.cpu_seconds <= 1.0);
    CHECK(r.max_rss_kb <= 100 * 1024);
  }
  fs::remove_all(out);
  fs::create_directories(out);
}

void PrintTally(const std::string& title, const std::map<std::string, Tally>& tallies) {
  Tally total;
  std::cout << "\n"
            << title << "\n| family | inputs | exit 2 | located | crashes | hangs |\n"
            << "|---|---:|---:|---:|---:|---:|\n";
  for (const auto& [family, t] : tallies) {
    std::cout << "| " << family << " | " << t.inputs << " | " << t.exit2 << " | " << t.located
              << " | " << t.crashes << " | " << t.hangs << " |\n";
    total.inputs += t.inputs, total.exit2 += t.exit2, total.located += t.located,
        total.crashes += t.crashes, total.hangs += t.hangs;
  }
  std::cout << "| all | " << total.inputs << " | " << total.exit2 << " | " << total.located << " | "
            << total.crashes << " | " << total.hangs << " |\n";
}

// Writes each mutant to a file and runs it: a scenario as `run FILE`, a policy as
// `run quickstart --policy FILE`. Returns the number of inputs run.
int RunMutants(const std::string& title, const std::vector<Mutant>& mutants) {
  const fs::path dir = FreshTempDir("battery");
  const fs::path out = dir / "out";
  fs::create_directories(out);
  std::map<std::string, Tally> tallies;
  for (size_t i = 0; i < mutants.size(); ++i) {
    const Mutant& m = mutants[i];
    const fs::path file = dir / ("mutant-" + std::to_string(i) + ".yaml");
    std::ofstream(file, std::ios::binary) << m.text;
    std::vector<std::string> args{"run"};
    if (m.is_policy) {
      args.insert(args.end(), {"scenarios/examples/quickstart.yaml", "--policy", file.string()});
    } else {
      args.push_back(file.string());
    }
    args.insert(args.end(), {"--replicas", "1", "--threads", "1"});
    CheckRefused(args, out, m.family + " at " + m.where, file.string(), m.line, m.must_say,
                 tallies[m.family]);
  }
  PrintTally(title, tallies);
  fs::remove_all(dir);
  return static_cast<int>(mutants.size());
}

std::vector<std::string> Files(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(FLEETSIM_SOURCE_DIR) / folder)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Mutant> TreeMutantsOf(const std::vector<std::string>& files, bool is_policy) {
  std::vector<Mutant> all;
  for (const std::string& f : files) {
    std::vector<Mutant> m =
        TreeMutants(fs::path(f).filename().string(), ReadFile(f), is_policy, FLEETSIM_SOURCE_DIR);
    all.insert(all.end(), m.begin(), m.end());
  }
  return all;
}

TEST_CASE("battery: the unmutated emissions load and run (positive control)", "[battery]") {
  const fs::path dir = FreshTempDir("battery-control");
  std::vector<std::string> files = Files("scenarios/examples");
  const std::vector<std::string> policies = Files("scenarios/policies");
  files.insert(files.end(), policies.begin(), policies.end());
  for (const std::string& f : files) {
    const bool is_policy = f.find("/policies/") != std::string::npos;
    const fs::path file = dir / fs::path(f).filename();
    std::ofstream(file) << EmitUnmutated(ReadFile(f), is_policy, FLEETSIM_SOURCE_DIR);
    const ChildResult r = RunFleetsimLimited({"validate", file.string()}, ChildLimits{});
    INFO(f << ": " << r.output);
    CHECK(r.exit_code == 0);
  }
  fs::remove_all(dir);
}

TEST_CASE("battery: tree mutations of the small example scenarios", "[battery]") {
  std::vector<std::string> files;
  for (const std::string& f : Files("scenarios/examples")) {
    if (f.find("meta-scale") == std::string::npos && f.find("fault-model") == std::string::npos)
      files.push_back(f);
  }
  CHECK(RunMutants("scenario tree mutations (small examples)", TreeMutantsOf(files, false)) >= 100);
}

TEST_CASE("battery: tree mutations of the largest example scenarios", "[battery]") {
  const std::string dir = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/";
  CHECK(RunMutants("scenario tree mutations (fault-model-tour, meta-scale-day)",
                   TreeMutantsOf({dir + "fault-model-tour.yaml", dir + "meta-scale-day.yaml"},
                                 false)) >= 50);
}

TEST_CASE("battery: tree mutations of the ready-made policies", "[battery]") {
  CHECK(RunMutants("policy tree mutations", TreeMutantsOf(Files("scenarios/policies"), true)) >=
        100);
}

TEST_CASE("battery: byte mutations of scenarios and policies", "[battery]") {
  std::vector<Mutant> all;
  const std::string src = FLEETSIM_SOURCE_DIR;
  for (const char* f :
       {"/scenarios/examples/quickstart.yaml", "/scenarios/examples/config-day.yaml"}) {
    std::vector<Mutant> m =
        ByteMutants(fs::path(f).filename().string(), ReadFile(src + f), false, src);
    all.insert(all.end(), m.begin(), m.end());
  }
  for (const char* f :
       {"/scenarios/policies/configerator.yaml", "/scenarios/policies/argo-canary-basic.yaml"}) {
    std::vector<Mutant> m =
        ByteMutants(fs::path(f).filename().string(), ReadFile(src + f), true, src);
    all.insert(all.end(), m.begin(), m.end());
  }
  CHECK(RunMutants("byte mutations", all) >= 60);
}

TEST_CASE("battery: absurd command-line values", "[battery]") {
  const fs::path dir = FreshTempDir("battery-cli");
  const fs::path out = dir / "out";
  fs::create_directories(out);
  const std::string q = "scenarios/examples/quickstart.yaml";
  struct Case {
    std::vector<std::string> args;
    std::string must_say;  // the option (or value) the message must name
  };
  const std::vector<Case> cases = {
      {{"run", q, "--replicas", "0"}, "--replicas"},
      {{"run", q, "--replicas", "-5"}, "--replicas"},
      {{"run", q, "--replicas", "99999999999"}, "--replicas"},
      {{"run", q, "--replicas", "ten"}, "--replicas"},
      {{"run", q, "--replicas", "1e3"}, "--replicas"},
      {{"run", q, "--threads", "-1"}, "--threads"},
      {{"run", q, "--threads", "100000"}, "--threads"},
      {{"run", q, "--seed", "-1"}, "--seed"},
      {{"run", q, "--seed", "99999999999999999999999"}, "--seed"},
      {{"run", q, "--seed", "nan"}, "--seed"},
      {{"run", q, "--trace-replica", "-3"}, "--trace-replica"},
      {{"run", q, "--replicas", "2", "--trace-replica", "5", "--trace", (out / "t.json").string()},
       "--trace-replica"},
      {{"run", q, "--policy", "no-such-policy"}, "no-such-policy"},
      {{"run", q, "--policy", ""}, "policy"},
      {{"compare", q, "--policy", "big-bang"}, "two"},
      {{"sweep", q, "--param", "rollout.stages[0].bake"}, "PATH=V1"},
      {{"sweep", q, "--param", "rollout.stages[99].bake=5m,10m"}, "stages[99]"},
      {{"sweep", q, "--param", "rollout.stages[0].bake=-5m"}, "-5m"},
      {{"sweep", q, "--param", "rollout.stages[0].bake=23.5q"}, "23.5q"},
      {{"sweep", q, "--param", "no.such.path=1,2"}, "no.such.path"},
      {{"run", "no-such-scenario.yaml"}, "no-such-scenario.yaml"},
      {{"run", "scenarios/examples"}, "scenarios/examples"},
      {{"run", "/dev/null"}, "/dev/null"},
      {{"replay", "no-such-outage"}, "no-such-outage"},
      {{"replay", "cloudflare-2019-waf", "--seed", "-2"}, "--seed"},
      {{"check", "no-such-baseline.yaml"}, "no-such-baseline.yaml"},
      {{"check", "scenarios/baselines/big-bang-quickstart.yaml", "--threads", "-4"}, "--threads"},
      {{"validate", "scenarios/examples/no-such.yaml"}, "no-such.yaml"},
      {{"run", q, "--no-such-flag"}, "--no-such-flag"},
  };
  std::map<std::string, Tally> tallies;
  for (const Case& c : cases) {
    std::string what;
    for (const std::string& a : c.args) what += a + " ";
    CheckRefused(c.args, out, what, "", 0, c.must_say, tallies["command-line values"]);
  }
  // Outputs that cannot be written are refused before the run, for every command.
  const std::vector<std::vector<std::string>> unwritable = {
      {"run", q, "--json", "/nonexistent-dir/x.json"},
      {"run", q, "--csv", (dir / "out").string()},
      {"run", q, "--html", (dir / "no-dir" / "x.html").string()},
      {"compare", q, "--policy", "big-bang", "--policy", "configerator", "--json",
       "/nonexistent-dir/x.json"},
      {"sweep", q, "--param", "rollout.stages[0].bake=5m,10m", "--json", "/nonexistent-dir/x.json"},
      {"replay", "cloudflare-2019-waf", "--json", "/nonexistent-dir/x.json"},
      {"check", "scenarios/baselines/big-bang-quickstart.yaml", "--junit",
       "/nonexistent-dir/x.xml"},
  };
  for (const std::vector<std::string>& args : unwritable) {
    std::string what;
    for (const std::string& a : args) what += a + " ";
    CheckRefused(args, out, what, "", 0, "cannot write", tallies["unwritable outputs"], false);
  }
  PrintTally("command-line values", tallies);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
