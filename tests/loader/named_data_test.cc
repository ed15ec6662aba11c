// Where the ready-made data is found (loader/named_data.h): an installed tree's share/fleetsim,
// a source tree above the binary, nearest first; nothing else; names get ".yaml"; a NAME argument
// resolves to its ready-made file, a path or an existing file stays as it is.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "loader/named_data.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

TEST_CASE("an installed binary finds PREFIX/share/fleetsim, a build-tree one its source tree",
          "[named_data]") {
  const fs::path top = testing::FreshTempDir("named-data");
  // Installed: P/bin/fleetsim with P/share/fleetsim/scenarios.
  fs::create_directories(top / "p" / "bin");
  fs::create_directories(top / "p" / "share" / "fleetsim" / "scenarios" / "policies");
  CHECK(DataRootsFor(top / "p" / "bin" / "fleetsim") ==
        std::vector<fs::path>{top / "p" / "share" / "fleetsim"});
  // Source tree: S/scenarios with the binary at S/build/cli/fleetsim.
  fs::create_directories(top / "s" / "scenarios");
  fs::create_directories(top / "s" / "build" / "cli");
  CHECK(DataRootsFor(top / "s" / "build" / "cli" / "fleetsim") == std::vector<fs::path>{top / "s"});
  // An installed prefix inside a source tree: the nearer installed data comes first.
  fs::create_directories(top / "s" / "build" / "prefix" / "bin");
  fs::create_directories(top / "s" / "build" / "prefix" / "share" / "fleetsim" / "scenarios");
  CHECK(DataRootsFor(top / "s" / "build" / "prefix" / "bin" / "fleetsim") ==
        std::vector<fs::path>{top / "s" / "build" / "prefix" / "share" / "fleetsim", top / "s"});
  // Neither: no roots (a share/fleetsim without scenarios/ does not count).
  fs::create_directories(top / "q" / "bin");
  fs::create_directories(top / "q" / "share" / "fleetsim");
  CHECK(DataRootsFor(top / "q" / "bin" / "fleetsim").empty());
  fs::remove_all(top);
}

TEST_CASE("the test binary finds this source tree's ready-made policies by name", "[named_data]") {
  const std::vector<fs::path> roots = DataRoots();
  REQUIRE_FALSE(roots.empty());
  const fs::path source = fs::weakly_canonical(FLEETSIM_SOURCE_DIR);
  bool found = false;
  for (const fs::path& r : roots) found = found || fs::weakly_canonical(r) == source;
  CHECK(found);
  bool big_bang = false;
  for (const fs::path& p : NamedDataCandidates("policies", "big-bang")) {
    CHECK(p.filename() == "big-bang.yaml");
    big_bang = big_bang || fs::is_regular_file(p);
  }
  CHECK(big_bang);
  for (const fs::path& p : NamedDataCandidates("outages", "fastly-2021.yaml"))
    CHECK(p.filename() == "fastly-2021.yaml");
}

TEST_CASE(
    "a NAME argument resolves to its ready-made file, a path or a missing name stays as given",
    "[named_data]") {
  const fs::path source = fs::weakly_canonical(FLEETSIM_SOURCE_DIR);
  const std::string quickstart = ResolveNamedFile("examples", "quickstart");
  CHECK(fs::weakly_canonical(quickstart) == source / "scenarios" / "examples" / "quickstart.yaml");
  CHECK(fs::weakly_canonical(ResolveNamedFile("examples", "quickstart.yaml")) ==
        source / "scenarios" / "examples" / "quickstart.yaml");
  CHECK(fs::weakly_canonical(ResolveNamedFile("outages", "fastly-2021")) ==
        source / "scenarios" / "outages" / "fastly-2021.yaml");
  // An existing file is taken as it is, even where a ready-made file has the same name.
  const fs::path top = testing::FreshTempDir("named-file");
  const fs::path own = top / "quickstart.yaml";
  std::ofstream(own) << "name: mine\n";
  CHECK(ResolveNamedFile("examples", own.string()) == own.string());
  // A path with a directory is never looked up by name; an unknown name is left for its reader.
  CHECK(ResolveNamedFile("examples", "nowhere/quickstart") == "nowhere/quickstart");
  CHECK(ResolveNamedFile("examples", "no-such-example") == "no-such-example");
  CHECK(ResolveNamedFile("policies", "quickstart") == "quickstart");  // not a policy
  CHECK(ResolveNamedFile("examples", "").empty());
  fs::remove_all(top);
}

TEST_CASE("an unknown NAME is reported with the ready-made names, anything else is left alone",
          "[named_data]") {
  const std::vector<std::string> examples = NamedDataNames("examples");
  CHECK(std::find(examples.begin(), examples.end(), "quickstart") != examples.end());
  CHECK(std::is_sorted(examples.begin(), examples.end()));
  const std::string message = MissingNameMessage("examples", "no-such-example");
  CHECK(message.find("no-such-example: neither a file nor the name of a ready-made example") == 0);
  CHECK(message.find("quickstart") != std::string::npos);
  CHECK(message.find("meta-scale-day") != std::string::npos);
  CHECK(MissingNameMessage("examples", "quickstart").empty());          // found by name
  CHECK(MissingNameMessage("examples", "nowhere/quickstart").empty());  // a path: its reader says
  CHECK(MissingNameMessage("examples", "").empty());
  CHECK(MissingNameMessage("outages", "no-such-outage").find("ready-made outages") !=
        std::string::npos);
}

}  // namespace
}  // namespace fleetsim
