// The `changes:` block of a scenario (loader/change_yaml.h): its keys parse into the commit
// stream's fields, and a misspelt key is an error naming file:line:col.
#include <catch2/catch.hpp>

#include "loader/scenario_loader.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

TEST_CASE("changes.commits parses, and a misspelt key is a located error", "[commits][yaml]") {
  const std::string world = R"(
name: commits
duration: 1d
fleet: {regions: [{name: r1, hosts: 100}]}
faults: [{name: f, error_rate_increase: 0.2}]
changes:
  commits:
)";
  Scenario s = testing::ScenarioFromYaml(
      world + "    {per_day: 40, bad_fraction: 0.05, test_duration: 10m, risk_auc: 0.75}\n");
  CHECK(s.changes.commits.per_day == 40);
  CHECK(s.changes.commits.test_duration == SimTime::Minutes(10));
  CHECK(s.changes.commits.risk_auc == 0.75);
  Result<Scenario> bad =
      ParseScenario(world + "    {per_day: 40, flake_probabilty: 0.1}\n", "typo.yaml");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(),
             Catch::Contains("typo.yaml:8:") && Catch::Contains("flake_probabilty"));
}

}  // namespace
}  // namespace fleetsim
