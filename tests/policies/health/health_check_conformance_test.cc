// Conformance suite run over every registered health check kind, each with the example it
// documents, so that a new kind is covered as soon as it is registered:
//  - end to end, as the only check of a canary 5% (30m) -> 100% rollout judged every 5m, it
//    catches a fatal change (+50% errors, 4x latency) in its canary and rolls it back, and lets a
//    perfect change (no fault, the base noise only) through with no failing verdict;
//  - on hand-made windows: a canary with 50% errors against a healthy control fails, a canary
//    identical to a healthy control never fails, a canary that served no request never passes,
//    and the same observation always gives the same verdict;
//  - Kind() is the registered name, and a misspelled key is rejected with its location.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "analysis/monte_carlo.h"
#include "policies/health/health_registry.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

const std::string kFile = "policy.yaml";

std::unique_ptr<HealthCheck> Check(const std::string& yaml) {
  std::unique_ptr<HealthCheck> check;
  const Status st = CatchConfigErrors(
      [&] { check = ParseHealthCheck(ParseYamlText(yaml, &kFile), "health.checks[]"); });
  INFO(st.message());
  REQUIRE(st.ok());
  return check;
}

// One change at 1h on 20,000 flat-traffic hosts (two regions), carrying `fault` or none.
ChangeOutcome RunOne(const Policy& policy, const std::string& fault) {
  const char* world = R"(
name: health-conformance
duration: 6h
fleet: {hosts: 20000, clusters_per_region: 2, regions: [{name: a}, {name: b}]}
traffic: {requests_per_host_per_minute: 50, diurnal_amplitude: 0}
deploy: {hosts_per_minute: 4000, rollback_hosts_per_minute: 8000}
)";
  const std::string yaml =
      testing::ReplaceFirst(testing::SingleChangeScenarioYaml(world, "1h", fault),
                            "{name: fatal, error_rate_increase: 0.5}",
                            "{name: fatal, error_rate_increase: 0.5, latency_factor: 4}");
  return RunReplica(testing::ScenarioFromYaml(yaml), policy, 1, 0).outcomes.at(0);
}

TEST_CASE("every health check kind catches a fatal change in its canary and passes a good one",
          "[health][conformance]") {
  for (const KindDoc& doc : HealthCheckKinds().Docs()) {
    INFO("kind " << doc.kind << ": " << doc.example);
    const Policy policy = testing::PolicyFromYaml(
        "rollout: {kind: stages, stages: [{name: canary, percent: 5, bake: 30m}, {name: all, "
        "percent: 100, bake: 30m}]}\n"
        "health: {interval: 5m, checks: [" +
            doc.example + "]}\n",
        doc.kind, doc.kind + ".yaml");
    const ChangeOutcome fatal = RunOne(policy, "fatal");
    CHECK(fatal.bad);
    CHECK(fatal.detected_by == DetectedBy::kAutomation);
    CHECK(fatal.detected_stage_name == "canary");
    CHECK(fatal.final_state == FinalState::kRolledBack);
    CHECK(fatal.peak_exposed_fraction <= 0.05 + 1e-12);
    CHECK_FALSE(fatal.escaped);
    const ChangeOutcome good = RunOne(policy, "");
    CHECK_FALSE(good.bad);
    CHECK_FALSE(good.false_positive);
    CHECK(good.failing_verdicts == 0);
    CHECK(good.verdicts > 0);
    CHECK(good.final_state == FinalState::kCompleted);
    CHECK(good.peak_exposed_fraction == 1.0);
  }
}

// Observations of `ticks` minutes with `requests` per minute in each group, errors at the given
// rates and p99 latency in ms; every window (interval, growing) and series is consistent. The
// observation views `series`: it is valid until the next call.
struct Group {
  double error_rate = 0.001;
  double latency_ms = 100;
};

HealthObservation Observe(Group canary, Group control, int64_t requests, size_t ticks,
                          std::vector<double> (&series)[4]) {
  const auto window = [&](Group g) {
    SignalWindow w;
    w.requests = requests * static_cast<int64_t>(ticks);
    w.errors = std::llround(g.error_rate * static_cast<double>(w.requests));
    w.latency_weight = static_cast<double>(w.requests);
    w.latency_weighted_sum = g.latency_ms * w.latency_weight;
    w.host_minutes = w.requests > 0 ? 10 * static_cast<int64_t>(ticks) : 0;
    return w;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto point = [&](double value) { return requests > 0 ? value : nan; };
  for (auto& s : series) s.clear();
  for (size_t t = 0; t < ticks; ++t) {
    // A little deterministic wobble, the same in both groups, so that series are not constant.
    const double wobble = 1.0 + 0.05 * static_cast<double>(t % 3);
    series[0].push_back(point(canary.error_rate * wobble));
    series[1].push_back(point(control.error_rate * wobble));
    series[2].push_back(point(canary.latency_ms * wobble));
    series[3].push_back(point(control.latency_ms * wobble));
  }
  HealthObservation o;
  o.now = SimTime::Minutes(static_cast<int64_t>(ticks));
  o.canary = o.canary_since_start = window(canary);
  o.control = o.control_since_start = window(control);
  o.canary_error_series = series[0];
  o.control_error_series = series[1];
  o.canary_latency_series = series[2];
  o.control_latency_series = series[3];
  o.window_ticks = ticks;
  return o;
}

TEST_CASE(
    "every health check kind fails a broken canary, never fails a healthy one, never "
    "passes without data",
    "[health][conformance]") {
  std::vector<double> series[4];
  const Group healthy;
  const Group broken{0.5, 400};
  for (const KindDoc& doc : HealthCheckKinds().Docs()) {
    INFO("kind " << doc.kind << ": " << doc.example);
    const std::unique_ptr<HealthCheck> check = Check(doc.example);
    CHECK(check->Kind() == doc.kind);
    const HealthObservation bad = Observe(broken, healthy, 50'000, 30, series);
    const Verdict failed = check->Evaluate(bad);
    CHECK(failed.kind == VerdictKind::kFail);
    CHECK_FALSE(failed.reason.empty());
    const Verdict again = check->Evaluate(bad);
    CHECK(again.kind == failed.kind);
    CHECK(again.reason == failed.reason);
    for (int64_t requests : {int64_t{100}, int64_t{50'000}}) {
      INFO(requests << " requests per minute, healthy canary = control");
      CHECK(check->Evaluate(Observe(healthy, healthy, requests, 30, series)).kind !=
            VerdictKind::kFail);
    }
    const Verdict no_data = check->Evaluate(Observe(healthy, healthy, 0, 30, series));
    CHECK(no_data.kind != VerdictKind::kPass);
  }
}

TEST_CASE("every health check kind rejects a misspelled key with its location",
          "[health][conformance][yaml]") {
  for (const KindDoc& doc : HealthCheckKinds().Docs()) {
    INFO("kind " << doc.kind);
    REQUIRE(doc.example.back() == '}');
    const std::string typo = doc.example.substr(0, doc.example.size() - 1) + ", mertic: x}";
    const Status st = CatchConfigErrors(
        [&] { ParseHealthCheck(ParseYamlText(typo, &kFile), "health.checks[]"); });
    REQUIRE_FALSE(st.ok());
    CHECK_THAT(st.message(), Catch::Contains("policy.yaml:1:") && Catch::Contains("mertic"));
  }
}

}  // namespace
}  // namespace fleetsim
