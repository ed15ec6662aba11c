// Golden tests of the Kayenta NetflixACAJudge building blocks (policies/health/kayenta_judge.h)
// against the documented rules (shared/reference/rollout-systems.md §A3, spinnaker/kayenta's
// MannWhitneyClassifier, WeightedSumScorer, ThresholdScoreClassifier and the standalone canary
// analysis "last >= pass, all previous >= marginal" rule).
//
// Classification data: baseline 1..30 and canary = baseline + s. R 4.2.2's
// wilcox.test(canary, baseline, exact = FALSE, conf.int = TRUE, conf.level = 0.98) gives
// (lower, estimate) = (-0.99994, 5) for s = 5, (1.00006, 7) for s = 7 and (2.50006, 8.5) for
// s = 8.5; so with tolerance 0.25 the bound 0.25·|estimate| is 1.25, 1.75 and 2.125: s = 5 is
// Pass (interval contains 0), s = 7 is Pass although significant (lower bound inside the
// tolerance band), s = 8.5 is High. Negative shifts mirror this. Scores are computed by hand.
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "policies/health/kayenta_judge.h"

namespace fleetsim {
namespace {

using C = KayentaMetricClass;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> Baseline() {
  std::vector<double> v;
  for (int i = 1; i <= 30; ++i) v.push_back(i);
  return v;
}

std::vector<double> Shifted(double s) {
  std::vector<double> v = Baseline();
  for (double& e : v) e += s;
  return v;
}

KayentaMetricConfig Direction(KayentaDirection d) {
  KayentaMetricConfig c;
  c.direction = d;
  return c;
}

TEST_CASE("kayenta: missing data gives NODATA, NodataFail with mustHaveData, Pass with replace") {
  KayentaMetricConfig c;
  CHECK(ClassifyMetric({}, {1, 2}, c).label == C::kNoData);
  CHECK(ClassifyMetric({kNaN, kNaN}, {1, 2}, c).label == C::kNoData);  // NaNs removed
  CHECK_FALSE(ClassifyMetric({}, {1, 2}, c).critical);
  c.must_have_data = true;
  CHECK(ClassifyMetric({1, 2}, {}, c).label == C::kNoDataFail);
  c.critical = true;  // critical wins over mustHaveData: a critical NODATA
  const KayentaMetricResult r = ClassifyMetric({1, 2}, {}, c);
  CHECK(r.label == C::kNoData);
  CHECK(r.critical);
  KayentaMetricConfig replace;
  replace.nan_strategy = KayentaNanStrategy::kReplace;
  CHECK(ClassifyMetric({}, {1, 2}, replace).label == C::kPass);
  // Replace turns NaN into 0: {0, 0, 0} against {0, 0, 0} is identical data.
  CHECK(ClassifyMetric({kNaN, 0, kNaN}, {0, 0, 0}, replace).label == C::kPass);
}

TEST_CASE("kayenta: identical data and a single distinct value pass without a test") {
  const KayentaMetricConfig c;
  const KayentaMetricResult same = ClassifyMetric({3, 1, 2}, {1, 2, 3}, c);
  CHECK(same.label == C::kPass);
  CHECK_FALSE(same.tested);
  CHECK(ClassifyMetric({5, 5}, {5, 5, 5}, c).label == C::kPass);
}

TEST_CASE("kayenta: interval against the tolerance band decides High and Low") {
  const KayentaMetricConfig either;
  const KayentaMetricResult pass5 = ClassifyMetric(Shifted(5), Baseline(), either);
  CHECK(pass5.label == C::kPass);
  CHECK(pass5.estimate == 5);
  CHECK(pass5.ci_lo == Approx(-0.99994330728).margin(1e-4));
  const KayentaMetricResult pass7 = ClassifyMetric(Shifted(7), Baseline(), either);
  CHECK(pass7.label == C::kPass);  // 0 < lower 1 <= 0.25 x 7
  CHECK(pass7.ci_lo == Approx(1.00005669272).margin(1e-4));
  const KayentaMetricResult high = ClassifyMetric(Shifted(8.5), Baseline(), either);
  CHECK(high.label == C::kHigh);  // lower 2.5 > 0.25 x 8.5
  CHECK(high.estimate == 8.5);
  CHECK(high.effect_size == Approx(24.0 / 15.5));  // meanRatio canary/baseline
  CHECK(ClassifyMetric(Shifted(-8.5), Baseline(), either).label == C::kLow);
  CHECK(ClassifyMetric(Shifted(-7), Baseline(), either).label == C::kPass);
  // Direction gates each side.
  CHECK(ClassifyMetric(Shifted(8.5), Baseline(), Direction(KayentaDirection::kIncrease)).label ==
        C::kHigh);
  CHECK(ClassifyMetric(Shifted(8.5), Baseline(), Direction(KayentaDirection::kDecrease)).label ==
        C::kPass);
  CHECK(ClassifyMetric(Shifted(-8.5), Baseline(), Direction(KayentaDirection::kDecrease)).label ==
        C::kLow);
  CHECK(ClassifyMetric(Shifted(-8.5), Baseline(), Direction(KayentaDirection::kIncrease)).label ==
        C::kPass);
  // A looser tolerance makes the s = 7 shift High: 1.0 > 0.1 x 7.
  KayentaMetricConfig loose;
  loose.tolerance = 0.1;
  CHECK(ClassifyMetric(Shifted(7), Baseline(), loose).label == C::kHigh);
}

TEST_CASE("kayenta: effect size thresholds and the NaN effect rule") {
  KayentaMetricConfig c;
  c.allowed_increase = 1.6;  // meanRatio of the s = 8.5 shift is 24/15.5 = 1.548
  CHECK(ClassifyMetric(Shifted(8.5), Baseline(), c).label == C::kPass);
  c.allowed_increase = 1.5;
  CHECK(ClassifyMetric(Shifted(8.5), Baseline(), c).label == C::kHigh);
  c.allowed_decrease = 0.5;  // canary 1..30 against 9.5..38.5: ratio 15.5/24 = 0.646 > 0.5
  CHECK(ClassifyMetric(Baseline(), Shifted(8.5), c).label == C::kPass);
  // Baseline mean 0 makes meanRatio NaN: the effect check is skipped.
  std::vector<double> centred;
  for (int i = -15; i <= 15; ++i) centred.push_back(i);
  std::vector<double> up(centred);
  for (double& e : up) e += 20;
  c.allowed_increase = 100;
  const KayentaMetricResult r = ClassifyMetric(up, centred, c);
  CHECK(std::isnan(r.effect_size));
  CHECK(r.label == C::kHigh);
  // CLES: the share of (canary, baseline) pairs with canary ahead; default threshold 0.5.
  KayentaMetricConfig cles;
  cles.effect_measure = KayentaEffectMeasure::kCles;
  const KayentaMetricResult rc = ClassifyMetric(Shifted(8.5), Baseline(), cles);
  CHECK(rc.effect_size == Approx(1 - (21.0 * 22.0 / 2) / 900.0));  // 231 of 900 pairs behind
  CHECK(rc.label == C::kHigh);
}

TEST_CASE("kayenta: a critical metric is marked critical only past the critical effect size") {
  KayentaMetricConfig c;
  c.critical = true;
  const KayentaMetricResult hard = ClassifyMetric(Shifted(8.5), Baseline(), c);
  CHECK(hard.label == C::kHigh);
  CHECK(hard.critical);
  c.critical_increase = 2.0;  // ratio 1.548 < 2
  const KayentaMetricResult soft = ClassifyMetric(Shifted(8.5), Baseline(), c);
  CHECK(soft.label == C::kHigh);
  CHECK_FALSE(soft.critical);
  CHECK_FALSE(ClassifyMetric(Shifted(5), Baseline(), c).critical);  // Pass is never critical
}

TEST_CASE("kayenta: two constant samples use the deterministic zero-noise limit") {
  const KayentaMetricConfig c;
  const KayentaMetricResult high = ClassifyMetric({2, 2, 2}, {1, 1, 1}, c);
  CHECK(high.label == C::kHigh);
  CHECK(high.estimate == 1);
  CHECK(high.effect_size == 2);
  CHECK(ClassifyMetric({1, 1}, {2, 2, 2}, c).label == C::kLow);
  CHECK(ClassifyMetric({0, 0, 0}, {5, 5}, c).label == C::kLow);  // ratio NaN: effect skipped
  KayentaMetricConfig strict;
  strict.allowed_increase = 3;
  CHECK(ClassifyMetric({2, 2, 2}, {1, 1, 1}, strict).label == C::kPass);
  // Where the reference's noisy interval ties every observation it errors out.
  CHECK(ClassifyMetric({2}, {1}, c).label == C::kError);
  CHECK(ClassifyMetric({0, 0, 0}, {5}, c).label == C::kError);
  CHECK(ClassifyMetric({3}, {0, 0}, c).label == C::kError);
  CHECK(ClassifyMetric({3, 3}, {0}, c).label == C::kHigh);
}

KayentaScoredMetric M(C label, std::vector<std::string> groups, bool critical = false) {
  KayentaScoredMetric m;
  m.label = label;
  m.groups = std::move(groups);
  m.critical = critical;
  return m;
}

TEST_CASE("kayenta: weighted group scores with unweighted groups sharing the remainder") {
  // a: Pass, High -> 50; b: Pass -> 100; c: Low, Pass, Pass, Pass -> 75.
  // Weights a 60; b and c share 40 -> 20 each. 0.6 x 50 + 0.2 x 100 + 0.2 x 75 = 65.
  std::vector<KayentaScoredMetric> ms = {M(C::kPass, {"a"}), M(C::kHigh, {"a"}), M(C::kPass, {"b"}),
                                         M(C::kLow, {"c"}),  M(C::kPass, {"c"}), M(C::kPass, {"c"}),
                                         M(C::kPass, {"c"})};
  const std::map<std::string, double> weights = {{"a", 60}};
  KayentaScore s = ScoreMetrics(ms, weights);
  CHECK(s.score == Approx(65).margin(1e-9));
  REQUIRE(s.groups.size() == 3);
  CHECK(s.groups[0].score == 50);
  CHECK(s.groups[2].score == 75);
  CHECK(s.reason.empty());
  // Group d holds only a NODATA metric: it counts as 100. b, c, d share 40 -> 13.33 each:
  // 30 + (40/3) x (100 + 75 + 100)/100 = 66.666.. -> rounded to 66.67. (1 NODATA in 8 < 50%.)
  ms.push_back(M(C::kNoData, {"d"}));
  s = ScoreMetrics(ms, weights);
  CHECK(s.groups[3].no_data);
  CHECK(s.score == Approx(66.67).margin(1e-9));
  // NodataFail counts against its group: d becomes 0 -> 30 + (40/3) x 1.75 = 53.33.
  ms.back() = M(C::kNoDataFail, {"d"});
  CHECK(ScoreMetrics(ms, weights).score == Approx(53.33).margin(1e-9));
  // A muted metric is left out; a metric in two groups counts in both.
  std::vector<KayentaScoredMetric> two = {M(C::kPass, {"x", "y"}), M(C::kHigh, {"y"})};
  two.push_back(M(C::kHigh, {"x"}));
  two.back().muted = true;
  const KayentaScore t = ScoreMetrics(two, {});  // x: 100, y: 50, weights 50 each
  CHECK(t.score == Approx(75).margin(1e-9));
  // A configured weight of an absent group still takes its share: b gets 100 - 60 - 20.
  const KayentaScore absent =
      ScoreMetrics({M(C::kPass, {"a"}), M(C::kPass, {"b"})}, {{"a", 60}, {"z", 20}});
  CHECK(absent.score == Approx(80).margin(1e-9));
}

TEST_CASE("kayenta: a critical failure and 50 percent NODATA force the score to 0") {
  std::vector<KayentaScoredMetric> ms = {M(C::kPass, {"a"}), M(C::kPass, {"a"}),
                                         M(C::kHigh, {"b"}, true)};
  CHECK(ScoreMetrics(ms, {}).score == 0);
  CHECK_FALSE(ScoreMetrics(ms, {}).reason.empty());
  ms[2].critical = false;  // the same High without the critical mark: 0.5 x 100 + 0.5 x 0
  CHECK(ScoreMetrics(ms, {}).score == Approx(50).margin(1e-9));
  ms[2] = M(C::kNoData, {"b"}, true);  // a critical NODATA is a critical failure
  CHECK(ScoreMetrics(ms, {}).score == 0);
  // 2 of 4 NODATA (exactly 50%) -> 0; 1 of 3 -> scored (NODATA group b counts 100).
  std::vector<KayentaScoredMetric> nd = {M(C::kPass, {"a"}), M(C::kPass, {"a"}),
                                         M(C::kNoData, {"b"}), M(C::kNoData, {"b"})};
  CHECK(ScoreMetrics(nd, {}).score == 0);
  nd.pop_back();
  CHECK(ScoreMetrics(nd, {}).score == Approx(100).margin(1e-9));
  // NodataFail does not count towards the NODATA share.
  nd.push_back(M(C::kNoDataFail, {"b"}));
  CHECK(ScoreMetrics(nd, {}).score == Approx(50).margin(1e-9));
}

TEST_CASE("kayenta: score classification against pass and marginal thresholds") {
  const KayentaThresholds t;  // 95 / 75
  CHECK(ClassifyScore(100, t) == KayentaScoreClass::kPass);
  CHECK(ClassifyScore(95, t) == KayentaScoreClass::kPass);
  CHECK(ClassifyScore(94.99, t) == KayentaScoreClass::kMarginal);
  CHECK(ClassifyScore(75, t) == KayentaScoreClass::kMarginal);
  CHECK(ClassifyScore(74.99, t) == KayentaScoreClass::kFail);
  CHECK(ClassifyScore(0, t) == KayentaScoreClass::kFail);
}

TEST_CASE("kayenta: over-time rule, last at least pass and every earlier at least marginal") {
  const KayentaThresholds t;  // 95 / 75
  using D = KayentaRunDecision;
  struct Row {
    std::vector<double> scores;
    int planned;
    D documented, strict;
  };
  const std::vector<Row> table = {
      {{}, 3, D::kContinue, D::kContinue},
      {{80}, 3, D::kContinue, D::kContinue},
      {{74}, 3, D::kFail, D::kFail},          // below marginal fails early
      {{80, 74, 99}, 3, D::kFail, D::kFail},  // early failure at the second judgement
      {{80, 96}, 3, D::kContinue, D::kContinue},
      {{80, 80, 96}, 3, D::kPass, D::kPass},
      {{80, 80, 94}, 3, D::kFail, D::kFail},  // last below pass
      {{96, 96, 96}, 3, D::kPass, D::kPass},
      {{75, 75, 95}, 3, D::kPass, D::kFail},  // equal to marginal: documented ok, code fails
      {{95}, 1, D::kPass, D::kPass},
      {{94}, 1, D::kFail, D::kFail},
      {{96, 96, 96, 10}, 3, D::kPass, D::kPass},  // beyond planned: ignored
  };
  for (size_t i = 0; i < table.size(); ++i) {
    INFO("row " << i);
    CHECK(JudgeOverTime(table[i].scores, table[i].planned, t) == table[i].documented);
    CHECK(JudgeOverTime(table[i].scores, table[i].planned, t, true) == table[i].strict);
  }
}

}  // namespace
}  // namespace fleetsim
