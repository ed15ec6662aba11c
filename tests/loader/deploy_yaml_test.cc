// `deploy:` blocks (loader/deploy_yaml.h): contradictory or out-of-range keys are errors naming
// file:line:col, read here through a policy (the scenario's block uses the same reader).
#include <catch2/catch.hpp>

#include "loader/deploy_yaml.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

TEST_CASE("deploy blocks reject contradictions with file:line:col", "[deploy][errors]") {
  for (const char* bad :
       {"deploy: {hosts_per_minute: 10, max_unavailable: 25%}\n",
        "deploy: {minimum_healthy_hosts: {host_count: 1, fleet_percent: 5}}\n",
        "deploy: {rollback: instant, rollback_hosts_per_minute: 5}\n",
        "deploy: {max_unavailable: 0}\n", "deploy: {host_failure_probability: 2}\n",
        "deploy: {rollback: slowly}\n"}) {
    INFO(bad);
    auto st = CatchConfigErrors([&] {
      auto file = std::make_shared<const std::string>("p.yaml");
      ParsePolicyNode(
          ConfigNode{YAML::Load(std::string("rollout: {kind: big_bang}\n") + bad), file.get()},
          "p");
    });
    REQUIRE_FALSE(st.ok());
    CHECK(st.message().find("p.yaml:2:") == 0);
  }
}

}  // namespace
}  // namespace fleetsim
