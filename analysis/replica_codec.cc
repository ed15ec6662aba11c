#include "analysis/replica_codec.h"

#include <bit>
#include <limits>
#include <map>

#include "analysis/byte_codec.h"

namespace fleetsim {
namespace {

// Adding a field to one of these structs changes its size: encode and decode it below (and bump
// kReplicaCodecVersion), then update the size here. The tests round-trip every field.
static_assert(sizeof(ChangeOutcome) == 320, "ChangeOutcome changed: update replica_codec.cc");
static_assert(sizeof(ReplicaResult) == 176, "ReplicaResult changed: update replica_codec.cc");
static_assert(sizeof(CommitRecord) == 72, "CommitRecord changed: update replica_codec.cc");
static_assert(sizeof(CommitFlowResult) == 112, "CommitFlowResult changed: update replica_codec.cc");

// Presence bits of one ChangeOutcome.
enum : uint32_t {
  kCode = 1u << 0,
  kCarriesFault = 1u << 1,
  kBad = 1u << 2,
  kLatent = 1u << 3,
  kEscaped = 1u << 4,
  kFalsePositive = 1u << 5,
  kMisattributed = 1u << 6,
  kStoppedBy = 1u << 7,
  kImpactStart = 1u << 8,
  kImpactEnd = 1u << 9,
  kDetectedAt = 1u << 10,
  kFinalStageAt = 1u << 11,
  kFullExposureAt = 1u << 12,
  kCompletedAt = 1u << 13,
  kPeakExposed = 1u << 14,
  kExposedHostMinutes = 1u << 15,
  kImpactedTraffic = 1u << 16,
  kFailedTraffic = 1u << 17,
  kAllBits = (1u << 18) - 1,
};

// Commit record bits.
enum : uint8_t { kCommitBad = 1, kCommitReachedFull = 2, kCommitDeployedAt = 4, kCommitBits = 7 };

bool NonZero(double v) { return std::bit_cast<uint64_t>(v) != 0; }

// Strings of one replica, each stored once.
class StringTable {
 public:
  uint64_t Index(const std::string& s) {
    auto [it, inserted] = index_.emplace(s, strings_.size());
    if (inserted) strings_.push_back(&it->first);
    return it->second;
  }
  void Write(ByteWriter& out) const {
    out.Varint(strings_.size());
    for (const std::string* s : strings_) out.Bytes(*s);
  }

 private:
  std::map<std::string, uint64_t> index_;
  std::vector<const std::string*> strings_;
};

void EncodeOutcomes(const std::vector<ChangeOutcome>& outcomes, StringTable& strings,
                    ByteWriter& out) {
  out.Varint(outcomes.size());
  int64_t previous_id = 0;
  for (const ChangeOutcome& o : outcomes) {
    uint32_t bits = 0;
    auto set = [&bits](bool on, uint32_t bit) { bits |= on ? bit : 0; };
    set(o.kind == ChangeKind::kCode, kCode);
    set(o.carries_fault, kCarriesFault);
    set(o.bad, kBad);
    set(o.latent, kLatent);
    set(o.escaped, kEscaped);
    set(o.false_positive, kFalsePositive);
    set(o.misattributed, kMisattributed);
    set(o.stopped_by.has_value(), kStoppedBy);
    set(o.impact_start.has_value(), kImpactStart);
    set(o.impact_end.has_value(), kImpactEnd);
    set(o.detected_at.has_value(), kDetectedAt);
    set(o.final_stage_at.has_value(), kFinalStageAt);
    set(o.full_exposure_at.has_value(), kFullExposureAt);
    set(o.completed_at.has_value(), kCompletedAt);
    set(NonZero(o.peak_exposed_fraction), kPeakExposed);
    set(NonZero(o.exposed_host_minutes), kExposedHostMinutes);
    set(NonZero(o.impacted_traffic_peak), kImpactedTraffic);
    set(NonZero(o.failed_traffic_peak), kFailedTraffic);
    out.Varint(bits);
    out.Signed(o.id - previous_id);
    previous_id = o.id;
    out.Signed(o.arrival.millis());
    out.Varint(strings.Index(o.label));
    out.Varint(strings.Index(o.fault));
    out.Varint(strings.Index(o.detected_stage_name));
    out.Signed(o.scope_hosts);
    out.Signed(o.failed_requests);
    out.Signed(o.regions_impacted);
    out.Signed(o.sev);
    out.Signed(o.detected_stage);
    out.Signed(o.verdicts);
    out.Signed(o.failing_verdicts);
    out.Signed(o.pauses);
    out.Signed(o.dry_run_stops);
    out.Signed(o.unacted_verdicts);
    out.U8(static_cast<uint8_t>(o.detected_by));
    out.U8(static_cast<uint8_t>(o.final_state));
    if (o.stopped_by) out.U8(static_cast<uint8_t>(*o.stopped_by));
    if (bits & kPeakExposed) out.Double(o.peak_exposed_fraction);
    if (bits & kExposedHostMinutes) out.Double(o.exposed_host_minutes);
    if (bits & kImpactedTraffic) out.Double(o.impacted_traffic_peak);
    if (bits & kFailedTraffic) out.Double(o.failed_traffic_peak);
    for (const std::optional<SimTime>* t :
         {&o.impact_start, &o.impact_end, &o.detected_at, &o.final_stage_at, &o.full_exposure_at,
          &o.completed_at}) {
      if (*t) out.Signed((**t - o.arrival).millis());
    }
  }
}

void EncodeCommitFlow(const CommitFlowResult& flow, ByteWriter& out) {
  out.Signed(flow.duration.millis());
  out.Varint(flow.commits.size());
  int64_t previous_id = 0, previous_landed = 0;
  for (const CommitRecord& c : flow.commits) {
    const uint8_t bits = (c.bad ? kCommitBad : 0) | (c.reached_full ? kCommitReachedFull : 0) |
                         (c.deployed_at ? kCommitDeployedAt : 0);
    out.U8(bits);
    out.Signed(c.id - previous_id);
    previous_id = c.id;
    out.Signed(c.landed.millis() - previous_landed);
    previous_landed = c.landed.millis();
    out.Double(c.risk);
    out.U8(static_cast<uint8_t>(c.fate));
    out.Signed(c.release);
    if (c.deployed_at) out.Signed((*c.deployed_at - c.landed).millis());
  }
  out.Varint(flow.release_sizes.size());
  for (int64_t s : flow.release_sizes) out.Signed(s);
  out.Signed(flow.releases_deployed);
  out.Signed(flow.releases_failed);
  out.Double(flow.backlog_time_average);
  out.Signed(flow.backlog_max);
  out.Signed(flow.blocked.millis());
  out.Signed(flow.bisection_steps);
  out.Signed(flow.bad_commits_reached_full);
}

// Reads an int field, failing the reader when the value does not fit.
int ReadInt(ByteReader& in) {
  const int64_t v = in.Signed();
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    in.Fail();
    return 0;
  }
  return static_cast<int>(v);
}

SimTime Millis(int64_t ms) { return SimTime::Millis(ms); }

void DecodeOutcome(ByteReader& in, const std::vector<std::string>& strings, int64_t& previous_id,
                   ChangeOutcome& o) {
  const uint64_t bits = in.Bounded(kAllBits);
  auto string_at = [&](uint64_t i) {
    if (i < strings.size()) return strings[i];
    in.Fail();
    return std::string();
  };
  o.id = previous_id + in.Signed();
  previous_id = o.id;
  o.kind = (bits & kCode) ? ChangeKind::kCode : ChangeKind::kConfig;
  o.carries_fault = bits & kCarriesFault;
  o.bad = bits & kBad;
  o.latent = bits & kLatent;
  o.escaped = bits & kEscaped;
  o.false_positive = bits & kFalsePositive;
  o.misattributed = bits & kMisattributed;
  o.arrival = Millis(in.Signed());
  o.label = string_at(in.Varint());
  o.fault = string_at(in.Varint());
  o.detected_stage_name = string_at(in.Varint());
  o.scope_hosts = in.Signed();
  o.failed_requests = in.Signed();
  o.regions_impacted = ReadInt(in);
  o.sev = ReadInt(in);
  o.detected_stage = ReadInt(in);
  o.verdicts = ReadInt(in);
  o.failing_verdicts = ReadInt(in);
  o.pauses = ReadInt(in);
  o.dry_run_stops = ReadInt(in);
  o.unacted_verdicts = ReadInt(in);
  const uint8_t detected_by = in.U8(), final_state = in.U8();
  if (detected_by > static_cast<uint8_t>(DetectedBy::kHuman) ||
      final_state > static_cast<uint8_t>(FinalState::kPaused)) {
    in.Fail();
  }
  o.detected_by = static_cast<DetectedBy>(detected_by);
  o.final_state = static_cast<FinalState>(final_state);
  if (bits & kStoppedBy) {
    const uint8_t s = in.U8();
    if (s > static_cast<uint8_t>(StopSource::kDeployFailure)) in.Fail();
    o.stopped_by = static_cast<StopSource>(s);
  }
  if (bits & kPeakExposed) o.peak_exposed_fraction = in.Double();
  if (bits & kExposedHostMinutes) o.exposed_host_minutes = in.Double();
  if (bits & kImpactedTraffic) o.impacted_traffic_peak = in.Double();
  if (bits & kFailedTraffic) o.failed_traffic_peak = in.Double();
  const std::pair<uint32_t, std::optional<SimTime>*> times[] = {
      {kImpactStart, &o.impact_start},        {kImpactEnd, &o.impact_end},
      {kDetectedAt, &o.detected_at},          {kFinalStageAt, &o.final_stage_at},
      {kFullExposureAt, &o.full_exposure_at}, {kCompletedAt, &o.completed_at}};
  for (const auto& [bit, field] : times) {
    if (bits & bit) *field = o.arrival + Millis(in.Signed());
  }
}

void DecodeCommitFlow(ByteReader& in, CommitFlowResult& flow) {
  flow.duration = Millis(in.Signed());
  // Every commit takes at least 13 bytes: a count above that is damage, not a big run.
  const uint64_t commits = in.Bounded(in.remaining() / 13);
  flow.commits.resize(commits);
  int64_t previous_id = 0, previous_landed = 0;
  for (CommitRecord& c : flow.commits) {
    const uint8_t bits = in.U8();
    if (bits & ~kCommitBits) in.Fail();
    c.bad = bits & kCommitBad;
    c.reached_full = bits & kCommitReachedFull;
    c.id = previous_id + in.Signed();
    previous_id = c.id;
    previous_landed += in.Signed();
    c.landed = Millis(previous_landed);
    c.risk = in.Double();
    const uint8_t fate = in.U8();
    if (fate > static_cast<uint8_t>(CommitFate::kRevertedAsCulprit)) in.Fail();
    c.fate = static_cast<CommitFate>(fate);
    c.release = in.Signed();
    if (bits & kCommitDeployedAt) c.deployed_at = c.landed + Millis(in.Signed());
    if (!in.ok()) return;
  }
  flow.release_sizes.resize(in.Bounded(in.remaining()));
  for (int64_t& s : flow.release_sizes) s = in.Signed();
  flow.releases_deployed = in.Signed();
  flow.releases_failed = in.Signed();
  flow.backlog_time_average = in.Double();
  flow.backlog_max = in.Signed();
  flow.blocked = Millis(in.Signed());
  flow.bisection_steps = in.Signed();
  flow.bad_commits_reached_full = in.Signed();
}

}  // namespace

std::string EncodeReplica(const ReplicaResult& r) {
  StringTable strings;
  ByteWriter body;
  EncodeOutcomes(r.outcomes, strings, body);
  ByteWriter out;
  out.Varint(r.replica);
  out.Signed(r.fleet_requests);
  out.Signed(r.fleet_errors);
  out.Signed(r.alerts);
  strings.Write(out);
  out.Raw(body.data());
  out.U8(r.commit_flow ? 1 : 0);
  if (r.commit_flow) EncodeCommitFlow(*r.commit_flow, out);
  return out.Take();
}

Result<ReplicaResult> DecodeReplica(std::string_view bytes) {
  ByteReader in(bytes);
  ReplicaResult r;
  r.replica = static_cast<uint32_t>(in.Bounded(std::numeric_limits<uint32_t>::max()));
  r.fleet_requests = in.Signed();
  r.fleet_errors = in.Signed();
  r.alerts = ReadInt(in);
  std::vector<std::string> strings(in.Bounded(in.remaining()));
  for (std::string& s : strings) s = std::string(in.Bytes());
  // Every outcome takes at least 18 bytes: a larger count is damage.
  r.outcomes.resize(in.Bounded(in.remaining() / 18));
  int64_t previous_id = 0;
  for (ChangeOutcome& o : r.outcomes) {
    DecodeOutcome(in, strings, previous_id, o);
    if (!in.ok()) break;
  }
  const uint8_t has_flow = in.U8();
  if (has_flow > 1) in.Fail();
  if (has_flow == 1 && in.ok()) DecodeCommitFlow(in, r.commit_flow.emplace());
  if (!in.ok() || !in.AtEnd()) {
    return Status::Error("damaged replica result (" + std::to_string(bytes.size()) +
                         " bytes, unreadable at byte " + std::to_string(in.position()) + ")");
  }
  return r;
}

}  // namespace fleetsim
