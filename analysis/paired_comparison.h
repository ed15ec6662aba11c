// PairedComparison: how a policy differs from a baseline policy run on the same seeds.
//
// `compare` runs every policy on the same (seed, replica) pairs, so replica r of each policy
// faces the same changes, the same faults and the same signal noise (common random numbers).
// For each replica we reduce a metric to one number (e.g. the mean blast radius of that
// replica's bad changes, or its false-positive fraction) and test the per-replica differences
// with a paired t-test. A difference is called significant at two-sided alpha = 0.05; with k
// metrics compared, expect about 0.05 k spurious calls when nothing differs. Lower is better
// for every metric here, so a significant positive difference (policy - baseline) is "worse".
#pragma once

#include <string>
#include <vector>

#include "analysis/monte_carlo.h"
#include "analysis/statistics.h"

namespace fleetsim {

enum class PairedVerdict : uint8_t { kBetter, kWorse, kNoSignificantDifference, kNotComparable };

const char* PairedVerdictName(PairedVerdict v);

struct PairedMetric {
  std::string name;
  std::string unit;
  double baseline_mean = 0;  // over replicas where both policies have a value
  double policy_mean = 0;
  PairedDifference difference;  // policy - baseline
  PairedVerdict verdict = PairedVerdict::kNotComparable;
};

struct PairedComparison {
  std::string baseline;
  std::string policy;
  std::vector<PairedMetric> metrics;
};

inline constexpr double kPairedAlpha = 0.05;

// The per-replica reductions used by compare and check, all "lower is better".
struct ReplicaMetric {
  std::string name;
  std::string unit;
  // One value per replica; NaN where the replica has none (e.g. no bad change manifested).
  double (*reduce)(const ReplicaResult&);
  bool commit_flow = false;  // compared only when a run has a commit flow (commit_flow_summary.h)
};
const std::vector<ReplicaMetric>& ReplicaMetrics();
const ReplicaMetric* FindReplicaMetric(const std::string& name);

// Requires both runs to have the same replica count (same seeds).
PairedComparison ComparePaired(const std::string& baseline_name,
                               const std::vector<ReplicaResult>& baseline,
                               const std::string& policy_name,
                               const std::vector<ReplicaResult>& policy);

}  // namespace fleetsim
