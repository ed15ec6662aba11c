// Baseline: the committed expectation that `fleetsim check` holds a policy to in CI.
//
// A baseline file names a scenario, the policy under test, seeds and replicas, and for each
// metric a tolerance; `fleetsim check --update` records each metric's per-replica values
// (replica r is always the same seed, so the same incidents). A later check reruns the policy
// and compares replica by replica (paired):
//
//   d_r = now_r - recorded_r   (recorded_r - now_r for a metric where higher is better)
//   regression  <=>  a one-sided paired t-test rejects H0: mean(d) <= tau
//                    at alpha = 0.05 / (number of metrics)     (Bonferroni)
//   tau = tolerance: absolute value, relative x |recorded mean|, or 0 for `not_worse`.
//
// So a check fails only when the policy is significantly worse than the baseline by more than
// the tolerance; if nothing really changed beyond tau, the chance that a check fails anyway is
// at most 5% for the whole file (and exactly 0 when results are bit-identical, which they are
// for an unchanged engine and policy). Replicas where a metric is undefined (e.g. no bad change
// detected, so no TTD) are left out of that metric's pairs.
//
// File format (YAML):
//   scenario: ../examples/quickstart.yaml     # relative to the baseline file
//   policy: ../policies/configerator.yaml     # file or name, as for --policy
//   seed: 1
//   replicas: 40
//   metrics:
//     blast_radius: {tolerance: {relative: 0.1}}
//     escape_rate: {tolerance: not_worse}
//     false_positive_rate: {tolerance: {absolute: 0.005}}
//   recorded: {...}                           # written by --update
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/monte_carlo.h"
#include "sim/status.h"

namespace fleetsim {

enum class ToleranceKind : uint8_t { kAbsolute, kRelative, kNotWorse };

struct MetricTolerance {
  ToleranceKind kind = ToleranceKind::kNotWorse;
  double value = 0;
  std::string Describe() const;
};

struct BaselineMetric {
  std::string name;  // a `paired` entry of the metric registry (metrics.h)
  MetricTolerance tolerance;
  std::vector<double> recorded;  // per replica; NaN = undefined; empty until --update
};

struct Baseline {
  std::string file;
  std::string scenario;  // as written in the file
  std::string policy;    // as written in the file
  uint64_t seed = 1;
  int replicas = 20;
  std::string recorded_by;  // tool version that recorded the values
  std::vector<BaselineMetric> metrics;

  std::string ScenarioPath() const;    // resolved relative to the baseline file
  std::string PolicyArgument() const;  // a path resolved relative to the file, or a bare name
};

Result<Baseline> LoadBaseline(const std::string& path);

// Same, from the file's text; `path` names it in messages and resolves its relative paths.
Result<Baseline> ParseBaseline(const std::string& yaml_text, const std::string& path);

// The baseline with freshly recorded per-replica values, as YAML text (for --update).
std::string RenderBaselineYaml(const Baseline& baseline);

// Replaces every metric's recorded values with those of `results`.
void RecordBaseline(Baseline& baseline, const std::vector<ReplicaResult>& results);

enum class CheckVerdict : uint8_t { kPass, kRegression, kImproved, kNotRecorded };
const char* CheckVerdictName(CheckVerdict v);

struct MetricCheck {
  std::string name;
  std::string tolerance;
  double baseline_mean = 0;  // over the paired replicas
  double now_mean = 0;
  double threshold = 0;  // tau
  int64_t pairs = 0;
  double p_value = 1;      // one-sided, H1: mean(d) > tau
  double alpha = 0.05;     // per-metric level after Bonferroni
  bool identical = false;  // every pair bit-identical
  CheckVerdict verdict = CheckVerdict::kPass;
};

struct BaselineCheck {
  std::string file;
  std::string policy;
  std::vector<MetricCheck> metrics;
  bool regression() const;
  bool identical() const;
};

BaselineCheck CheckBaseline(const Baseline& baseline, const std::string& policy_name,
                            const std::vector<ReplicaResult>& now);

}  // namespace fleetsim
