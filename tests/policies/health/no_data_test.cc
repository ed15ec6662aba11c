// Verdicts without data and undecided values, and how vendor counting takes them:
//  - a threshold check says no_data when the canary served no request, and with fail_above /
//    fail_below a value past the passing bound but within the failing one is inconclusive
//    (Argo: neither successCondition nor failureCondition holds), past it failed;
//  - the check set carries no_data (min_requests, every undecided check without data);
//  - Argo counting (argo_verdict_counter.h) takes a no-data verdict as health.no_data says (an
//    Error by default for `result[0]` conditions, from the importer), retries an Error after
//    10 s, and Errors past consecutive_error_limit abort; Flagger counting takes it as a failed
//    check under on_inconclusive: fail.
#include <catch2/catch.hpp>

#include "policies/health/argo_verdict_counter.h"
#include "policies/health/flagger_verdict_counter.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

HealthObservation Canary(int64_t requests, int64_t errors) {
  HealthObservation o;
  o.canary.requests = requests;
  o.canary.errors = errors;
  return o;
}

TEST_CASE("threshold: no canary request is an inconclusive verdict without data", "[health]") {
  const auto check =
      testing::HealthCheckFromYaml("{kind: threshold, metric: error_rate, max: 0.1}");
  const Verdict none = check->Evaluate(Canary(0, 0));
  CHECK(none.kind == VerdictKind::kInconclusive);
  CHECK(none.no_data);
  const Verdict fail = check->Evaluate(Canary(1000, 101));
  CHECK(fail.kind == VerdictKind::kFail);
  CHECK_FALSE(fail.no_data);
}

TEST_CASE("threshold: fail_above and fail_below make an inconclusive band", "[health]") {
  const auto up = testing::HealthCheckFromYaml(
      "{kind: threshold, metric: error_rate, max: 0.1, fail_above: 0.5}");
  CHECK(up->Evaluate(Canary(1000, 100)).kind == VerdictKind::kPass);  // 0.1: the bound passes
  const Verdict band = up->Evaluate(Canary(1000, 300));
  CHECK(band.kind == VerdictKind::kInconclusive);
  CHECK_FALSE(band.no_data);
  CHECK_THAT(band.reason, Catch::Contains("fail_above 0.5"));
  CHECK(up->Evaluate(Canary(1000, 500)).kind == VerdictKind::kInconclusive);  // inclusive
  CHECK(up->Evaluate(Canary(1000, 501)).kind == VerdictKind::kFail);
  const auto down = testing::HealthCheckFromYaml(
      "{kind: threshold, metric: error_rate, min: 0.2, fail_below: 0.1}");
  CHECK(down->Evaluate(Canary(1000, 150)).kind == VerdictKind::kInconclusive);
  CHECK(down->Evaluate(Canary(1000, 99)).kind == VerdictKind::kFail);
  CHECK(down->Evaluate(Canary(1000, 900)).kind == VerdictKind::kPass);
  CHECK_THAT(testing::HealthCheckError(
                 "{kind: threshold, metric: error_rate, max: 0.1, fail_above: 0.05}"),
             Catch::Contains("fail_above"));
  CHECK_THAT(testing::HealthCheckError("{kind: threshold, metric: error_rate, min: 0.1, "
                                       "fail_above: 0.5}"),
             Catch::Contains("fail_above: needs max"));
}

TEST_CASE("check set: no_data survives min_requests and undecided checks", "[health]") {
  const Policy p = testing::PolicyFromYaml(
      "rollout: {kind: big_bang}\nhealth:\n  min_requests: 100\n  checks:\n"
      "    - {kind: threshold, metric: error_rate, max: 0.1, fail_above: 0.5}\n");
  CHECK(p.health->Judge(Canary(50, 0)).no_data);
  const Verdict band = p.health->Judge(Canary(1000, 300));
  CHECK(band.kind == VerdictKind::kInconclusive);
  CHECK_FALSE(band.no_data);
}

Verdict NoData() { return Verdict{VerdictKind::kInconclusive, "no canary traffic", true}; }

TEST_CASE("argo counting: a no-data verdict is what health.no_data says", "[health][argo]") {
  ArgoLimits limits;
  limits.no_data = ArgoMeasurement::kError;
  limits.consecutive_error_limit = 2;
  ArgoVerdictCounter c(limits);
  CHECK(c.RetryAfter() == SimTime::Zero());
  CHECK(c.Add(NoData()) == CountDecision::kContinue);
  CHECK(c.RetryAfter() == SimTime::Seconds(10));  // Argo's DefaultErrorRetryInterval
  CHECK(c.Add(NoData()) == CountDecision::kContinue);
  // A measurement in between resets the streak and the retry.
  CHECK(c.Add(Verdict{}) == CountDecision::kContinue);
  CHECK(c.RetryAfter() == SimTime::Zero());
  CHECK(c.Add(NoData()) == CountDecision::kContinue);
  CHECK(c.Add(NoData()) == CountDecision::kContinue);
  CHECK(c.Add(NoData()) == CountDecision::kStop);  // 3 consecutive errors > 2: Error aborts
  CHECK(c.phase() == ArgoPhase::kError);
  CHECK(c.RetryAfter() == SimTime::Zero());  // the run is over
  // An undecided value (not a lack of data) stays Inconclusive.
  ArgoVerdictCounter i(limits);
  CHECK(i.Add(Verdict{VerdictKind::kInconclusive, "band", false}) == CountDecision::kPause);
  limits.no_data = ArgoMeasurement::kSuccessful;
  ArgoVerdictCounter s(limits);
  CHECK(s.Add(NoData()) == CountDecision::kContinue);
  CHECK(s.phase() == ArgoPhase::kRunning);
}

TEST_CASE("health YAML: consecutive_error_limit and no_data are Argo counting keys", "[health]") {
  const Policy p = testing::PolicyFromYaml(
      "rollout: {kind: big_bang}\nhealth:\n  counting: argo\n  consecutive_error_limit: 1\n"
      "  no_data: error\n  checks: [{kind: threshold, metric: error_rate, max: 0.1}]\n");
  std::unique_ptr<VerdictCounter> c = p.health->NewCounter();
  CHECK(c->Add(NoData()) == CountDecision::kContinue);
  CHECK(c->Add(NoData()) == CountDecision::kStop);
  const std::string flagger =
      "rollout: {kind: big_bang}\nhealth:\n  counting: flagger\n  no_data: error\n"
      "  checks: [{kind: threshold, metric: error_rate, max: 0.1}]\n";
  Status st = CatchConfigErrors([&] {
    static const std::string kFile = "p.yaml";
    ParsePolicyNode(ParseYamlText(flagger, &kFile), "p");
  });
  CHECK_THAT(st.message(),
             Catch::Contains("p.yaml:4:") && Catch::Contains("only with counting: argo"));
}

TEST_CASE("flagger counting: no data is a failed check under on_inconclusive: fail",
          "[health][flagger]") {
  HealthSchedule s;
  s.failure_limit = 2;
  s.on_inconclusive = InconclusiveAction::kFail;
  FlaggerVerdictCounter c(s);
  CHECK(c.Add(NoData()) == CountDecision::kHold);
  CHECK_FALSE(c.StopDue());
  CHECK(c.Add(NoData()) == CountDecision::kHold);
  CHECK(c.StopDue());
}

}  // namespace
}  // namespace fleetsim
