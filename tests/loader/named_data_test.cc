// Where the ready-made data is found (loader/named_data.h): an installed tree's share/fleetsim,
// a source tree above the binary, nearest first; nothing else; names get ".yaml".
#include <catch2/catch.hpp>

#include <filesystem>

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

}  // namespace
}  // namespace fleetsim
