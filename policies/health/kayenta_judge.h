// Kayenta's NetflixACAJudge-v1.0 as pure functions: per-metric classification of canary versus
// baseline samples (MannWhitneyClassifier), the weighted group score (WeightedSumScorer), the
// score classification (ThresholdScoreClassifier) and the standalone canary analysis rule over a
// sequence of judgements (CanaryAnalysisExecutionRequest / GenerateCanaryAnalysisResultTask).
// Semantics follow spinnaker/kayenta (kayenta-judge) as summarized in
// shared/reference/rollout-systems.md §A3; deliberate deviations are marked "Deviation".
//
// Classification of one metric (ClassifyMetric), in the reference's order:
//   1. NaN handling: kRemove drops NaN values, kReplace turns them into 0.
//   2. Either sample empty: kRemove gives kNoDataFail when must_have_data and not critical,
//      otherwise kNoData (critical when the metric is critical, which zeroes the score);
//      kReplace gives kPass (so does the reference).
//   3. Identical samples (equal as sorted multisets), or one distinct value overall: kPass.
//   4. Both samples constant (canary all a, baseline all b, a != b): the reference adds
//      Gaussian noise of sd 1e-5·value to each sample and runs the test. Deviation: we use the
//      noise -> 0 limit, deterministic: estimate = interval = a - b (so High iff a > b, Low iff
//      a < b, subject to direction and effect size), and kError exactly when the noisy
//      reference's interval raises "all observations tied" (a sample is left constant when its
//      value is 0, and one with a single value is trivially constant: kError iff
//      (a == 0 or |canary| == 1) and (b == 0 or |baseline| == 1)). Differs from the reference
//      only when |a - b| is within a few 1e-5·|value| (where the reference is random).
//   5. Otherwise MannWhitneyTest(canary, baseline, confidence) (mann_whitney.h; estimate =
//      Hodges–Lehmann median of canary_i - baseline_j, interval = R's asymptotic interval).
//      With bound = tolerance·|estimate|:
//        High iff direction is kIncrease/kEither, ci_lo > bound, and effect >= allowed_increase;
//        Low  iff direction is kDecrease/kEither, ci_hi < -bound, and effect <= allowed_decrease;
//      otherwise Pass. The effect check is skipped when the effect size is NaN (meanRatio with
//      a zero mean). Interpretation: the interval must exclude the band ±25% of the estimated
//      shift around zero, i.e. the shift is significant *and* not negligible relative to itself.
//      Effect size: meanRatio = mean(canary)/mean(baseline) (NaN if either mean is 0), or CLES
//      = u / (|canary|·|baseline|) (probability a canary value exceeds a baseline one).
//   6. A critical metric classified High (Low) is marked critical only when the effect also
//      reaches critical_increase (<= critical_decrease); a critical mark forces the score to 0.
//   Not modelled: outlier removal (outliers.strategy = keep, the default) and muted metrics'
//   reporting (muted metrics are simply left out of scoring).
//
// Contract: pure, deterministic, thread-safe. Inputs may contain NaN (handled per nan_strategy)
// but no infinities.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fleetsim {

enum class KayentaDirection : uint8_t { kIncrease, kDecrease, kEither };
enum class KayentaNanStrategy : uint8_t { kRemove, kReplace };
enum class KayentaEffectMeasure : uint8_t { kMeanRatio, kCles };
enum class KayentaMetricClass : uint8_t { kPass, kHigh, kLow, kNoData, kNoDataFail, kError };

const char* KayentaMetricClassName(KayentaMetricClass c);

// analysisConfigurations.canary of one metric. Effect thresholds < 0 mean "the measure's
// default": 1.0 for meanRatio, 0.5 for CLES.
struct KayentaMetricConfig {
  KayentaDirection direction = KayentaDirection::kEither;
  KayentaNanStrategy nan_strategy = KayentaNanStrategy::kRemove;
  bool critical = false;
  bool must_have_data = false;
  KayentaEffectMeasure effect_measure = KayentaEffectMeasure::kMeanRatio;
  double allowed_increase = -1, allowed_decrease = -1;
  double critical_increase = -1, critical_decrease = -1;
  double tolerance = 0.25;   // literal in NetflixACAJudge
  double confidence = 0.98;  // literal in NetflixACAJudge
};

struct KayentaMetricResult {
  KayentaMetricClass label = KayentaMetricClass::kPass;
  bool critical = false;  // a critical failure: forces the summary score to 0 unless kPass
  bool tested = false;    // the Mann–Whitney test (or its constant-sample limit) ran
  double estimate = 0, ci_lo = 0, ci_hi = 0;  // canary - baseline shift, when tested
  double effect_size = 0;                     // NaN when undefined
};

KayentaMetricResult ClassifyMetric(std::vector<double> canary, std::vector<double> baseline,
                                   const KayentaMetricConfig& config);

// One classified metric as the scorer sees it.
struct KayentaScoredMetric {
  KayentaMetricClass label = KayentaMetricClass::kPass;
  bool critical = false;
  bool muted = false;               // left out of scoring entirely
  std::vector<std::string> groups;  // a metric may be in several groups
};

struct KayentaGroupScore {
  std::string name;
  double score = 0;      // 100·Pass/(Pass+High+Low+NoDataFail); 0 when that total is 0
  bool no_data = false;  // total 0: counts as 100 in the summary
};

struct KayentaScore {
  double score = 0;  // summary in [0, 100], rounded half-up to 2 decimals like the reference
  std::vector<KayentaGroupScore> groups;  // sorted by name
  std::string reason;                     // why the score was forced to 0; empty otherwise
};

// WeightedSumScorer: summary = Σ_groups weight/100 × (no_data ? 100 : score). Groups missing
// from `weights` share (100 - Σ weights) equally (Σ over all configured weights, present or
// not). Score 0 when any non-muted critical metric is not kPass, or when >= 50% of the non-muted
// metrics are kNoData (kNoDataFail does not count).
KayentaScore ScoreMetrics(const std::vector<KayentaScoredMetric>& metrics,
                          const std::map<std::string, double>& weights);

enum class KayentaScoreClass : uint8_t { kPass, kMarginal, kFail };

struct KayentaThresholds {
  double pass = 95;  // spinnaker best-practice starting values
  double marginal = 75;
};

// ThresholdScoreClassifier: >= pass is Pass, >= marginal is Marginal, otherwise Fail.
KayentaScoreClass ClassifyScore(double score, const KayentaThresholds& t);

enum class KayentaRunDecision : uint8_t { kContinue, kPass, kFail };

// Standalone canary analysis over `planned` judgements (lifetime / interval) of which `scores`
// are done, in order: "the last judgement must have a score that meets or exceeds the pass
// threshold, all previous judgement scores must meet or exceed the marginal score"; a
// judgement below marginal fails the run at once. With strict_marginal the run also fails on a
// score equal to marginal, as the implementation (MonitorCanaryTask: score <= marginal ->
// TERMINAL) does, unlike the documented rule. Scores beyond `planned` are ignored.
// Requires planned >= 1.
KayentaRunDecision JudgeOverTime(const std::vector<double>& scores, int planned,
                                 const KayentaThresholds& t, bool strict_marginal = false);

}  // namespace fleetsim
