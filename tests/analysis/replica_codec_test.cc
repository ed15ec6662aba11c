// The replica codec (what crosses MPI ranks and fills part files): every field survives the
// round trip bit for bit, reports rendered from decoded results are byte-identical to those of
// the originals, and damaged bytes are refused rather than half-read.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <limits>

#include "analysis/byte_codec.h"
#include "analysis/replica_codec.h"
#include "analysis/report.h"
#include "analysis/run_summary.h"
#include "loader/scenario_loader.h"

namespace fleetsim {
namespace {

bool SameBits(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

// Every field of ChangeOutcome (replica_codec.cc static_asserts its size, so a new field fails to
// compile until the codec and this list know it).
void CheckSame(const ChangeOutcome& a, const ChangeOutcome& b) {
  CHECK(a.id == b.id);
  CHECK(a.kind == b.kind);
  CHECK(a.arrival == b.arrival);
  CHECK(a.label == b.label);
  CHECK(a.fault == b.fault);
  CHECK(a.scope_hosts == b.scope_hosts);
  CHECK(a.carries_fault == b.carries_fault);
  CHECK(a.bad == b.bad);
  CHECK(a.latent == b.latent);
  CHECK(SameBits(a.peak_exposed_fraction, b.peak_exposed_fraction));
  CHECK(SameBits(a.exposed_host_minutes, b.exposed_host_minutes));
  CHECK(a.failed_requests == b.failed_requests);
  CHECK(SameBits(a.impacted_traffic_peak, b.impacted_traffic_peak));
  CHECK(SameBits(a.failed_traffic_peak, b.failed_traffic_peak));
  CHECK(a.regions_impacted == b.regions_impacted);
  CHECK(a.sev == b.sev);
  CHECK(a.detected_by == b.detected_by);
  CHECK(a.detected_stage == b.detected_stage);
  CHECK(a.detected_stage_name == b.detected_stage_name);
  CHECK(a.escaped == b.escaped);
  CHECK(a.false_positive == b.false_positive);
  CHECK(a.misattributed == b.misattributed);
  CHECK(a.verdicts == b.verdicts);
  CHECK(a.failing_verdicts == b.failing_verdicts);
  CHECK(a.pauses == b.pauses);
  CHECK(a.dry_run_stops == b.dry_run_stops);
  CHECK(a.unacted_verdicts == b.unacted_verdicts);
  CHECK(a.final_state == b.final_state);
  CHECK(a.stopped_by == b.stopped_by);
  CHECK(a.impact_start == b.impact_start);
  CHECK(a.impact_end == b.impact_end);
  CHECK(a.detected_at == b.detected_at);
  CHECK(a.final_stage_at == b.final_stage_at);
  CHECK(a.full_exposure_at == b.full_exposure_at);
  CHECK(a.completed_at == b.completed_at);
}

void CheckSame(const CommitFlowResult& a, const CommitFlowResult& b) {
  CHECK(a.duration == b.duration);
  REQUIRE(a.commits.size() == b.commits.size());
  for (size_t i = 0; i < a.commits.size(); ++i) {
    const CommitRecord &x = a.commits[i], &y = b.commits[i];
    CHECK(x.id == y.id);
    CHECK(x.landed == y.landed);
    CHECK(x.bad == y.bad);
    CHECK(SameBits(x.risk, y.risk));
    CHECK(x.fate == y.fate);
    CHECK(x.release == y.release);
    CHECK(x.deployed_at == y.deployed_at);
    CHECK(x.reached_full == y.reached_full);
  }
  CHECK(a.release_sizes == b.release_sizes);
  CHECK(a.releases_deployed == b.releases_deployed);
  CHECK(a.releases_failed == b.releases_failed);
  CHECK(SameBits(a.backlog_time_average, b.backlog_time_average));
  CHECK(a.backlog_max == b.backlog_max);
  CHECK(a.blocked == b.blocked);
  CHECK(a.bisection_steps == b.bisection_steps);
  CHECK(a.bad_commits_reached_full == b.bad_commits_reached_full);
}

// A result with every field away from its default, and a second change left at the defaults.
ReplicaResult EveryFieldSet() {
  ReplicaResult r;
  r.replica = 4'000'000'000u;
  r.fleet_requests = 9'000'000'000'000;
  r.fleet_errors = -3;  // not a real value: the codec must not assume a sign
  r.alerts = 7;
  ChangeOutcome o;
  o.id = 123456789;
  o.kind = ChangeKind::kCode;
  o.arrival = SimTime::Hours(30);
  o.label = "line one\nline two, with \\ and \0 inside";
  o.label.push_back('\0');
  o.fault = "leak";
  o.scope_hosts = 4'000'000;
  o.carries_fault = o.bad = o.latent = true;
  o.peak_exposed_fraction = 0.1 + 0.2;  // not representable exactly in decimal
  o.exposed_host_minutes = std::numeric_limits<double>::denorm_min();
  o.failed_requests = std::numeric_limits<int64_t>::max();
  o.impacted_traffic_peak = -0.0;  // a zero with a sign bit: kept
  o.failed_traffic_peak = std::numeric_limits<double>::quiet_NaN();
  o.regions_impacted = 6;
  o.sev = 2;
  o.detected_by = DetectedBy::kHuman;
  o.detected_stage = 3;
  o.detected_stage_name = "p50";
  o.escaped = o.false_positive = o.misattributed = true;
  o.verdicts = 1000;
  o.failing_verdicts = 17;
  o.pauses = 2;
  o.dry_run_stops = 5;
  o.unacted_verdicts = 7;
  o.final_state = FinalState::kRollingBack;
  o.stopped_by = StopSource::kDeployFailure;
  o.impact_start = SimTime::Hours(30) + SimTime::Minutes(2);
  o.impact_end = SimTime::Hours(29);  // before arrival: deltas may be negative
  o.detected_at = SimTime::Hours(31);
  o.final_stage_at = SimTime::Zero();
  o.full_exposure_at = SimTime::Days(7);
  o.completed_at = SimTime::Millis(1);
  r.outcomes.push_back(o);
  r.outcomes.push_back(ChangeOutcome{});
  ChangeOutcome again = o;  // a repeated label goes through the string table once
  again.id = 5;             // ids need not ascend
  r.outcomes.push_back(again);
  CommitFlowResult flow;
  flow.duration = SimTime::Days(7);
  CommitRecord c;
  c.id = 9;
  c.landed = SimTime::Minutes(90);
  c.bad = c.reached_full = true;
  c.risk = 0.987654321;
  c.fate = CommitFate::kRevertedAsCulprit;
  c.release = 41;
  c.deployed_at = SimTime::Hours(4);
  flow.commits = {c, CommitRecord{}};
  flow.release_sizes = {3, 1, 0, 12};
  flow.releases_deployed = 30;
  flow.releases_failed = 2;
  flow.backlog_time_average = 2.5;
  flow.backlog_max = 14;
  flow.blocked = SimTime::Minutes(75);
  flow.bisection_steps = 6;
  flow.bad_commits_reached_full = 1;
  r.commit_flow = flow;
  return r;
}

TEST_CASE("the replica codec round-trips every field bit for bit", "[codec]") {
  const ReplicaResult original = EveryFieldSet();
  const std::string bytes = EncodeReplica(original);
  Result<ReplicaResult> decoded = DecodeReplica(bytes);
  REQUIRE(decoded.ok());
  const ReplicaResult& r = decoded.value();
  CHECK(r.replica == original.replica);
  CHECK(r.fleet_requests == original.fleet_requests);
  CHECK(r.fleet_errors == original.fleet_errors);
  CHECK(r.alerts == original.alerts);
  REQUIRE(r.outcomes.size() == original.outcomes.size());
  for (size_t i = 0; i < r.outcomes.size(); ++i) CheckSame(r.outcomes[i], original.outcomes[i]);
  REQUIRE(r.commit_flow.has_value());
  CheckSame(*r.commit_flow, *original.commit_flow);
  CHECK(EncodeReplica(r) == bytes);  // a pure function of the value

  ReplicaResult empty;
  Result<ReplicaResult> none = DecodeReplica(EncodeReplica(empty));
  REQUIRE(none.ok());
  CHECK(none.value().outcomes.empty());
  CHECK_FALSE(none.value().commit_flow.has_value());
}

TEST_CASE("damaged replica bytes are refused, never half-read", "[codec]") {
  const std::string bytes = EncodeReplica(EveryFieldSet());
  for (size_t n = 0; n < bytes.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    CHECK_FALSE(DecodeReplica(bytes.substr(0, n)).ok());
  }
  CHECK_FALSE(DecodeReplica(bytes + '\0').ok());  // trailing bytes
  CHECK_THAT(DecodeReplica(bytes.substr(0, 10)).status().message(),
             Catch::Contains("damaged replica result"));
}

TEST_CASE("reports rendered from decoded results are byte-identical", "[codec]") {
  for (const char* name : {"mc-staged-change", "instagram-day"}) {
    INFO(name);
    Result<Scenario> scenario =
        LoadScenario(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/" + name + ".yaml");
    REQUIRE(scenario.ok());
    Result<Policy> policy = LoadPolicyFile(*scenario.value().policy.path);
    REQUIRE(policy.ok());
    RunOptions options;
    options.replicas = 3;
    options.seed = 11;
    const std::vector<ReplicaResult> results =
        RunReplicas(scenario.value(), policy.value(), options);
    std::vector<ReplicaResult> decoded;
    size_t bytes = 0;
    for (const ReplicaResult& r : results) {
      const std::string encoded = EncodeReplica(r);
      bytes += encoded.size();
      decoded.push_back(DecodeReplica(encoded).value());
    }
    auto render = [&](std::vector<ReplicaResult> replicas) {
      Report report;
      report.scenario = &scenario.value();
      report.seed = options.seed;
      report.replicas = options.replicas;
      PolicyRun run;
      run.policy = &policy.value();
      run.summary = SummarizeRun(replicas);
      run.replicas = std::move(replicas);
      report.runs.push_back(std::move(run));
      return RenderJson(report) + RenderCsv(report) + RenderCommitsCsv(report) +
             RenderTable(report);
    };
    CHECK(render(decoded) == render(results));
    // Compact: under half the in-memory size of the outcomes and commits.
    size_t in_memory = 0;
    for (const ReplicaResult& r : results) {
      in_memory += r.outcomes.size() * sizeof(ChangeOutcome);
      if (r.commit_flow) in_memory += r.commit_flow->commits.size() * sizeof(CommitRecord);
    }
    INFO(bytes << " bytes encoded, " << in_memory << " in memory");
    CHECK(bytes * 2 < in_memory);
  }
}

TEST_CASE("byte codec: varints, zigzag and doubles at their extremes", "[codec]") {
  ByteWriter w;
  const int64_t signs[] = {
      0, 1, -1, 63, -64, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
  for (int64_t v : signs) w.Signed(v);
  w.Varint(std::numeric_limits<uint64_t>::max());
  w.Double(std::numeric_limits<double>::infinity());
  w.Bytes(std::string("a\0b", 3));
  ByteReader r(w.data());
  for (int64_t v : signs) CHECK(r.Signed() == v);
  CHECK(r.Varint() == std::numeric_limits<uint64_t>::max());
  CHECK(std::isinf(r.Double()));
  CHECK(r.Bytes() == std::string_view("a\0b", 3));
  CHECK(r.ok());
  CHECK(r.AtEnd());
  CHECK(r.U8() == 0);  // past the end: fails, sticky
  CHECK_FALSE(r.ok());
  ByteWriter small;
  small.Signed(-1);
  CHECK(small.size() == 1);  // zigzag keeps small negatives short
  ByteReader bounded(small.data());
  bounded.Bounded(0);  // 1 > 0
  CHECK_FALSE(bounded.ok());
}

}  // namespace
}  // namespace fleetsim
