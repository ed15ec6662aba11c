// Golden truth tables for the Argo Rollouts AnalysisRun counting rules
// (policies/health/argo_counting.h) from the documented semantics in
// shared/reference/rollout-systems.md §A1 and argo-rollouts docs/features/analysis.md:
// failureLimit is cumulative (default 0, -1 disables), inconclusiveLimit (default 0),
// consecutiveErrorLimit (default 4, errors distinct from failures and not counted as
// measurements), consecutiveSuccessLimit (default 0 = disabled), the count-reached table
// (failureLimit violated -> Failed; else consecutiveSuccessLimit satisfied -> Successful; else
// Inconclusive; only consecutiveSuccessLimit applicable -> Failed), and premature termination
// being Successful unless failureLimit was already violated.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "policies/health/argo_counting.h"

namespace fleetsim {
namespace {

constexpr ArgoMeasurement S = ArgoMeasurement::kSuccessful;
constexpr ArgoMeasurement F = ArgoMeasurement::kFailed;
constexpr ArgoMeasurement I = ArgoMeasurement::kInconclusive;
constexpr ArgoMeasurement E = ArgoMeasurement::kError;

// Phase names after each measurement, joined by spaces, for readable expectations.
std::string Timeline(const ArgoLimits& limits, const std::vector<ArgoMeasurement>& ms) {
  std::string out;
  for (ArgoPhase p : ArgoPhaseTimeline(limits, ms)) {
    if (!out.empty()) out += ' ';
    out += ArgoPhaseName(p);
  }
  return out;
}

ArgoLimits Limits(int failure, int inconclusive, int consecutive_success, int count) {
  ArgoLimits l;
  l.failure_limit = failure;
  l.inconclusive_limit = inconclusive;
  l.consecutive_success_limit = consecutive_success;
  l.count = count;
  return l;
}

TEST_CASE("argo: defaults tolerate no failure and no inconclusive, and run until stopped") {
  const ArgoLimits d;
  CHECK(d.failure_limit == 0);
  CHECK(d.consecutive_error_limit == 4);
  CHECK(ArgoMetricRun(d).phase() == ArgoPhase::kPending);
  CHECK(Timeline(d, {S, S, S}) == "Running Running Running");
  CHECK(Timeline(d, {S, S, F}) == "Running Running Failed");
  CHECK(Timeline(d, {I}) == "Inconclusive");
}

TEST_CASE("argo: failureLimit is cumulative, not consecutive") {
  const ArgoLimits l = Limits(2, 0, 0, 0);
  CHECK(Timeline(l, {F, F, F}) == "Running Running Failed");
  CHECK(Timeline(l, {F, S, F, S, F}) == "Running Running Running Running Failed");
  CHECK(Timeline(Limits(-1, 0, 1, 0), {F, F, F, S}) == "Running Running Running Successful");
}

TEST_CASE("argo: inconclusiveLimit") {
  CHECK(Timeline(Limits(0, 1, 0, 0), {I, S, I}) == "Running Running Inconclusive");
}

TEST_CASE("argo: consecutive errors beyond the limit end in Error, any measurement resets") {
  const ArgoLimits d;
  CHECK(Timeline(d, {E, E, E, E, E}) == "Running Running Running Running Error");
  CHECK(Timeline(d, {E, E, E, E, S, E, E, E, E}) ==
        "Running Running Running Running Running Running Running Running Running");
  ArgoLimits zero;
  zero.consecutive_error_limit = 0;
  CHECK(Timeline(zero, {E}) == "Error");
  // Errors are not measurements: they neither count towards `count` nor fail.
  ArgoMetricRun run(Limits(0, 0, 0, 2));
  run.Record(E);
  run.Record(S);
  CHECK(run.counters().count == 1);
  CHECK(run.counters().error == 1);
  CHECK(run.phase() == ArgoPhase::kRunning);
  CHECK(run.Record(S) == ArgoPhase::kSuccessful);
}

TEST_CASE("argo: consecutiveSuccessLimit succeeds as soon as it is reached") {
  CHECK(Timeline(Limits(-1, 0, 3, 0), {F, F, S, S, S}) ==
        "Running Running Running Running Successful");
  CHECK(Timeline(Limits(-1, 0, 3, 0), {S, S, F, S, S, S}) ==
        "Running Running Running Running Running Successful");
  // Both applicable: at most 3 failures before 4 consecutive successes.
  CHECK(Timeline(Limits(3, 0, 4, 0), {F, S, F, S, S, S, S}) ==
        "Running Running Running Running Running Running Successful");
  CHECK(Timeline(Limits(3, 0, 4, 0), {F, F, F, S, F}) == "Running Running Running Running Failed");
}

TEST_CASE("argo: count reached truth table") {
  // Only failureLimit applicable: not violated -> Successful.
  CHECK(Timeline(Limits(1, 0, 0, 3), {S, F, S}) == "Running Running Successful");
  // failureLimit violated -> Failed (whatever consecutiveSuccessLimit says).
  CHECK(Timeline(Limits(0, 0, 0, 3), {S, S, F}) == "Running Running Failed");
  CHECK(Timeline(Limits(0, 0, 1, 3), {F, S, S}) == "Failed Failed Failed");
  // Both applicable, not violated: satisfied -> Successful, not satisfied -> Inconclusive.
  CHECK(Timeline(Limits(1, 0, 2, 3), {F, S, S}) == "Running Running Successful");
  CHECK(Timeline(Limits(1, 0, 2, 3), {S, F, S}) == "Running Running Inconclusive");
  // Only consecutiveSuccessLimit applicable and not satisfied -> Failed.
  CHECK(Timeline(Limits(-1, 0, 2, 3), {S, F, S}) == "Running Running Failed");
}

TEST_CASE("argo: a completed phase is final") {
  CHECK(Timeline(ArgoLimits{}, {F, S, S}) == "Failed Failed Failed");
  ArgoMetricRun run(ArgoLimits{});
  run.Record(I);
  CHECK(run.Terminate() == ArgoPhase::kInconclusive);
}

TEST_CASE("argo: premature termination is success unless failureLimit was violated") {
  ArgoMetricRun none(ArgoLimits{});
  CHECK(none.Terminate() == ArgoPhase::kSuccessful);  // no measurement taken yet
  ArgoMetricRun tolerated(Limits(1, 0, 0, 10));
  tolerated.Record(F);
  tolerated.Record(S);
  CHECK(tolerated.phase() == ArgoPhase::kRunning);
  CHECK(tolerated.Terminate() == ArgoPhase::kSuccessful);
  ArgoMetricRun violated(Limits(1, 0, 0, 10));
  violated.Record(F);
  violated.Record(F);
  CHECK(violated.Terminate() == ArgoPhase::kFailed);
  // consecutiveSuccessLimit does not affect the termination status.
  ArgoMetricRun waiting(Limits(-1, 0, 5, 0));
  waiting.Record(F);
  CHECK(waiting.Terminate() == ArgoPhase::kSuccessful);
}

TEST_CASE("argo: the run phase is the worst metric phase") {
  using P = ArgoPhase;
  const std::vector<P> order = {P::kSuccessful,   P::kRunning, P::kPending,
                                P::kInconclusive, P::kError,   P::kFailed};
  for (size_t i = 0; i < order.size(); ++i) {
    for (size_t j = 0; j < order.size(); ++j) {
      CHECK(WorstArgoPhase(order[i], order[j]) == order[std::max(i, j)]);
    }
  }
  CHECK(ArgoPhaseCompleted(P::kError));
  CHECK_FALSE(ArgoPhaseCompleted(P::kRunning));
  CHECK_FALSE(ArgoPhaseCompleted(P::kPending));
}

}  // namespace
}  // namespace fleetsim
