// The practice scenarios S1-S13 of the config-safety study guide (scenarios/outages/practice-*):
// each replay reproduces the times its file states (the guide's, or the file's stated
// assumptions) within tolerance, and the outcome the guide describes: who detects it (canary
// automation, or a person when automation cannot), where it is stopped, and how far it spreads.
#include <catch2/catch.hpp>

#include <string>

#include "analysis/experiment.h"
#include "analysis/outage_replay.h"
#include "tests/scenarios/outage_replay_support.h"

namespace fleetsim::testing {
namespace {

TEST_CASE("replay practice S1 regional canary SLO", "[outage][practice]") {
  RequirePublishedTimes("practice-s01-regional-canary-slo");
  const auto r = ReplayOutage("practice-s01-regional-canary-slo");
  CHECK(r->actual().outcome.detected_by ==
        DetectedBy::kAutomation);                    // the canary SLO, not a person
  CHECK(r->actual().outcome.regions_impacted == 1);  // the regional ring only
  CHECK(r->actual().alerts == 0);                    // the global SLO never breached
}

TEST_CASE("replay practice S2 payment DB pool", "[outage][practice]") {
  RequirePublishedTimes("practice-s02-payment-db-pool");
  CHECK(ReplayOutage("practice-s02-payment-db-pool")->actual().outcome.detected_by ==
        DetectedBy::kHuman);
}

TEST_CASE("replay practice S3 regional distribution", "[outage][practice]") {
  RequirePublishedTimes("practice-s03-regional-distribution");
  CHECK(ReplayOutage("practice-s03-regional-distribution")->actual().outcome.regions_impacted == 1);
}

TEST_CASE("replay practice S4 rollback orchestrator bug", "[outage][practice]") {
  RequirePublishedTimes("practice-s04-auth-rollback-orchestrator-bug");
  const auto r = ReplayOutage("practice-s04-auth-rollback-orchestrator-bug");
  // Automation stops it (the pause) but the rollback is a person's.
  CHECK(r->actual().Moment(OutageMoment::kMitigationStart).by == "human");
}

TEST_CASE("replay practice S5 ring 2 small region", "[outage][practice]") {
  RequirePublishedTimes("practice-s05-ring2-small-region-cache");
  CHECK(ReplayOutage("practice-s05-ring2-small-region-cache")->actual().outcome.regions_impacted ==
        1);
}

TEST_CASE("replay practice S6 flag DB writes", "[outage][practice]") {
  RequirePublishedTimes("practice-s06-flag-db-writes");
}

TEST_CASE("replay practice S7 auth canary login rate", "[outage][practice]") {
  RequirePublishedTimes("practice-s07-auth-canary-login-rate");
  const auto r = ReplayOutage("practice-s07-auth-canary-login-rate");
  CHECK(r->actual().outcome.detected_by == DetectedBy::kAutomation);
  CHECK(r->actual().alerts == 0);  // diluted 100x: the service-wide rate stays under the alert
}

TEST_CASE("replay practice S8 photo flag rollback", "[outage][practice]") {
  RequirePublishedTimes("practice-s08-photo-flag-rollback");
}

TEST_CASE("replay practice S9 ten percent global", "[outage][practice]") {
  RequirePublishedTimes("practice-s09-ten-percent-global");
}

TEST_CASE("replay practice S10 flag percentage typo", "[outage][practice]") {
  RequirePublishedTimes("practice-s10-flag-percentage-typo");
}

TEST_CASE("the S10 typo at 100 percent reaches everyone that the intended ramp kept on its canary",
          "[outage][practice][counterfactual]") {
  const auto r = ReplayOutage("practice-s10-flag-percentage-typo", {"flag-100-at-once"});
  CHECK(r->actual().outcome.peak_exposed_fraction <= 0.01);
  CHECK(r->counterfactual().outcome.peak_exposed_fraction == 1.0);
}

TEST_CASE("replay practice S11 canary miss", "[outage][practice]") {
  RequirePublishedTimes("practice-s11-canary-miss-latency");
  // Missed by the canary, caught at the next stage.
  CHECK(ReplayOutage("practice-s11-canary-miss-latency")->actual().outcome.detected_stage_name ==
        "p25");
}

TEST_CASE("replay practice S12 login drop after full rollout", "[outage][practice]") {
  RequirePublishedTimes("practice-s12-login-drop-after-full-rollout");
  const auto r = ReplayOutage("practice-s12-login-drop-after-full-rollout");
  CHECK(r->actual().outcome.escaped);
  CHECK(r->actual().Moment(OutageMoment::kDetection).by == "alert");
  CHECK(r->actual().outcome.detected_by == DetectedBy::kHuman);
}

TEST_CASE("replay practice S13 delayed below threshold", "[outage][practice]") {
  RequirePublishedTimes("practice-s13-delayed-below-threshold");
  const auto r = ReplayOutage("practice-s13-delayed-below-threshold");
  CHECK(r->actual().outcome.failing_verdicts == 0);  // automation never objects
  CHECK(r->actual().outcome.detected_by == DetectedBy::kHuman);
}

}  // namespace
}  // namespace fleetsim::testing
