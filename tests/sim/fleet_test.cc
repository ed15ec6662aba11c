// Tests for sim/fleet.h and the placement helpers of sim/deploy_actuator.h (DESIGN §2 "Cells"):
// a cluster of H hosts is split into min(buckets, H) cells whose sizes differ by at most one
// (the first H mod B cells get the extra host), hosts are numbered densely and Locate() maps
// each one back to its cell, cluster and region, traffic shares are normalised, and invalid
// specs are rejected. Placement: "5% of the fleet" is the first 5 of 100 buckets of every
// cluster (from the placement offset, wrapping around), a fractional bucket is a prefix of
// floor(fraction x hosts) of the boundary cell. All reference values are worked by hand.
#include "sim/fleet.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/deploy_actuator.h"

namespace fleetsim {
namespace {

Fleet MustBuild(const FleetSpec& spec) {
  Result<Fleet> f = Fleet::Build(spec);
  INFO(f.status().message());
  REQUIRE(f.ok());
  return std::move(f).value();
}

std::string BuildError(const FleetSpec& spec) {
  Result<Fleet> f = Fleet::Build(spec);
  REQUIRE_FALSE(f.ok());
  return f.status().message();
}

FleetSpec OneCluster(int64_t hosts, int buckets = 100) {
  FleetSpec spec;
  spec.buckets = buckets;
  spec.regions.push_back(RegionSpec{"r", 0, -1, {ClusterSpec{"c", hosts}}});
  return spec;
}

// Hosts per cell as exposed at `fraction`, `offset`, keyed by cell.
std::map<int, int64_t> Exposure(const Fleet& fleet, double fraction, double offset) {
  std::map<int, int64_t> out;
  ForEachExposedCell(fleet, fraction, offset, [&](int cell, int64_t hosts) {
    CHECK(out.count(cell) == 0);  // each cell reported once
    out[cell] = hosts;
  });
  return out;
}

TEST_CASE("a 1005-host cluster becomes 100 cells: 5 of 11 hosts, 95 of 10", "[fleet]") {
  const Fleet fleet = MustBuild(OneCluster(1005));
  REQUIRE(fleet.cells().size() == 100);
  REQUIRE(fleet.clusters().size() == 1);
  CHECK(fleet.clusters()[0].cell_count == 100);
  CHECK(fleet.total_hosts() == 1005);
  int64_t next_host = 0;
  for (int b = 0; b < 100; ++b) {
    const Cell& cell = fleet.cells()[b];
    INFO("bucket " << b);
    CHECK(cell.bucket == b);
    CHECK(cell.cluster == 0);
    CHECK(cell.hosts == (b < 5 ? 11 : 10));
    CHECK(cell.first_host == next_host);
    next_host += cell.hosts;
  }
  CHECK(next_host == 1005);
}

TEST_CASE("a tiny cluster gets one host per cell", "[fleet]") {
  const Fleet fleet = MustBuild(OneCluster(8));
  REQUIRE(fleet.cells().size() == 8);
  CHECK(fleet.clusters()[0].cell_count == 8);
  for (int b = 0; b < 8; ++b) {
    CHECK(fleet.cells()[b].hosts == 1);
    CHECK(fleet.cells()[b].first_host == b);
  }
}

FleetSpec SmallMultiRegion() {
  FleetSpec spec;
  spec.buckets = 4;
  spec.regions.push_back(RegionSpec{"eu", 1, -1, {ClusterSpec{"eu1", 10}, ClusterSpec{"eu2", 3}}});
  spec.regions.push_back(RegionSpec{"us", -5, -1, {ClusterSpec{"us1", 7}}});
  return spec;
}

TEST_CASE("Locate maps every host back to its cell, cluster and region", "[fleet]") {
  const Fleet fleet = MustBuild(SmallMultiRegion());
  // eu1: 10 hosts in 4 cells (3,3,2,2); eu2: 3 hosts in 3 cells; us1: 7 hosts in 4 (2,2,2,1).
  REQUIRE(fleet.cells().size() == 4 + 3 + 4);
  CHECK(fleet.total_hosts() == 20);
  const std::vector<int64_t> sizes = {3, 3, 2, 2, 1, 1, 1, 2, 2, 2, 1};
  for (size_t c = 0; c < sizes.size(); ++c) CHECK(fleet.cells()[c].hosts == sizes[c]);
  // Hand-built expectation, host by host.
  std::vector<HostLocation> expected;
  const int cluster_of_cell[] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2};
  const int region_of_cell[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  for (int c = 0; c < 11; ++c) {
    for (int64_t k = 0; k < sizes[c]; ++k)
      expected.push_back({c, cluster_of_cell[c], region_of_cell[c]});
  }
  REQUIRE(expected.size() == 20);
  for (int64_t h = 0; h < 20; ++h) {
    const HostLocation loc = fleet.Locate(h);
    INFO("host " << h);
    CHECK(loc.cell == expected[h].cell);
    CHECK(loc.cluster == expected[h].cluster);
    CHECK(loc.region == expected[h].region);
  }
  CHECK(fleet.regions()[0].first_cluster == 0);
  CHECK(fleet.regions()[0].cluster_count == 2);
  CHECK(fleet.regions()[1].first_cluster == 2);
  CHECK(fleet.regions()[1].cluster_count == 1);
  CHECK(fleet.clusters()[2].first_cell == 7);
}

TEST_CASE("traffic shares are normalised and set the per-host load weight", "[fleet]") {
  SECTION("proportional to hosts when no share is given") {
    const Fleet fleet = MustBuild(SmallMultiRegion());  // eu 13 hosts, us 7
    CHECK(fleet.regions()[0].hosts == 13);
    CHECK(fleet.regions()[1].hosts == 7);
    CHECK(fleet.regions()[0].traffic_share == Approx(13.0 / 20));
    CHECK(fleet.regions()[1].traffic_share == Approx(7.0 / 20));
    CHECK(fleet.regions()[0].load_weight == Approx(1.0));
    CHECK(fleet.regions()[1].load_weight == Approx(1.0));
  }
  SECTION("explicit shares are normalised to sum to 1") {
    FleetSpec spec;
    spec.regions.push_back(RegionSpec{"a", 0, 3, {ClusterSpec{"a1", 100}}});
    spec.regions.push_back(RegionSpec{"b", 0, 1, {ClusterSpec{"b1", 300}}});
    const Fleet fleet = MustBuild(spec);
    // a: share 3/4 on 1/4 of the hosts -> load weight 3; b: 1/4 on 3/4 -> 1/3.
    CHECK(fleet.regions()[0].traffic_share == Approx(0.75));
    CHECK(fleet.regions()[1].traffic_share == Approx(0.25));
    CHECK(fleet.regions()[0].load_weight == Approx(3.0));
    CHECK(fleet.regions()[1].load_weight == Approx(1.0 / 3.0));
  }
}

TEST_CASE("invalid fleet specs are rejected with the offending name", "[fleet]") {
  SECTION("duplicate region") {
    FleetSpec spec = OneCluster(10);
    spec.regions.push_back(RegionSpec{"r", 0, -1, {ClusterSpec{"other", 10}}});
    CHECK_THAT(BuildError(spec), Catch::Contains("duplicate region 'r'"));
  }
  SECTION("duplicate cluster, even across regions") {
    FleetSpec spec = OneCluster(10);
    spec.regions.push_back(RegionSpec{"r2", 0, -1, {ClusterSpec{"c", 10}}});
    CHECK_THAT(BuildError(spec), Catch::Contains("duplicate cluster 'c'"));
  }
  SECTION("zero hosts") {
    CHECK_THAT(BuildError(OneCluster(0)), Catch::Contains("cluster 'c' needs at least one host"));
  }
  SECTION("no regions, empty region, bad buckets") {
    CHECK_THAT(BuildError(FleetSpec{}), Catch::Contains("at least one region"));
    FleetSpec empty;
    empty.regions.push_back(RegionSpec{"lonely", 0, -1, {}});
    CHECK_THAT(BuildError(empty), Catch::Contains("'lonely' has no clusters"));
    CHECK_THAT(BuildError(OneCluster(10, 0)), Catch::Contains("buckets"));
  }
  SECTION("shares given for some regions only, or all zero") {
    FleetSpec spec;
    spec.regions.push_back(RegionSpec{"a", 0, 0.5, {ClusterSpec{"a1", 10}}});
    spec.regions.push_back(RegionSpec{"b", 0, -1, {ClusterSpec{"b1", 10}}});
    CHECK_THAT(BuildError(spec), Catch::Contains("traffic_share"));
    spec.regions[0].traffic_share = 0;
    spec.regions[1].traffic_share = 0;
    CHECK_THAT(BuildError(spec), Catch::Contains("zero"));
  }
}

TEST_CASE("5% of a 100-cell cluster is exactly its first 5 cells", "[fleet][placement]") {
  FleetSpec spec;
  spec.regions.push_back(
      RegionSpec{"r", 0, -1, {ClusterSpec{"c1", 1005}, ClusterSpec{"c2", 2000}}});
  const Fleet fleet = MustBuild(spec);
  const auto exposure = Exposure(fleet, 0.05, 0.0);
  // Cells 0-4 of c1 (11 hosts each) and cells 100-104 of c2 (20 hosts each).
  std::map<int, int64_t> expected;
  for (int b = 0; b < 5; ++b) {
    expected[b] = 11;
    expected[100 + b] = 20;
  }
  CHECK(exposure == expected);
  CHECK(ExposedHosts(fleet, 0.05, 0.0) == 5 * 11 + 5 * 20);
}

TEST_CASE("5.5% adds a prefix of half of the next cell", "[fleet][placement]") {
  const Fleet fleet = MustBuild(OneCluster(1005));
  const auto exposure = Exposure(fleet, 0.055, 0.0);
  // 5.5 buckets: cells 0-4 fully (11 hosts), cell 5 (10 hosts) half: floor(0.5 x 10) = 5.
  const std::map<int, int64_t> expected = {{0, 11}, {1, 11}, {2, 11}, {3, 11}, {4, 11}, {5, 5}};
  CHECK(exposure == expected);
  CHECK(ExposedHosts(fleet, 0.055, 0.0) == 60);
  // A partial bucket on an 11-host cell rounds down: floor(0.5 x 11) = 5.
  const auto shifted = Exposure(fleet, 0.055, 0.96);  // start at bucket 96, partial in 1
  CHECK(shifted.at(1) == 5);
}

TEST_CASE("placement wraps around the bucket ring", "[fleet][placement]") {
  const Fleet fleet = MustBuild(OneCluster(2000));  // 20 hosts per cell
  const auto exposure = Exposure(fleet, 0.05, 0.97);
  // Start at bucket floor(0.97 x 100) = 97: buckets 97, 98, 99, 0, 1.
  const std::map<int, int64_t> expected = {{97, 20}, {98, 20}, {99, 20}, {0, 20}, {1, 20}};
  CHECK(exposure == expected);
  CHECK(ExposedHosts(fleet, 0.05, 0.97) == 100);
}

TEST_CASE("fraction 1 covers every host, fraction 0 none", "[fleet][placement]") {
  const Fleet fleet = MustBuild(SmallMultiRegion());
  for (double offset : {0.0, 0.3, 0.99}) {
    const auto all = Exposure(fleet, 1.0, offset);
    CHECK(all.size() == fleet.cells().size());
    for (const auto& [cell, hosts] : all) CHECK(hosts == fleet.cells()[cell].hosts);
    CHECK(ExposedHosts(fleet, 1.0, offset) == fleet.total_hosts());
    CHECK(Exposure(fleet, 0.0, offset).empty());
  }
  const Fleet big = MustBuild(OneCluster(1005));
  CHECK(ExposedHosts(big, 1.0, 0.42) == 1005);
}

}  // namespace
}  // namespace fleetsim
