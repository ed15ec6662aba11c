// NetflixACAJudge classification, WeightedSumScorer, ThresholdScoreClassifier and the
// over-time rule. See kayenta_judge.h for the semantics and the deviations.
#include "policies/health/kayenta_judge.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

#include "policies/health/mann_whitney.h"

namespace fleetsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

bool IsConstant(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [&](double e) { return e == v.front(); });
}

// The configured threshold, or the measure's default (1.0 meanRatio, 0.5 CLES) when < 0.
double Threshold(double configured, KayentaEffectMeasure measure) {
  if (configured >= 0) return configured;
  return measure == KayentaEffectMeasure::kCles ? 0.5 : 1.0;
}

double MeanRatio(const std::vector<double>& canary, const std::vector<double>& baseline) {
  const double c = Mean(canary), b = Mean(baseline);
  return (c == 0 || b == 0) ? kNaN : c / b;
}

}  // namespace

const char* KayentaMetricClassName(KayentaMetricClass c) {
  switch (c) {
    case KayentaMetricClass::kPass:
      return "Pass";
    case KayentaMetricClass::kHigh:
      return "High";
    case KayentaMetricClass::kLow:
      return "Low";
    case KayentaMetricClass::kNoData:
      return "Nodata";
    case KayentaMetricClass::kNoDataFail:
      return "NodataFailMetric";
    case KayentaMetricClass::kError:
      return "Error";
  }
  return "?";
}

KayentaMetricResult ClassifyMetric(std::vector<double> canary, std::vector<double> baseline,
                                   const KayentaMetricConfig& config) {
  KayentaMetricResult r;
  // 1. NaN handling.
  for (std::vector<double>* v : {&canary, &baseline}) {
    if (config.nan_strategy == KayentaNanStrategy::kRemove) {
      std::erase_if(*v, [](double e) { return std::isnan(e); });
    } else {
      for (double& e : *v) e = std::isnan(e) ? 0.0 : e;
    }
  }
  // 2. No data.
  if (canary.empty() || baseline.empty()) {
    if (config.nan_strategy == KayentaNanStrategy::kReplace) return r;  // Pass
    if (config.must_have_data && !config.critical) {
      r.label = KayentaMetricClass::kNoDataFail;
    } else {
      r.label = KayentaMetricClass::kNoData;
      r.critical = config.critical;
    }
    return r;
  }
  // 3. Identical samples, or a single distinct value overall.
  std::vector<double> cs(canary), bs(baseline);
  std::sort(cs.begin(), cs.end());
  std::sort(bs.begin(), bs.end());
  if (cs == bs) return r;
  if (cs.front() == cs.back() && bs.front() == bs.back() && cs.front() == bs.front()) return r;

  // 4./5. The test: the constant-sample limit or Mann–Whitney.
  const KayentaEffectMeasure measure = config.effect_measure;
  r.tested = true;
  if (IsConstant(canary) && IsConstant(baseline)) {
    const double a = canary.front(), b = baseline.front();
    if ((a == 0 || canary.size() == 1) && (b == 0 || baseline.size() == 1)) {
      r.label = KayentaMetricClass::kError;
      r.tested = false;
      return r;
    }
    r.estimate = r.ci_lo = r.ci_hi = a - b;
    r.effect_size = measure == KayentaEffectMeasure::kCles ? (a > b ? 1.0 : 0.0)
                                                           : ((a == 0 || b == 0) ? kNaN : a / b);
  } else {
    const MannWhitneyResult mw = MannWhitneyTest(canary, baseline, config.confidence);
    assert(mw.ci_valid);  // only two constant samples can tie every observation
    r.estimate = mw.hodges_lehmann;
    r.ci_lo = mw.ci_lo;
    r.ci_hi = mw.ci_hi;
    r.effect_size = measure == KayentaEffectMeasure::kCles ? mw.u / static_cast<double>(mw.m * mw.n)
                                                           : MeanRatio(canary, baseline);
  }
  const double bound = config.tolerance * std::abs(r.estimate);
  const bool no_effect = std::isnan(r.effect_size);
  const bool up = config.direction != KayentaDirection::kDecrease;
  const bool down = config.direction != KayentaDirection::kIncrease;
  if (up && r.ci_lo > bound &&
      (no_effect || r.effect_size >= Threshold(config.allowed_increase, measure))) {
    r.label = KayentaMetricClass::kHigh;
    r.critical = config.critical &&
                 (no_effect || r.effect_size >= Threshold(config.critical_increase, measure));
  } else if (down && r.ci_hi < -bound &&
             (no_effect || r.effect_size <= Threshold(config.allowed_decrease, measure))) {
    r.label = KayentaMetricClass::kLow;
    r.critical = config.critical &&
                 (no_effect || r.effect_size <= Threshold(config.critical_decrease, measure));
  }
  return r;
}

KayentaScore ScoreMetrics(const std::vector<KayentaScoredMetric>& metrics,
                          const std::map<std::string, double>& weights) {
  KayentaScore out;
  // Per-group label counts over non-muted metrics.
  struct Counts {
    int pass = 0, fail = 0;  // fail = High + Low + NoDataFail
  };
  std::map<std::string, Counts> groups;
  int scored = 0, no_data = 0;
  bool critical_failure = false;
  for (const KayentaScoredMetric& m : metrics) {
    if (m.muted) continue;
    ++scored;
    if (m.label == KayentaMetricClass::kNoData) ++no_data;
    if (m.critical && m.label != KayentaMetricClass::kPass) critical_failure = true;
    for (const std::string& g : m.groups) {
      Counts& c = groups[g];
      if (m.label == KayentaMetricClass::kPass) ++c.pass;
      if (m.label == KayentaMetricClass::kHigh || m.label == KayentaMetricClass::kLow ||
          m.label == KayentaMetricClass::kNoDataFail) {
        ++c.fail;
      }
    }
  }
  for (const auto& [name, c] : groups) {
    const int total = c.pass + c.fail;
    out.groups.push_back(
        {name, total == 0 ? 0.0 : 100.0 * c.pass / static_cast<double>(total), total == 0});
  }
  if (critical_failure) {
    out.reason = "a critical metric did not pass";
    return out;
  }
  if (scored > 0 && 100.0 * no_data / scored >= 50) {
    out.reason = "50% or more metrics returned NODATA";
    return out;
  }
  double configured = 0;
  for (const auto& [name, w] : weights) configured += w;
  int unweighted = 0;
  for (const KayentaGroupScore& g : out.groups) unweighted += weights.count(g.name) == 0;
  const double shared = unweighted > 0 ? (100 - configured) / unweighted : 0.0;
  double sum = 0;
  for (const KayentaGroupScore& g : out.groups) {
    const auto it = weights.find(g.name);
    sum += (g.no_data ? 100.0 : g.score) * ((it != weights.end() ? it->second : shared) / 100);
  }
  out.score = std::round(sum * 100) / 100;
  return out;
}

KayentaScoreClass ClassifyScore(double score, const KayentaThresholds& t) {
  if (score >= t.pass) return KayentaScoreClass::kPass;
  if (score >= t.marginal) return KayentaScoreClass::kMarginal;
  return KayentaScoreClass::kFail;
}

KayentaRunDecision JudgeOverTime(const std::vector<double>& scores, int planned,
                                 const KayentaThresholds& t, bool strict_marginal) {
  assert(planned >= 1);
  const size_t done = std::min(scores.size(), static_cast<size_t>(planned));
  for (size_t i = 0; i < done; ++i) {
    const double s = scores[i];
    if (s < t.marginal || (strict_marginal && s == t.marginal)) return KayentaRunDecision::kFail;
    if (i + 1 == static_cast<size_t>(planned)) {
      return s >= t.pass ? KayentaRunDecision::kPass : KayentaRunDecision::kFail;
    }
  }
  return KayentaRunDecision::kContinue;
}

}  // namespace fleetsim
