// Bad input is reported as file:line:col with what was expected (DESIGN §6): a misspelled
// key, a wrong type and a negative bake each name the offending line; unknown kinds list the
// registered ones.
#include <catch2/catch.hpp>

#include "loader/scenario_loader.h"
#include "policies/health/health_registry.h"
#include "policies/policy_loader.h"
#include "policies/rollout/rollout_registry.h"
#include "sim/scenario.h"

namespace fleetsim {
namespace {

std::string PolicyError(const std::string& yaml) {
  std::string file = "bad-policy.yaml";
  Status st = CatchConfigErrors([&] { ParsePolicyNode(ParseYamlText(yaml, &file), "x"); });
  REQUIRE_FALSE(st.ok());
  return st.message();
}

const char* kHeader =
    "rollout:\n"
    "  kind: stages\n"
    "  stages:\n";

TEST_CASE("a misspelled key names its line and the accepted keys", "[yaml_errors]") {
  const std::string msg = PolicyError(std::string(kHeader) +
                                      "    - {name: canary, percent: 1, bake: 30m}\n"
                                      "    - {name: all, percent: 100, bakee: 1h}\n");
  // Column 33 is where 'bakee' starts on line 5.
  CHECK_THAT(msg, Catch::StartsWith("bad-policy.yaml:5:33: unknown key 'bakee'"));
  CHECK_THAT(msg, Catch::Contains("did you mean 'bake'?"));
  // A typo of an optional key is caught by the unknown-key check with the accepted keys.
  const std::string optional_typo = PolicyError("rollout: {kind: big_bang, bak: 5m}\n");
  CHECK_THAT(optional_typo, Catch::StartsWith("bad-policy.yaml:1:27: unknown key 'bak'"));
  CHECK_THAT(optional_typo, Catch::Contains("expected one of: kind, bake"));
}

TEST_CASE("a wrong type names its line and the expected type", "[yaml_errors]") {
  const std::string msg =
      PolicyError(std::string(kHeader) + "    - {name: canary, percent: ten, bake: 30m}\n");
  CHECK_THAT(msg, Catch::StartsWith("bad-policy.yaml:4:31: "));
  CHECK_THAT(msg, Catch::Contains("expected a number, got 'ten'"));
}

TEST_CASE("a negative bake names its line", "[yaml_errors]") {
  const std::string msg = PolicyError(std::string(kHeader) +
                                      "    - {name: canary, percent: 1, bake: 30m}\n"
                                      "    - {name: all, percent: 100, bake: -5m}\n");
  CHECK_THAT(msg, Catch::StartsWith("bad-policy.yaml:5:39: "));
  CHECK_THAT(msg, Catch::Contains("negative durations are not allowed"));
}

TEST_CASE("stages must increase and end at 100%", "[yaml_errors]") {
  CHECK_THAT(PolicyError(std::string(kHeader) +
                         "    - {percent: 5, bake: 1m}\n    - {percent: 5, bake: 1m}\n"),
             Catch::Contains("expected more than the previous stage"));
  CHECK_THAT(PolicyError(std::string(kHeader) + "    - {percent: 5, bake: 1m}\n"),
             Catch::Contains("expected the last stage to be percent: 100"));
}

// "a, b, c": every registered kind, sorted by name (as Docs() lists them).
std::string KindList(const std::vector<KindDoc>& docs) {
  std::string out;
  for (const KindDoc& d : docs) out += (out.empty() ? "" : ", ") + d.kind;
  return out;
}

TEST_CASE("unknown kinds list the registered kinds", "[yaml_errors]") {
  REQUIRE(RolloutKinds().Docs().size() > 1);
  REQUIRE(HealthCheckKinds().Docs().size() > 1);
  CHECK_THAT(PolicyError("rollout: {kind: yolo}\n"),
             Catch::EndsWith("rollout.kind: unknown kind 'yolo'; expected one of: " +
                             KindList(RolloutKinds().Docs())));
  CHECK_THAT(
      PolicyError(
          "rollout: {kind: big_bang}\nhealth: {checks: [{kind: vibes, metric: error_rate}]}\n"),
      Catch::EndsWith("unknown kind 'vibes'; expected one of: " +
                      KindList(HealthCheckKinds().Docs())));
}

TEST_CASE("YAML syntax errors carry the position", "[yaml_errors]") {
  CHECK_THAT(PolicyError("rollout: {kind: big_bang\n"), Catch::StartsWith("bad-policy.yaml:"));
}

TEST_CASE("scenario errors name file, line and column", "[yaml_errors]") {
  Result<Scenario> s = ParseScenario(
      "name: x\n"
      "fleet:\n"
      "  hosts: 100\n"
      "  regions: [{name: a, utc_offst: 3}]\n",
      "bad-scenario.yaml");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.status().message(),
             Catch::StartsWith("bad-scenario.yaml:4:23: unknown key 'utc_offst'"));

  Result<Scenario> t = ParseScenario(
      "name: x\nduration: 1h\nfleet: {hosts: 10, regions: [{name: a}]}\nchanges: {injected: [{at: "
      "2h}]}\n",
      "late.yaml");
  REQUIRE_FALSE(t.ok());
  CHECK_THAT(t.status().message(), Catch::StartsWith("late.yaml:4:"));
  CHECK_THAT(t.status().message(), Catch::Contains("before the scenario's duration"));
}

}  // namespace
}  // namespace fleetsim
