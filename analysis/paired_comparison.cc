#include "analysis/paired_comparison.h"

#include <cassert>
#include <cmath>

#include "analysis/metrics.h"

namespace fleetsim {

const char* PairedVerdictName(PairedVerdict v) {
  switch (v) {
    case PairedVerdict::kBetter:
      return "better";
    case PairedVerdict::kWorse:
      return "worse";
    case PairedVerdict::kNoSignificantDifference:
      return "no significant difference";
    case PairedVerdict::kNotComparable:
      return "not comparable";
  }
  return "?";
}

PairedVerdict PairedVerdictOf(const PairedDifference& d, bool lower_is_better) {
  if (d.n < 2) return PairedVerdict::kNotComparable;
  if (d.p_value >= kPairedAlpha) return PairedVerdict::kNoSignificantDifference;
  const bool better = lower_is_better ? d.mean < 0 : d.mean > 0;
  return better ? PairedVerdict::kBetter : PairedVerdict::kWorse;
}

PairedComparison ComparePaired(const std::string& baseline_name,
                               const std::vector<ReplicaResult>& baseline,
                               const std::string& policy_name,
                               const std::vector<ReplicaResult>& policy) {
  assert(baseline.size() == policy.size());
  PairedComparison out{baseline_name, policy_name, {}};
  const bool commit_flow = AnyCommitFlow(baseline) || AnyCommitFlow(policy);
  for (const MetricDef& def : Metrics()) {
    if (!def.paired || !MetricApplies(def, commit_flow)) continue;
    std::vector<double> a, b;
    for (size_t r = 0; r < baseline.size(); ++r) {
      const double x = def.PerReplica(policy[r]);
      const double y = def.PerReplica(baseline[r]);
      if (std::isnan(x) || std::isnan(y)) continue;
      a.push_back(x);
      b.push_back(y);
    }
    PairedMetric m;
    m.name = def.name;
    m.unit = def.unit;
    if (!a.empty()) {
      double sa = 0, sb = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        sa += a[i];
        sb += b[i];
      }
      m.policy_mean = sa / static_cast<double>(a.size());
      m.baseline_mean = sb / static_cast<double>(b.size());
    }
    m.difference = PairedTTest(a, b);
    m.verdict = PairedVerdictOf(m.difference, def.lower_is_better);
    out.metrics.push_back(std::move(m));
  }
  return out;
}

}  // namespace fleetsim
