// DESIGN §8 statistical oracle: the false-positive rate of a threshold check on pure Binomial
// noise equals the exact Binomial tail, and its detection power matches the same closed form at
// the faulty error rate. A threshold check built through the registry from YAML judges M
// independent canary windows of n = 10 hosts x 100 requests x 1 minute = 1000 requests
// (fixed request counts, no heterogeneity, no overdispersion) drawn by SignalSampler. The check
// fails iff errors / n > max, i.e. iff X > k with k = floor(max x n) worked by hand, so the
// failure probability is P[X > k] for X ~ Binomial(n, p), computed here with Boost.Math's
// binomial complement cdf (independent of the simulator). That exact value must lie inside the
// 99.9% Wilson interval of the empirical failure count (analysis/statistics.h). A negative
// control samples at p = 0.011 and shows the p = 0.01 tail falls outside the interval.
// The relative check is tested on hand-computed cases.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <catch2/catch.hpp>

#include "analysis/statistics.h"
#include "loader/yaml_reader.h"
#include "policies/health/health_registry.h"
#include "sim/random_stream.h"
#include "sim/signal_sampler.h"

namespace fleetsim {
namespace {

constexpr int kEvaluations = 20'000;
constexpr double kConfidence = 0.999;
constexpr int64_t kHosts = 10;
constexpr double kRatePerHost = 100;
constexpr int64_t kWindowRequests = 1000;  // kHosts x kRatePerHost x 1 minute

std::unique_ptr<HealthCheck> MakeCheck(const std::string& yaml) {
  static const std::string kFile = "oracle-check.yaml";
  std::unique_ptr<HealthCheck> check;
  const Status st = CatchConfigErrors([&] {
    YamlMap m(ParseYamlText(yaml, &kFile), "check");
    const std::string kind = m.Required("kind").AsString("kind");
    const HealthCheckRegistry::Factory* factory = HealthCheckKinds().Find(kind);
    if (factory == nullptr) m.self().Fail("unknown kind " + kind);
    check = (*factory)(m);
    m.Finish();
  });
  INFO(st.message());
  REQUIRE(st.ok());
  REQUIRE(check != nullptr);
  return check;
}

SignalWindow Window(int64_t requests, int64_t errors) {
  SignalWindow w;
  w.requests = requests;
  w.errors = errors;
  return w;
}

Verdict Judge(const HealthCheck& check, SignalWindow canary, SignalWindow control = {}) {
  HealthObservation o;
  o.canary = canary;
  o.control = control;
  return check.Evaluate(o);
}

// Runs kEvaluations independent canary windows at base error rate `p` with `faults` and counts
// failing verdicts. Window i uses its own stream (kTest, entity i) under `replica`.
int64_t CountFailures(const HealthCheck& check, double p, const std::vector<FaultEffect>& faults,
                      uint32_t replica) {
  SignalSpec spec;
  spec.base_error_rate = p;
  spec.poisson_requests = false;
  spec.cell_heterogeneity = 0;
  spec.overdispersion = 0;
  const SignalSampler sampler(spec);
  const CellProfile profile{p, 1.0};
  std::vector<int64_t> fault_errors(faults.size());
  int64_t failures = 0;
  for (int i = 0; i < kEvaluations; ++i) {
    RandomStream rng(StreamKey{0x0ac1e, replica, StreamPurpose::kTest, static_cast<uint64_t>(i)});
    const CellMinute minute = sampler.DrawCellMinute(rng, profile);
    REQUIRE(minute.error_probability == p);  // no overdispersion: pure Binomial noise
    const SegmentSample s =
        sampler.SampleSegment(rng, kHosts, kRatePerHost, minute, profile, faults, fault_errors);
    REQUIRE(s.requests == kWindowRequests);
    const Verdict v = Judge(check, Window(s.requests, s.errors));
    REQUIRE(v.kind != VerdictKind::kInconclusive);
    if (v.kind == VerdictKind::kFail) ++failures;
  }
  return failures;
}

// P[X > k], X ~ Binomial(n, p), from Boost.Math.
double ExactUpperTail(int64_t k, int64_t n, double p) {
  const boost::math::binomial dist(static_cast<double>(n), p);
  return boost::math::cdf(boost::math::complement(dist, static_cast<double>(k)));
}

// max = 0.012 over n = 1000 requests: fail iff errors > 12 (12/1000 is exactly the double 0.012).
constexpr const char* kThresholdYaml = "{kind: threshold, metric: error_rate, max: 0.012}";
constexpr int64_t kThresholdK = 12;

TEST_CASE("threshold check: boundary cases by hand", "[oracle][false_positive]") {
  const auto check = MakeCheck(kThresholdYaml);
  CHECK(check->Kind() == "threshold");
  CHECK(Judge(*check, Window(kWindowRequests, kThresholdK)).kind == VerdictKind::kPass);
  CHECK(Judge(*check, Window(kWindowRequests, kThresholdK + 1)).kind == VerdictKind::kFail);
  CHECK(Judge(*check, Window(kWindowRequests, 0)).kind == VerdictKind::kPass);
  CHECK(Judge(*check, Window(0, 0)).kind == VerdictKind::kInconclusive);
}

TEST_CASE("threshold check false-positive rate equals the exact Binomial tail",
          "[oracle][false_positive]") {
  const auto check = MakeCheck(kThresholdYaml);
  const double p = 0.01;
  const double exact = ExactUpperTail(kThresholdK, kWindowRequests, p);  // ~0.2084
  const int64_t failures = CountFailures(*check, p, {}, 1);
  const Interval ci = WilsonInterval(failures, kEvaluations, kConfidence);
  INFO("false alarms " << failures << "/" << kEvaluations << ", 99.9% Wilson [" << ci.lo << ", "
                       << ci.hi << "], exact P[X > 12] = " << exact);
  CHECK(ci.lo <= exact);
  CHECK(exact <= ci.hi);
}

TEST_CASE("threshold check detection power equals the exact Binomial tail",
          "[oracle][false_positive]") {
  const auto check = MakeCheck(kThresholdYaml);
  const double p = 0.01, increase = 0.01;
  const double p_total = 1 - (1 - p) * (1 - increase);                         // 0.0199
  const double exact = ExactUpperTail(kThresholdK, kWindowRequests, p_total);  // ~0.95
  const int64_t detections = CountFailures(*check, p, {FaultEffect{increase, 1.0}}, 2);
  const Interval ci = WilsonInterval(detections, kEvaluations, kConfidence);
  INFO("detections " << detections << "/" << kEvaluations << ", 99.9% Wilson [" << ci.lo << ", "
                     << ci.hi << "], exact P[X > 12] at p = " << p_total << ": " << exact);
  CHECK(ci.lo <= exact);
  CHECK(exact <= ci.hi);
}

TEST_CASE("negative control: the oracle rejects noise at p = 0.011", "[oracle][false_positive]") {
  const auto check = MakeCheck(kThresholdYaml);
  const double exact_at_001 = ExactUpperTail(kThresholdK, kWindowRequests, 0.01);
  const int64_t failures = CountFailures(*check, 0.011, {}, 3);
  const Interval ci = WilsonInterval(failures, kEvaluations, kConfidence);
  INFO("false alarms at p = 0.011: " << failures << "/" << kEvaluations << ", 99.9% Wilson ["
                                     << ci.lo << ", " << ci.hi << "], tail at p = 0.01 "
                                     << exact_at_001);
  CHECK((exact_at_001 < ci.lo || exact_at_001 > ci.hi));
}

TEST_CASE("relative check: hand-computed cases", "[oracle][false_positive]") {
  const auto check = MakeCheck("{kind: relative, metric: error_rate, max_increase: 0.5}");
  CHECK(check->Kind() == "relative");
  // canary 0.02 vs control 0.01: +100% > +50%.
  CHECK(Judge(*check, Window(1000, 20), Window(1000, 10)).kind == VerdictKind::kFail);
  // canary 0.014 vs control 0.01: +40% <= +50%.
  CHECK(Judge(*check, Window(1000, 14), Window(1000, 10)).kind == VerdictKind::kPass);
  // canary 0.016 vs control 0.01 over different window sizes (8/500 vs 30/3000): +60%.
  CHECK(Judge(*check, Window(500, 8), Window(3000, 30)).kind == VerdictKind::kFail);
  // canary better than control: a negative increase passes.
  CHECK(Judge(*check, Window(1000, 5), Window(1000, 10)).kind == VerdictKind::kPass);
  // control 0: canary 0 passes, any canary error fails.
  CHECK(Judge(*check, Window(1000, 0), Window(1000, 0)).kind == VerdictKind::kPass);
  CHECK(Judge(*check, Window(1000, 1), Window(1000, 0)).kind == VerdictKind::kFail);
  // no traffic on either side: inconclusive.
  CHECK(Judge(*check, Window(0, 0), Window(1000, 10)).kind == VerdictKind::kInconclusive);
  CHECK(Judge(*check, Window(1000, 10), Window(0, 0)).kind == VerdictKind::kInconclusive);
}

}  // namespace
}  // namespace fleetsim
