// Conformance suite run over every registered risk kind (policies/risk/): the documented
// example parses and names its kind, routing is monotone in the risk score (a riskier commit is
// never batched when a safer one ships alone), and a misspelled key is rejected with its
// location.
#include <catch2/catch.hpp>

#include <algorithm>

#include "policies/risk/risk_registry.h"

namespace fleetsim {
namespace {

TEST_CASE("every risk kind conforms: example parses, Kind() is its name",
          "[commits][risk][conformance]") {
  static const std::string file = "policy.yaml";
  for (const KindDoc& doc : RiskKinds().Docs()) {
    INFO(doc.kind << ": " << doc.example);
    std::unique_ptr<RiskPolicy> p;
    Status st =
        CatchConfigErrors([&] { p = ParseRiskPolicy(ParseYamlText(doc.example, &file), "risk"); });
    INFO(st.message());
    REQUIRE(st.ok());
    CHECK(p->Kind() == doc.kind);
    // Routing is monotone in the score: a riskier commit is never batched when a safer one ships
    // alone.
    for (double x = 0; x <= 1.0; x += 0.05) {
      if (p->ReleaseAlone(x)) CHECK(p->ReleaseAlone(std::min(1.0, x + 0.05)));
    }
    CHECK(p->RolloutFor(1.0) != nullptr);  // the example routes high risk to its own rollout
  }
  Status typo = CatchConfigErrors(
      [&] { ParseRiskPolicy(ParseYamlText("{kind: threshold, hihg: 0.8}", &file), "risk"); });
  REQUIRE_FALSE(typo.ok());
  CHECK_THAT(typo.message(), Catch::Contains("policy.yaml:1:") && Catch::Contains("hihg"));
}

}  // namespace
}  // namespace fleetsim
