// The metrics table (import/metrics_table.h): its file format and flags, lookups, and the
// conversion of a bound on a mapped quantity into fleetsim's threshold.
#include <catch2/catch.hpp>
#include <fstream>

#include "import/metrics_table.h"
#include "tests/test_support.h"

namespace fleetsim::import {
namespace {

std::string WriteTable(const std::string& name, const std::string& text) {
  const auto dir = testing::FreshTempDir("metrics-table");
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST_CASE("metrics table: entries by name or query text, first match wins", "[import]") {
  const std::string path =
      WriteTable("m.yaml",
                 "metrics:\n"
                 "  - {name: success-rate, measures: success_rate}\n"
                 "  - {query: histogram_quantile(0.99, measures: latency_p99, unit: s}\n"
                 "  - {name: smoke, ignore: true}\n"
                 "  - {query: 5xx, measures: error_rate, unit: percent}\n");
  Result<MetricsTable> t = MetricsTable::Load(path);
  REQUIRE(t.ok());
  const MetricMapping* a = t.value().Find("success-rate", "sum(irate(x[5m]))");
  REQUIRE(a);
  CHECK(a->quantity == Quantity::kSuccessRate);
  CHECK(a->origin == "m.yaml:2:5");  // base name: origins end up in policy comments
  const MetricMapping* b = t.value().Find("p99", "histogram_quantile(0.99, sum(rate(x[1m])))");
  REQUIRE(b);
  CHECK(b->quantity == Quantity::kLatencyP99);
  CHECK(b->scale == 1000);
  REQUIRE(t.value().Find("smoke", ""));
  CHECK(t.value().Find("smoke", "")->ignore);
  CHECK(t.value().Find("x", "rate(5xx)")->scale == 0.01);
  CHECK(t.value().Find("unknown", "up") == nullptr);
  // Command-line entries come before the file's.
  MetricsTable flags;
  REQUIRE(flags.AddFlag("success-rate=error_rate").ok());
  flags.Append(t.value());
  CHECK(flags.Find("success-rate", "")->quantity == Quantity::kErrorRate);
}

TEST_CASE("metrics table: bad entries are errors at file:line:col", "[import][errors]") {
  auto error = [](const std::string& body) {
    Result<MetricsTable> t = MetricsTable::Load(WriteTable("bad.yaml", body));
    REQUIRE_FALSE(t.ok());
    return t.status().message();
  };
  CHECK_THAT(error("metrics:\n  - {name: a, measures: errors}\n"),
             Catch::Contains("bad.yaml:2:") && Catch::Contains("unknown quantity 'errors'"));
  CHECK_THAT(error("metrics:\n  - {name: a, measures: latency_p99, unit: percent}\n"),
             Catch::Contains("bad.yaml:2:") && Catch::Contains("ms or s"));
  CHECK_THAT(error("metrics:\n  - {measures: error_rate}\n"),
             Catch::Contains("exactly one of name or query"));
  CHECK_THAT(error("metrics:\n  - {name: a, measure: error_rate}\n"),
             Catch::Contains("bad.yaml:2:"));
  CHECK_THAT(error("metric: []\n"), Catch::Contains("bad.yaml:1:"));
  MetricsTable t;
  CHECK_THAT(t.AddFlag("noequals").message(), Catch::Contains("NAME=QUANTITY"));
  CHECK_THAT(t.AddFlag("a=latency_p99:percent").message(), Catch::Contains("ms or s"));
}

TEST_CASE("metrics table: a bound on the quantity becomes fleetsim's threshold", "[import]") {
  MetricMapping success;
  success.quantity = Quantity::kSuccessRate;
  ValueBound at_least;
  at_least.min = 0.95;
  NativeThreshold t = ToNative(success, at_least);
  CHECK(t.metric == "error_rate");
  REQUIRE(t.max);
  CHECK(*t.max == Approx(0.05).epsilon(1e-12));
  CHECK_FALSE(t.min);
  // Flagger's request-success-rate in percent: min 99 -> error rate <= 1%.
  MetricMapping pct = success;
  pct.scale = 0.01;
  at_least.min = 99;
  t = ToNative(pct, at_least);
  CHECK(*t.max == Approx(0.01).epsilon(1e-12));
  // Latency in seconds: <= 0.5 s is <= 500 ms.
  MetricMapping latency;
  latency.quantity = Quantity::kLatencyP99;
  latency.scale = 1000;
  ValueBound at_most;
  at_most.max = 0.5;
  at_most.max_strict = true;
  t = ToNative(latency, at_most);
  CHECK(t.metric == "latency_p99");
  CHECK(*t.max == 500);
  CHECK(t.strict);
  // A rate bound that excludes nothing is dropped.
  MetricMapping error;
  ValueBound everything;
  everything.min = 0;
  everything.max = 1;
  t = ToNative(error, everything);
  CHECK_FALSE(t.min);
  CHECK_FALSE(t.max);
}

}  // namespace
}  // namespace fleetsim::import
