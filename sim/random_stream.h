// RandomStream: a counter-based random stream keyed by (root seed, replica, purpose, entity).
//
// Every random draw in fleetsim comes from one of these. The generator is Random123's
// Philox4x32-10: the 64-bit root seed is the Philox key and the 128-bit counter carries
// (block index | purpose << 24, replica, entity low half, entity high half), so two streams
// with different keys never overlap and a stream's values depend only on its key, never on
// which thread or process draws them. This is what makes results bit-identical for any thread
// count or partition across processes.
//
// Keys are made per purpose by StreamKey's typed constructors (StreamKey::Signals(...), ...):
// each packs its fields into the 64-bit entity with a fixed layout (EntityLayout, below), so
// distinct in-range fields never give the same key, and asserts that every field fits. The
// layouts are part of the reproducibility contract: they reproduce, bit for bit, the entities
// the engine has always used. A bare StreamKey{seed, replica, purpose, entity} is for tests.
//
// RandomStream satisfies UniformRandomBitGenerator (32-bit) and is meant to drive Boost.Random
// distributions, whose algorithms are portable (std:: distributions are not, and are not used).
// A stream holds 2^24 blocks of four 32-bit words; exhausting it is a programming error.
//
// Cheap to construct (a few words of state): make one per (purpose, entity) where needed.
// Value types; a RandomStream is used by one thread.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cassert>
#include <cstdint>
#include <optional>

namespace fleetsim {

// What a stream is used for. Values are part of the reproducibility contract: never renumber.
// Only the low 8 bits reach the counter, so every value is below 256. The entity layout of
// each purpose is its StreamKey constructor's.
enum class StreamPurpose : uint32_t {
  kCellProfile = 1,         // persistent per-cell heterogeneity; CellProfile
  kSignals = 2,             // per (tick, cell) signal sampling; Signals
  kChangeArrivals = 3,      // the config-change arrival process (one stream); ChangeArrivals
  kChangeGroundTruth = 4,   // a config change's good/bad and fault; ChangeGroundTruth
  kCanaryPlacement = 5,     // where a change's buckets start; CanaryPlacement
  kHumanResponse = 6,       // people's response times: AlertResponse, PauseReview, ManualGate
  kHostUpdates = 7,         // per-host update failures of one step; HostUpdates
  kStatusMix = 8,           // 3xx/4xx share of a change's groups per tick; StatusMix
  kFlagSplit = 9,           // a feature flag's request split per tick; FlagSplit
  kClusterSignals = 10,     // aggregated per (tick, cluster) sampling; ClusterSignals
  kFaultRepair = 11,        // manual repair of hosts a fault keeps from the revert; FaultRepair
  kAutomationFailure = 12,  // whether a change's automated stop is lost; AutomationFailure
  kMisdiagnosis = 13,       // whether a response is misdiagnosed, and its delay; Misdiagnosis
  kColumnSignals = 14,      // plain cells of one (region, bucket) summed per tick; ColumnSignals
  kChangeService = 15,      // the service a config change of the stream targets; ChangeService
  kServiceLayout = 16,      // a generated service fleet (placement, dependencies); ServiceLayout
  kCellNoise = 17,          // per tick: one 64-bit word per plain cell (table draws); CellNoise
  // Commit flow (40..49): sim/commit_stream.h, sim/commit_pipeline.h.
  kCommitArrivals = 40,     // the commit landing process (one stream); CommitArrivals
  kCommitGroundTruth = 41,  // a commit's bad/fault, CI catch/flake, risk; CommitGroundTruth
  kCommitTests = 42,        // CI re-runs; CommitTests
  kCulpritSearch = 43,      // people in the pipeline: CiReview, CulpritSearch
  kTest = 255,              // reserved for tests and benchmarks
};

// One bit field of an entity: bits [shift, shift + bits).
struct EntityField {
  int shift;
  int bits;
};

// How a purpose's fields are packed into the 64-bit entity.
template <size_t N>
using EntityLayout = std::array<EntityField, N>;

// Packs `values` into an entity, or nullopt when a value does not fit its field.
template <size_t N>
constexpr std::optional<uint64_t> PackEntity(const EntityLayout<N>& layout,
                                             const std::array<uint64_t, N>& values) {
  uint64_t entity = 0;
  for (size_t i = 0; i < N; ++i) {
    const EntityField f = layout[i];
    if (f.bits < 64 && (values[i] >> f.bits) != 0) return std::nullopt;
    entity |= values[i] << f.shift;
  }
  return entity;
}

// The layouts, named by their fields from the most significant down.
namespace entity_layout {
// The whole entity is one index: a cell, a change id, a commit id, a counter.
inline constexpr EntityLayout<1> kIndex{{{0, 64}}};
// tick << 32 | index: per (tick, cell), (tick, cluster) and (tick, column).
inline constexpr EntityLayout<2> kTickIndex{{{32, 32}, {0, 32}}};
// change << 24 | tick (change < 2^40, tick < 2^24).
inline constexpr EntityLayout<2> kChangeTick{{{24, 40}, {0, 24}}};
// kHostUpdates: step >> 16 in bits 48-63, the change id in bits 16-47, step & 0xffff in bits
// 0-15 (change < 2^32, step < 2^32). Up to step 65535 the step has always been packed in its
// low 16 bits alone, so those keys are as before.
inline constexpr EntityLayout<3> kChangeStep{{{48, 16}, {16, 32}, {0, 16}}};
// commit << 8 | attempt (commit < 2^56, attempt < 2^8).
inline constexpr EntityLayout<2> kCommitAttempt{{{8, 56}, {0, 8}}};
// kHumanResponse: a tag in bits 40-41 tells the three uses apart. Tag 0: the alert number
// (< 2^40). Tags 1 (pause review) and 2 (manual gate): number >> 8 in bits 48-63, the tag,
// the change id in bits 8-39, number & 0xff in bits 0-7 (change < 2^32, number < 2^24). Up
// to 255 the number has always been packed in its low byte alone, so those keys are as before.
inline constexpr EntityLayout<2> kAlert{{{40, 2}, {0, 40}}};
inline constexpr EntityLayout<4> kPersonOnChange{{{48, 16}, {40, 2}, {8, 32}, {0, 8}}};
// kCulpritSearch: tag (1: CI review of a commit, 2: culprit search of a release) << 40 | index.
inline constexpr EntityLayout<2> kTaggedIndex{{{40, 2}, {0, 40}}};
}  // namespace entity_layout

struct StreamKey {
  uint64_t seed = 0;
  uint32_t replica = 0;
  StreamPurpose purpose = StreamPurpose::kTest;
  uint64_t entity = 0;

  // One constructor per purpose (see StreamPurpose). Signed arguments must be >= 0.
  static StreamKey CellProfile(uint64_t seed, uint32_t replica, uint64_t cell) {
    return Make(seed, replica, StreamPurpose::kCellProfile, entity_layout::kIndex, {cell});
  }
  static StreamKey Signals(uint64_t seed, uint32_t replica, int64_t tick, uint64_t cell) {
    return Make(seed, replica, StreamPurpose::kSignals, entity_layout::kTickIndex,
                {static_cast<uint64_t>(tick), cell});
  }
  // One stream per tick whose words 2c and 2c + 1 are cell c's (block c / 2 holds cells 2i and
  // 2i + 1), drawn in bulk by PhiloxBlocks: up to 2^25 cells.
  static StreamKey CellNoise(uint64_t seed, uint32_t replica, int64_t tick) {
    return Make(seed, replica, StreamPurpose::kCellNoise, entity_layout::kIndex,
                {static_cast<uint64_t>(tick)});
  }
  static StreamKey ChangeArrivals(uint64_t seed, uint32_t replica) {
    return Make(seed, replica, StreamPurpose::kChangeArrivals, entity_layout::kIndex, {0});
  }
  // `arrival` numbers the generated config changes in arrival order (not their change ids,
  // which interleave the injected changes).
  static StreamKey ChangeGroundTruth(uint64_t seed, uint32_t replica, int64_t arrival) {
    return Make(seed, replica, StreamPurpose::kChangeGroundTruth, entity_layout::kIndex,
                {static_cast<uint64_t>(arrival)});
  }
  // The same `arrival` numbering as ChangeGroundTruth.
  static StreamKey ChangeService(uint64_t seed, uint32_t replica, int64_t arrival) {
    return Make(seed, replica, StreamPurpose::kChangeService, entity_layout::kIndex,
                {static_cast<uint64_t>(arrival)});
  }
  // Generating a scenario's services (a function of the file's `services.seed`, replica 0).
  static StreamKey ServiceLayout(uint64_t seed, uint64_t service) {
    return Make(seed, 0, StreamPurpose::kServiceLayout, entity_layout::kIndex, {service});
  }
  static StreamKey CanaryPlacement(uint64_t seed, uint32_t replica, int64_t change) {
    return Make(seed, replica, StreamPurpose::kCanaryPlacement, entity_layout::kIndex,
                {static_cast<uint64_t>(change)});
  }
  // The on-call's response to the replica's `alert`-th global alert.
  static StreamKey AlertResponse(uint64_t seed, uint32_t replica, uint64_t alert) {
    return Make(seed, replica, StreamPurpose::kHumanResponse, entity_layout::kAlert, {0, alert});
  }
  // A person's review of `change`'s `pause`-th pause (0-based).
  static StreamKey PauseReview(uint64_t seed, uint32_t replica, int64_t change, int pause) {
    return Person(seed, replica, 1, change, pause);
  }
  // A person's promotion through the manual gate of `change`'s step `step`.
  static StreamKey ManualGate(uint64_t seed, uint32_t replica, int64_t change, int step) {
    return Person(seed, replica, 2, change, step);
  }
  // Per-host update failures of `change`'s step `step` (0-based).
  static StreamKey HostUpdates(uint64_t seed, uint32_t replica, int64_t change, int step) {
    const auto s = static_cast<uint64_t>(static_cast<int64_t>(step));
    return Make(seed, replica, StreamPurpose::kHostUpdates, entity_layout::kChangeStep,
                {s >> 16, static_cast<uint64_t>(change), s & 0xffff});
  }
  static StreamKey StatusMix(uint64_t seed, uint32_t replica, int64_t change, int64_t tick) {
    return Make(seed, replica, StreamPurpose::kStatusMix, entity_layout::kChangeTick,
                {static_cast<uint64_t>(change), static_cast<uint64_t>(tick)});
  }
  static StreamKey FlagSplit(uint64_t seed, uint32_t replica, int64_t change, int64_t tick) {
    return Make(seed, replica, StreamPurpose::kFlagSplit, entity_layout::kChangeTick,
                {static_cast<uint64_t>(change), static_cast<uint64_t>(tick)});
  }
  static StreamKey ClusterSignals(uint64_t seed, uint32_t replica, int64_t tick, uint64_t cluster) {
    return Make(seed, replica, StreamPurpose::kClusterSignals, entity_layout::kTickIndex,
                {static_cast<uint64_t>(tick), cluster});
  }
  static StreamKey FaultRepair(uint64_t seed, uint32_t replica, int64_t change) {
    return Make(seed, replica, StreamPurpose::kFaultRepair, entity_layout::kIndex,
                {static_cast<uint64_t>(change)});
  }
  static StreamKey AutomationFailure(uint64_t seed, uint32_t replica, int64_t change) {
    return Make(seed, replica, StreamPurpose::kAutomationFailure, entity_layout::kIndex,
                {static_cast<uint64_t>(change)});
  }
  // The replica's `response`-th alert response that may be misdiagnosed.
  static StreamKey Misdiagnosis(uint64_t seed, uint32_t replica, uint64_t response) {
    return Make(seed, replica, StreamPurpose::kMisdiagnosis, entity_layout::kIndex, {response});
  }
  // `column` = region x buckets + bucket (tick_sampler.h).
  static StreamKey ColumnSignals(uint64_t seed, uint32_t replica, int64_t tick, uint64_t column) {
    return Make(seed, replica, StreamPurpose::kColumnSignals, entity_layout::kTickIndex,
                {static_cast<uint64_t>(tick), column});
  }
  static StreamKey CommitArrivals(uint64_t seed, uint32_t replica) {
    return Make(seed, replica, StreamPurpose::kCommitArrivals, entity_layout::kIndex, {0});
  }
  static StreamKey CommitGroundTruth(uint64_t seed, uint32_t replica, int64_t commit) {
    return Make(seed, replica, StreamPurpose::kCommitGroundTruth, entity_layout::kIndex,
                {static_cast<uint64_t>(commit)});
  }
  // CI run `attempt` (0 = the first) of `commit`.
  static StreamKey CommitTests(uint64_t seed, uint32_t replica, int64_t commit, int attempt) {
    return Make(seed, replica, StreamPurpose::kCommitTests, entity_layout::kCommitAttempt,
                {static_cast<uint64_t>(commit), static_cast<uint64_t>(attempt)});
  }
  // A person reviewing `commit`'s failed tests (the pipeline blocks meanwhile).
  static StreamKey CiReview(uint64_t seed, uint32_t replica, int64_t commit) {
    return Make(seed, replica, StreamPurpose::kCulpritSearch, entity_layout::kTaggedIndex,
                {1, static_cast<uint64_t>(commit)});
  }
  // People searching the culprit of failed release `release` (its index in the pipeline).
  static StreamKey CulpritSearch(uint64_t seed, uint32_t replica, int64_t release) {
    return Make(seed, replica, StreamPurpose::kCulpritSearch, entity_layout::kTaggedIndex,
                {2, static_cast<uint64_t>(release)});
  }

 private:
  template <size_t N>
  static StreamKey Make(uint64_t seed, uint32_t replica, StreamPurpose purpose,
                        const EntityLayout<N>& layout, const std::array<uint64_t, N>& fields) {
    assert(PackEntity(layout, fields).has_value() && "a random-stream key field is out of range");
    // Checked above; packed unchecked here (this runs once per cell and tick).
    uint64_t entity = 0;
    for (size_t i = 0; i < N; ++i) entity |= fields[i] << layout[i].shift;
    return StreamKey{seed, replica, purpose, entity};
  }
  static StreamKey Person(uint64_t seed, uint32_t replica, uint64_t tag, int64_t change,
                          int number) {
    const auto n = static_cast<uint64_t>(static_cast<int64_t>(number));
    return Make(seed, replica, StreamPurpose::kHumanResponse, entity_layout::kPersonOnChange,
                {n >> 8, tag, static_cast<uint64_t>(change), n & 0xff});
  }
};

class RandomStream {
 public:
  using result_type = uint32_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return 0xffffffffu; }

  explicit RandomStream(const StreamKey& key) {
    key_ = {{static_cast<uint32_t>(key.seed), static_cast<uint32_t>(key.seed >> 32)}};
    purpose_ = static_cast<uint32_t>(key.purpose) & 0xffu;
    ctr_ = {{0, key.replica, static_cast<uint32_t>(key.entity),
             static_cast<uint32_t>(key.entity >> 32)}};
  }

  result_type operator()() {
    if (used_ == 4) Refill();
    return block_.v[used_++];
  }

  // Uniform double in [0, 1) with 53 random bits.
  double NextUnit() {
    uint64_t hi = (*this)() >> 5;  // 27 bits
    uint64_t lo = (*this)() >> 6;  // 26 bits
    return static_cast<double>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
  }

 private:
  void Refill() {
    assert(block_index_ < (1u << 24) && "random stream exhausted");
    ctr_.v[0] = block_index_ | (purpose_ << 24);
    block_ = philox_(ctr_, key_);
    ++block_index_;
    used_ = 0;
  }

  r123::Philox4x32 philox_;
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type ctr_;
  r123::Philox4x32::ctr_type block_{};
  uint32_t purpose_ = 0;
  uint32_t block_index_ = 0;
  uint32_t used_ = 4;
};

}  // namespace fleetsim
