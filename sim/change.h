// Change: one unit of rollout (a config change now; a release of commits later).
//
// ChangeInfo is what policies may see: identity, kind, arrival time. ChangeTruth is the ground
// truth that only the engine and the analysis see: whether the change is bad and with which
// fault. Keeping them apart stops a policy from "knowing" the answer.
#pragma once

#include <cstdint>
#include <string>

#include "sim/sim_time.h"

namespace fleetsim {

enum class ChangeKind : uint8_t { kConfig, kCode };

inline const char* ChangeKindName(ChangeKind k) {
  return k == ChangeKind::kConfig ? "config" : "code";
}

struct ChangeInfo {
  int64_t id = 0;  // dense, in arrival order
  ChangeKind kind = ChangeKind::kConfig;
  SimTime arrival;    // submitted / landed
  std::string label;  // optional, e.g. from an injected event
  double risk = 0;    // code releases: the highest risk score of its commits (commit_stream.h)
  int target = 0;     // what it targets: index into Scenario::targets (0: the whole fleet)
};

struct ChangeTruth {
  int fault = -1;           // index into the scenario's FaultCatalog; -1 = good change
  bool injected = false;    // came from the scenario's one-off events rather than the stream
  int injected_index = -1;  // index into the scenario's changes.injected, or -1
  bool bad() const { return fault >= 0; }
};

struct Change {
  ChangeInfo info;
  ChangeTruth truth;
};

}  // namespace fleetsim
