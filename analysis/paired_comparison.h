// PairedComparison: how a policy differs from a baseline policy run on the same seeds.
//
// `compare` runs every policy on the same (seed, replica) pairs, so replica r of each policy
// faces the same changes, the same faults and the same signal noise (common random numbers).
// For each replica we reduce a metric to one number (e.g. the mean blast radius of that
// replica's bad changes, or its false-positive fraction) and test the per-replica differences
// with a paired t-test. A difference is called significant at two-sided alpha = 0.05; with k
// metrics compared, expect about 0.05 k spurious calls when nothing differs. The metrics are the
// `paired` entries of the registry (metrics.h), in registry order, each reduced per replica by
// MetricDef::PerReplica; a significant difference (policy - baseline) in the direction the
// entry calls better (lower_is_better) is "better", the other way "worse".
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

// The verdict on a paired difference (policy - baseline) of a metric: not comparable below two
// pairs, else better / worse when significant at kPairedAlpha in the respective direction.
PairedVerdict PairedVerdictOf(const PairedDifference& difference, bool lower_is_better);

// Requires both runs to have the same replica count (same seeds).
PairedComparison ComparePaired(const std::string& baseline_name,
                               const std::vector<ReplicaResult>& baseline,
                               const std::string& policy_name,
                               const std::vector<ReplicaResult>& policy);

}  // namespace fleetsim
