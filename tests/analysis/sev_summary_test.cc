// SEV levels in the run summary (analysis/run_summary.h): bad changes counted per level and each
// replica's worst (lowest-numbered) level, against hand-counted outcomes.
#include <catch2/catch.hpp>

#include "analysis/run_summary.h"

namespace fleetsim {
namespace {

ChangeOutcome Bad(int sev) {
  ChangeOutcome o;
  o.carries_fault = true;
  o.bad = true;
  o.sev = sev;
  return o;
}

TEST_CASE("the run summary counts bad changes per SEV level and each replica's worst level",
          "[sev]") {
  std::vector<ReplicaResult> replicas(4);
  replicas[0].outcomes = {Bad(3), Bad(2), Bad(0), ChangeOutcome{}};  // worst: SEV2
  replicas[1].outcomes = {Bad(1), Bad(3)};                           // worst: SEV1
  replicas[2].outcomes = {Bad(0), ChangeOutcome{}};                  // none
  replicas[3].outcomes = {Bad(3)};                                   // worst: SEV3
  const RunTotals t = SummarizeRun(replicas).totals;
  CHECK(t.sev_changes[1] == 1);
  CHECK(t.sev_changes[2] == 1);
  CHECK(t.sev_changes[3] == 3);
  CHECK(t.sev_changes[0] == 0);  // no SEV is not a level
  CHECK(t.worst_sev_replicas[0] == 1);
  CHECK(t.worst_sev_replicas[1] == 1);
  CHECK(t.worst_sev_replicas[2] == 1);
  CHECK(t.worst_sev_replicas[3] == 1);
}

}  // namespace
}  // namespace fleetsim
