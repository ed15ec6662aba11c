// compare's paired differences: per-replica reductions and verdicts on hand-built replicas
// whose answers are known, and "no difference" when a policy is compared with itself.
#include <catch2/catch.hpp>

#include "analysis/paired_comparison.h"

namespace fleetsim {
namespace {

ChangeOutcome Bad(double blast, bool escaped) {
  ChangeOutcome o;
  o.bad = true;
  o.carries_fault = true;
  o.peak_exposed_fraction = blast;
  o.escaped = escaped;
  o.impact_start = SimTime::Minutes(0);
  o.detected_at = SimTime::Minutes(5);
  o.impact_end = SimTime::Minutes(10);
  return o;
}

ChangeOutcome Good(bool false_positive, int lead_minutes) {
  ChangeOutcome o;
  o.false_positive = false_positive;
  o.full_exposure_at = SimTime::Minutes(lead_minutes);
  return o;
}

const PairedMetric& Find(const PairedComparison& c, const std::string& name) {
  for (const PairedMetric& m : c.metrics) {
    if (m.name == name) return m;
  }
  FAIL("no metric " << name);
  return c.metrics.front();
}

TEST_CASE("paired comparison calls clear differences in the right direction", "[paired]") {
  std::vector<ReplicaResult> baseline(6), policy(6);
  for (int r = 0; r < 6; ++r) {
    // Baseline: every bad change reaches everyone and escapes; policy: 1-3% and caught.
    baseline[r].outcomes = {Bad(1.0, true), Good(false, 2), Good(false, 2)};
    policy[r].outcomes = {Bad(0.01 * (1 + r % 3), false), Good(r % 2 == 0, 72),
                          Good(false, 72 + r)};
  }
  PairedComparison c = ComparePaired("big", baseline, "staged", policy);
  const PairedMetric& blast = Find(c, "blast_radius");
  CHECK(blast.verdict == PairedVerdict::kBetter);
  CHECK(blast.baseline_mean == 1.0);
  CHECK(blast.policy_mean == Approx(0.02));
  CHECK(blast.difference.mean == Approx(-0.98));
  CHECK(Find(c, "escape_rate").verdict == PairedVerdict::kBetter);
  // Lead time: 2 -> mean of (72, 72 + r)/2 per replica: always much longer.
  CHECK(Find(c, "lead_time").verdict == PairedVerdict::kWorse);
  // False positives: half the replicas have 1 of 2 good changes stopped: mean +0.25 per
  // replica; differences (0.5, 0, 0.5, 0, 0.5, 0) have sd 0.2739, t = 0.25/(0.2739/sqrt 6) = 2.236
  // = sqrt(5) with 5 df. Closed form for 5 df with theta = atan(t / sqrt 5) = pi/4:
  // F = 1/2 + (theta + sin cos (1 + 2/3 cos^2)) / pi = 1/2 + (pi/4 + 2/3) / pi = 0.9622066, so the
  // two-sided p = 2 (1 - F) = 0.0755868 > 0.05: not significant.
  const PairedMetric& fp = Find(c, "false_positive_rate");
  CHECK(fp.difference.mean == Approx(0.25));
  CHECK(fp.difference.p_value == Approx(0.0755868).margin(1e-6));
  CHECK(fp.verdict == PairedVerdict::kNoSignificantDifference);
}

TEST_CASE("a policy compared with itself shows no difference", "[paired]") {
  std::vector<ReplicaResult> runs(4);
  for (int r = 0; r < 4; ++r) runs[r].outcomes = {Bad(0.05 * (r + 1), r == 0), Good(r == 1, 60)};
  PairedComparison c = ComparePaired("a", runs, "a", runs);
  for (const PairedMetric& m : c.metrics) {
    INFO(m.name);
    CHECK(m.difference.mean == 0);
    CHECK(m.verdict == PairedVerdict::kNoSignificantDifference);
  }
}

TEST_CASE("replicas where a metric is undefined are left out of the pairs", "[paired]") {
  std::vector<ReplicaResult> a(3), b(3);
  a[0].outcomes = {Bad(0.5, false)};
  b[0].outcomes = {Bad(0.1, false)};
  a[1].outcomes = {Good(false, 10)};  // no bad change: no blast radius in this replica
  b[1].outcomes = {Good(false, 10)};
  a[2].outcomes = {Bad(0.5, false)};
  b[2].outcomes = {Bad(0.2, false)};
  const PairedMetric& blast = Find(ComparePaired("a", a, "b", b), "blast_radius");
  CHECK(blast.difference.n == 2);
  CHECK(blast.difference.mean == Approx(-0.35));
}

}  // namespace
}  // namespace fleetsim
