// SeveritySpec: the SEV level of an incident follows from its impact by thresholds.
//
// Each level lists the impact that reaches it: a peak share of all traffic hitting hosts where
// the fault manifests (`impacted_traffic`) and/or a number of failed requests
// (`failed_requests`); a change gets the most severe (lowest-numbered) level any of whose
// thresholds it reaches, or 0 (no SEV). Empty spec: no SEV levels are assigned.
// Plain value type; SevLevel is a pure function, used by analysis/.
#pragma once

#include <cstdint>
#include <vector>

namespace fleetsim {

struct SevThreshold {
  int level = 0;                 // 1 = most severe
  double impacted_traffic = -1;  // reached when peak impacted traffic >= this; <0: unused
  int64_t failed_requests = -1;  // reached when failed requests >= this; <0: unused
};

struct SeveritySpec {
  std::vector<SevThreshold> levels;  // any order
};

// The SEV level for this impact, or 0 when no threshold is reached.
inline int SevLevel(const SeveritySpec& spec, double impacted_traffic_peak,
                    int64_t failed_requests) {
  int best = 0;
  for (const SevThreshold& t : spec.levels) {
    const bool reached = (t.impacted_traffic >= 0 && impacted_traffic_peak >= t.impacted_traffic) ||
                         (t.failed_requests >= 0 && failed_requests >= t.failed_requests);
    if (reached && (best == 0 || t.level < best)) best = t.level;
  }
  return best;
}

}  // namespace fleetsim
