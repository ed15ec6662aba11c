// Regression tests from fuzz/baseline_fuzz.cc: what `fleetsim check --update` writes
// (RecordBaseline, RenderBaselineYaml) must load again as the same baseline. The scenario and
// policy strings were written plain, so "a #2.yaml" came back as "a" and "~" as nothing.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analysis/baseline.h"

namespace fleetsim {
namespace {

// The --update round trip: record `replicas` empty replicas, render, parse the text again.
Result<Baseline> Rewritten(Baseline b, std::string* written) {
  RecordBaseline(b, std::vector<ReplicaResult>(b.replicas));
  *written = RenderBaselineYaml(b);
  return ParseBaseline(*written, b.file);
}

// The input the fuzzer reduced its first finding from: a baseline whose `recorded` block a
// mutation folded into a comment (so nothing is recorded yet).
constexpr const char* kUnrecorded =
    "scenario: ../examples/quickstart.yaml\n"
    "policy: big-bang\n"
    "seed: 1\n"
    "replicas: 20\n"
    "metrics:\n"
    "  failed_requests_per_replica: {tolerance: {relative: 0.2}}\n"
    "  ttm: {tolerance: {absolute: 5}}\n"
    "  false_positive_rate: {tolerance: not_worse}\n"
    "# Per-replica values (replica r = seed 1, replica r); ~ = ucy, seed, r ... "
    "theitive_rate: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n";

TEST_CASE("a baseline recorded by check --update loads again and renders the same text",
          "[baseline][fuzz]") {
  Result<Baseline> b = ParseBaseline(kUnrecorded, "baselines/b.yaml");
  REQUIRE(b.ok());
  CHECK(b.value().recorded_by.empty());
  std::string written;
  Result<Baseline> again = Rewritten(b.value(), &written);
  INFO(written);
  REQUIRE(again.ok());
  CHECK(again.value().metrics.size() == 3);
  for (const BaselineMetric& m : again.value().metrics) CHECK(m.recorded.size() == 20);
  CHECK(RenderBaselineYaml(again.value()) == written);
}

TEST_CASE("check --update keeps scenario and policy strings YAML would misread written plain",
          "[baseline][fuzz]") {
  const std::vector<std::string> strings = {
      "runs #2.yaml", "~",        "null", "- item", "a: b", "{x}",         "quote \" and \\ back",
      "tab\there",    " padded ", "",     "-",      "x-",   "ok-name.yaml"};
  for (const std::string& s : strings) {
    Result<Baseline> b = ParseBaseline(kUnrecorded, "baselines/b.yaml");
    REQUIRE(b.ok());
    b.value().scenario = s;
    b.value().policy = s;
    std::string written;
    Result<Baseline> again = Rewritten(b.value(), &written);
    INFO("string '" << s << "' written as:\n" << written);
    REQUIRE(again.ok());
    CHECK(again.value().scenario == s);
    CHECK(again.value().policy == s);
  }
}

}  // namespace
}  // namespace fleetsim
