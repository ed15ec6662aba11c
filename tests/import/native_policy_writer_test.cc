// The native policy writer (import/native_policy_writer.h): block YAML that parses back to the
// same values, a source comment on every field line, quoting where needed, and the line ->
// source-position map used to report errors at the vendor field.
#include <catch2/catch.hpp>

#include "import/native_policy_writer.h"
#include "loader/yaml_reader.h"

namespace fleetsim::import {
namespace {

TEST_CASE("writer: commented block YAML that parses back", "[import]") {
  DraftNode root;
  root.Set("name", "p", "metadata.name", "a.yaml:3:9");
  DraftNode& rollout = root.Child("rollout");
  rollout.Set("kind", "stages", "spec.strategy.canary.steps", "a.yaml:10:7");
  DraftNode& stage = rollout.Child("stages").Append();
  stage.Annotate("a stage");
  stage.Set("percent", "20", "steps[0].setWeight", "a.yaml:11:20");
  stage.Set("bake", "manual", "steps[1].pause", "a.yaml:12:16");
  root.Set("description", "has: colon # and hash \"quoted\"");
  std::vector<std::string> origins;
  const std::string text = WriteNativePolicy(root, {"header line"}, &origins);
  CHECK_THAT(text, Catch::StartsWith("# header line\nname: p "));
  CHECK_THAT(text, Catch::Contains("# steps[0].setWeight"));
  CHECK_THAT(text, Catch::Contains("    # a stage\n    - percent: 20"));
  const YAML::Node n = YAML::Load(text);
  CHECK(n["name"].Scalar() == "p");
  CHECK(n["rollout"]["stages"][0]["percent"].Scalar() == "20");
  CHECK(n["rollout"]["stages"][0]["bake"].Scalar() == "manual");
  CHECK(n["description"].Scalar() == "has: colon # and hash \"quoted\"");
  // One origin per line; the percent line points at its source field.
  REQUIRE(origins.size() == static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
  size_t line = 0;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l); ++line) {
    if (l.find("percent: 20") != std::string::npos) CHECK(origins[line] == "a.yaml:11:20");
    if (l.find("# header") == 0) CHECK(origins[line].empty());
  }
}

TEST_CASE("writer: scalars are quoted only when they must be", "[import]") {
  CHECK(YamlScalar("10m") == "10m");
  CHECK(YamlScalar("0.05") == "0.05");
  CHECK(YamlScalar("25%") == "25%");
  CHECK(YamlScalar("w-20_a/b.c") == "w-20_a/b.c");
  CHECK(YamlScalar("") == "\"\"");
  CHECK(YamlScalar("-1") == "-1");
  CHECK(YamlScalar("-x") == "\"-x\"");
  CHECK(YamlScalar("a b") == "\"a b\"");
  CHECK(YamlScalar("x\"y") == "\"x\\\"y\"");
}

}  // namespace
}  // namespace fleetsim::import
