// Argo successCondition / failureCondition parsing (import/argo_condition.h): the set of values
// each expression accepts, as Argo's expr-lang evaluation would decide them for one value.
#include <catch2/catch.hpp>
#include <limits>

#include "import/argo_condition.h"

namespace fleetsim::import {
namespace {

Region Parse(const std::string& text) {
  std::string error;
  std::optional<Region> r = ParseArgoCondition(text, &error);
  INFO(text << ": " << error);
  REQUIRE(r);
  return *r;
}

std::string ParseError(const std::string& text) {
  std::string error;
  std::optional<Region> r = ParseArgoCondition(text, &error);
  REQUIRE_FALSE(r);
  return error;
}

TEST_CASE("argo conditions: one comparison, in either order and on any value form",
          "[import][argo]") {
  CHECK(Parse("result[0] >= 0.95").Describe() == "[0.95, inf)");
  CHECK(Parse("result >= 0.95").Describe() == "[0.95, inf)");
  CHECK(Parse("asFloat(result) < 0.5").Describe() == "(-inf, 0.5)");
  CHECK(Parse("0.95 <= result[0]").Describe() == "[0.95, inf)");
  CHECK(Parse("500 > result[0]").Describe() == "(-inf, 500)");
  CHECK(Parse("default(result[0], 0) >= 0.9").Describe() == "[0.9, inf)");
  CHECK(Parse("all(result, {# < 0.05})").Describe() == "(-inf, 0.05)");
  CHECK(Parse("result.successRate > 0.99").Describe() == "(0.99, inf)");
  CHECK(Parse("result[0] == 1").Describe() == "[1, 1]");
  CHECK(Parse("result[0] != 1").Describe() == "(-inf, 1) or (1, inf)");
}

TEST_CASE("argo conditions: &&, ||, ! and parentheses combine ranges", "[import][argo]") {
  CHECK(Parse("result[0] >= 0.9 && result[0] <= 1").Describe() == "[0.9, 1]");
  CHECK(Parse("result[0] < 0.1 || result[0] > 0.9").Describe() == "(-inf, 0.1) or (0.9, inf)");
  CHECK(Parse("!(result[0] < 0.95)").Describe() == "[0.95, inf) or no data");
  CHECK(Parse("not (result[0] < 0.95) and result[0] < 2").Describe() == "[0.95, 2)");
  CHECK(Parse("result[0] > 1 && result[0] < 1").Empty());
}

TEST_CASE("argo conditions: no-data guards", "[import][argo]") {
  const Region nan_ok = Parse("isNaN(result) || result[0] >= 0.95");
  CHECK(nan_ok.no_data);
  CHECK(nan_ok.Describe() == "[0.95, inf) or no data");
  const Region empty_ok = Parse("len(result) == 0 || result[0] >= 0.95");
  CHECK(empty_ok.no_data);
  const Region has_data = Parse("len(result) > 0 && result[0] >= 0.95");
  CHECK_FALSE(has_data.no_data);
  CHECK(has_data.Describe() == "[0.95, inf)");
  CHECK_FALSE(Parse("result[0] >= 0.95").no_data);
}

TEST_CASE("argo conditions: success and failure conditions partition values", "[import][argo]") {
  const Region success = Parse("result[0] >= 0.95");
  const Region failure = Parse("result[0] < 0.95");
  CHECK(success.Union(failure).CoversAllValues());
  CHECK(success.Intersect(failure).intervals.empty());
  const Region gap = Parse("result[0] >= 0.95").Union(Parse("result[0] < 0.90")).Complement();
  CHECK(gap.Describe() == "[0.9, 0.95) or no data");  // NaN fails both: Inconclusive
  const std::optional<ValueBound> b = success.AsBound();
  REQUIRE(b);
  CHECK(*b->min == 0.95);
  CHECK_FALSE(b->max);
  CHECK_FALSE(b->min_strict);
  CHECK_FALSE(Parse("result[0] < 0.1 || result[0] > 0.9").AsBound());
}

TEST_CASE("argo conditions: what fleetsim cannot read is an error, never a guess",
          "[import][argo]") {
  CHECK_THAT(ParseError("result[0] * 2 >= 1"), Catch::Contains("expected"));
  CHECK_THAT(ParseError("other >= 1"), Catch::Contains("comparison"));
  CHECK_THAT(ParseError("result[0] >= "), Catch::Contains("comparison"));
  CHECK_THAT(ParseError("result[0] >= 1 &&"), Catch::Contains("comparison"));
  CHECK_THAT(ParseError("(result[0] >= 1"), Catch::Contains("')'"));
}

TEST_CASE("argo conditions: what an empty result evaluates to", "[import][argo]") {
  // expr-lang on result = [] (utils/evaluate/evaluate.go): reading the value fails (an Error
  // measurement); len, all and any do not; && and || stop early, left to right.
  auto empty = [](const std::string& text) {
    std::string error;
    const std::optional<EmptyResult> e = ArgoConditionOnEmpty(text, &error);
    INFO(text << ": " << error);
    REQUIRE(e);
    return *e;
  };
  CHECK(empty("result[0] >= 0.95") == EmptyResult::kError);
  CHECK(empty("isNaN(result[0]) || result[0] >= 0.95") == EmptyResult::kError);
  CHECK(empty("default(result[0], 0) >= 0.95") == EmptyResult::kError);
  CHECK(empty("len(result) == 0 || result[0] >= 0.95") == EmptyResult::kTrue);
  CHECK(empty("result[0] >= 0.95 || len(result) == 0") == EmptyResult::kError);
  CHECK(empty("len(result) > 0 && result[0] >= 0.95") == EmptyResult::kFalse);
  CHECK(empty("!(len(result) == 0)") == EmptyResult::kFalse);
  CHECK(empty("all(result, {# >= 0.95})") == EmptyResult::kTrue);
  CHECK(empty("any(result, {# >= 0.95})") == EmptyResult::kFalse);
  std::string error;
  CHECK_FALSE(ArgoConditionOnEmpty("result[0] >=", &error));
  CHECK_FALSE(error.empty());
}

}  // namespace
}  // namespace fleetsim::import
