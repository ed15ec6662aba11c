// Tests for the typed random-stream keys of sim/random_stream.h (StreamKey::Signals, ...):
// every constructor reproduces, bit for bit, the entity the engine packed by hand before the
// keys were typed (so no result changes); distinct in-range fields never give the same
// (purpose, entity), including across the three layouts that share kHumanResponse and the two
// that share kCulpritSearch; out-of-range fields are rejected by PackEntity; each layout's
// fields are disjoint and fit in 64 bits; and the pause-review, manual-gate and host-update keys
// no longer wrap after 256 pauses (steps) and 65,536 steps of one change.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/random_stream.h"

namespace fleetsim {
namespace {

constexpr uint64_t kSeed = 0x5eed;
constexpr uint32_t kReplica = 3;

using Id = std::pair<StreamPurpose, uint64_t>;
Id IdOf(const StreamKey& k) { return {k.purpose, k.entity}; }

// Interesting values of a field of `bits` bits: both ends, their neighbours, a few inside.
std::vector<uint64_t> Edges(int bits) {
  const uint64_t max = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  std::vector<uint64_t> v{0, 1, 2, 255, 256, max / 3, max - 1, max};
  std::vector<uint64_t> out;
  for (uint64_t x : v) {
    if (x <= max && std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  }
  return out;
}

template <size_t N>
bool Disjoint(const EntityLayout<N>& layout) {
  uint64_t used = 0;
  for (const EntityField& f : layout) {
    if (f.shift < 0 || f.bits <= 0 || f.shift + f.bits > 64) return false;
    const uint64_t mask = (f.bits == 64 ? ~uint64_t{0} : (uint64_t{1} << f.bits) - 1) << f.shift;
    if (used & mask) return false;
    used |= mask;
  }
  return true;
}

TEST_CASE("typed stream keys reproduce the hand-packed entities", "[random]") {
  for (int64_t tick : {int64_t{0}, int64_t{1}, int64_t{1440}, int64_t{0xffffffff}}) {
    for (uint64_t cell : {uint64_t{0}, uint64_t{7}, uint64_t{19999}, uint64_t{0xffffffff}}) {
      const uint64_t legacy = (static_cast<uint64_t>(tick) << 32) | cell;
      const StreamKey k = StreamKey::Signals(kSeed, kReplica, tick, cell);
      CHECK(k.seed == kSeed);
      CHECK(k.replica == kReplica);
      CHECK(k.purpose == StreamPurpose::kSignals);
      CHECK(k.entity == legacy);
      CHECK(IdOf(StreamKey::ClusterSignals(kSeed, kReplica, tick, cell)) ==
            Id{StreamPurpose::kClusterSignals, legacy});
      CHECK(IdOf(StreamKey::ColumnSignals(kSeed, kReplica, tick, cell)) ==
            Id{StreamPurpose::kColumnSignals, legacy});
    }
  }
  for (int64_t change : {int64_t{0}, int64_t{1}, int64_t{100000}, int64_t{0xffffffff}}) {
    const auto c = static_cast<uint64_t>(change);
    for (int64_t tick : {int64_t{0}, int64_t{1}, int64_t{1440}, int64_t{0xffffff}}) {
      const uint64_t legacy = (c << 24) | static_cast<uint64_t>(tick);
      CHECK(IdOf(StreamKey::StatusMix(kSeed, kReplica, change, tick)) ==
            Id{StreamPurpose::kStatusMix, legacy});
      CHECK(IdOf(StreamKey::FlagSplit(kSeed, kReplica, change, tick)) ==
            Id{StreamPurpose::kFlagSplit, legacy});
    }
    for (int step : {0, 1, 3, 255, 0xffff}) {
      CHECK(IdOf(StreamKey::HostUpdates(kSeed, kReplica, change, step)) ==
            Id{StreamPurpose::kHostUpdates, (c << 16) | static_cast<uint64_t>(step)});
    }
    for (int n : {0, 1, 17, 255}) {
      const auto low = static_cast<uint64_t>(n);
      CHECK(IdOf(StreamKey::PauseReview(kSeed, kReplica, change, n)) ==
            Id{StreamPurpose::kHumanResponse, (uint64_t{1} << 40) | (c << 8) | low});
      CHECK(IdOf(StreamKey::ManualGate(kSeed, kReplica, change, n)) ==
            Id{StreamPurpose::kHumanResponse, (uint64_t{2} << 40) | (c << 8) | low});
    }
    CHECK(IdOf(StreamKey::CanaryPlacement(kSeed, kReplica, change)) ==
          Id{StreamPurpose::kCanaryPlacement, c});
    CHECK(IdOf(StreamKey::FaultRepair(kSeed, kReplica, change)) ==
          Id{StreamPurpose::kFaultRepair, c});
    CHECK(IdOf(StreamKey::AutomationFailure(kSeed, kReplica, change)) ==
          Id{StreamPurpose::kAutomationFailure, c});
    CHECK(IdOf(StreamKey::ChangeGroundTruth(kSeed, kReplica, change)) ==
          Id{StreamPurpose::kChangeGroundTruth, c});
    CHECK(IdOf(StreamKey::ChangeService(kSeed, kReplica, change)) ==
          Id{StreamPurpose::kChangeService, c});
    CHECK(IdOf(StreamKey::CommitGroundTruth(kSeed, kReplica, change)) ==
          Id{StreamPurpose::kCommitGroundTruth, c});
    CHECK(IdOf(StreamKey::CiReview(kSeed, kReplica, change)) ==
          Id{StreamPurpose::kCulpritSearch, (uint64_t{1} << 40) | c});
    CHECK(IdOf(StreamKey::CulpritSearch(kSeed, kReplica, change)) ==
          Id{StreamPurpose::kCulpritSearch, (uint64_t{2} << 40) | c});
    for (int attempt : {0, 1, 2, 101, 255}) {
      CHECK(IdOf(StreamKey::CommitTests(kSeed, kReplica, change, attempt)) ==
            Id{StreamPurpose::kCommitTests, (c << 8) | static_cast<uint64_t>(attempt)});
    }
  }
  for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{12345}, (uint64_t{1} << 40) - 1}) {
    CHECK(IdOf(StreamKey::AlertResponse(kSeed, kReplica, n)) ==
          Id{StreamPurpose::kHumanResponse, n});
    CHECK(IdOf(StreamKey::Misdiagnosis(kSeed, kReplica, n)) == Id{StreamPurpose::kMisdiagnosis, n});
    CHECK(IdOf(StreamKey::CellProfile(kSeed, kReplica, n)) == Id{StreamPurpose::kCellProfile, n});
    CHECK(IdOf(StreamKey::ServiceLayout(kSeed, n)) == Id{StreamPurpose::kServiceLayout, n});
  }
  CHECK(IdOf(StreamKey::ChangeArrivals(kSeed, kReplica)) == Id{StreamPurpose::kChangeArrivals, 0});
  CHECK(IdOf(StreamKey::CommitArrivals(kSeed, kReplica)) == Id{StreamPurpose::kCommitArrivals, 0});
}

TEST_CASE("every entity layout has disjoint fields within 64 bits", "[random]") {
  namespace L = entity_layout;
  CHECK(Disjoint(L::kIndex));
  CHECK(Disjoint(L::kTickIndex));
  CHECK(Disjoint(L::kChangeTick));
  CHECK(Disjoint(L::kChangeStep));
  CHECK(Disjoint(L::kCommitAttempt));
  CHECK(Disjoint(L::kAlert));
  CHECK(Disjoint(L::kPersonOnChange));
  CHECK(Disjoint(L::kTaggedIndex));
  // Negative control: overlapping fields are caught.
  CHECK_FALSE(Disjoint(EntityLayout<2>{{{8, 32}, {0, 9}}}));
  CHECK_FALSE(Disjoint(EntityLayout<1>{{{40, 32}}}));
}

TEST_CASE("distinct in-range key fields never give the same stream", "[random]") {
  std::set<Id> seen;
  size_t made = 0;
  auto add = [&](const StreamKey& k) {
    seen.insert(IdOf(k));
    ++made;
  };
  for (uint64_t tick : Edges(32)) {
    for (uint64_t index : Edges(32)) {
      const auto t = static_cast<int64_t>(tick);
      add(StreamKey::Signals(kSeed, kReplica, t, index));
      add(StreamKey::ClusterSignals(kSeed, kReplica, t, index));
      add(StreamKey::ColumnSignals(kSeed, kReplica, t, index));
    }
  }
  for (uint64_t change : Edges(40)) {
    for (uint64_t tick : Edges(24)) {
      add(StreamKey::StatusMix(kSeed, kReplica, static_cast<int64_t>(change),
                               static_cast<int64_t>(tick)));
      add(StreamKey::FlagSplit(kSeed, kReplica, static_cast<int64_t>(change),
                               static_cast<int64_t>(tick)));
    }
  }
  for (uint64_t change : Edges(32)) {
    for (uint64_t step : Edges(31))
      add(StreamKey::HostUpdates(kSeed, kReplica, static_cast<int64_t>(change),
                                 static_cast<int>(step)));
  }
  for (uint64_t commit : Edges(56)) {
    for (uint64_t attempt : Edges(8))
      add(StreamKey::CommitTests(kSeed, kReplica, static_cast<int64_t>(commit),
                                 static_cast<int>(attempt)));
  }
  // kHumanResponse: alerts, pause reviews and manual gates share the purpose.
  for (uint64_t alert : Edges(40)) add(StreamKey::AlertResponse(kSeed, kReplica, alert));
  for (uint64_t change : Edges(32)) {
    for (uint64_t n : Edges(24)) {
      add(StreamKey::PauseReview(kSeed, kReplica, static_cast<int64_t>(change),
                                 static_cast<int>(n)));
      add(StreamKey::ManualGate(kSeed, kReplica, static_cast<int64_t>(change),
                                static_cast<int>(n)));
    }
  }
  // kCulpritSearch: CI reviews of commits and culprit searches of releases share the purpose.
  for (uint64_t index : Edges(40)) {
    add(StreamKey::CiReview(kSeed, kReplica, static_cast<int64_t>(index)));
    add(StreamKey::CulpritSearch(kSeed, kReplica, static_cast<int64_t>(index)));
  }
  CHECK(made > 500);  // the grids above really ran
  CHECK(seen.size() == made);
}

TEST_CASE("a change's pause reviews never reuse a draw, past 256 pauses too", "[random]") {
  std::set<uint64_t> entities;
  std::set<uint32_t> first_words;
  constexpr int kPauses = 5000;
  for (int pause = 0; pause < kPauses; ++pause) {
    const StreamKey k = StreamKey::PauseReview(kSeed, kReplica, 42, pause);
    entities.insert(k.entity);
    RandomStream rng(k);
    first_words.insert(rng());
  }
  CHECK(entities.size() == kPauses);
  // 5000 32-bit words from distinct streams: a collision has probability ~0.3%.
  CHECK(first_words.size() >= kPauses - 1);
  // The manual gates of a plan with more than 256 steps likewise.
  CHECK(StreamKey::ManualGate(kSeed, kReplica, 42, 256).entity !=
        StreamKey::ManualGate(kSeed, kReplica, 42, 0).entity);
  // And the host updates of a plan with more than 65,536 steps.
  CHECK(StreamKey::HostUpdates(kSeed, kReplica, 42, 65536).entity !=
        StreamKey::HostUpdates(kSeed, kReplica, 42, 0).entity);
  CHECK(StreamKey::HostUpdates(kSeed, kReplica, 42, 65536).entity !=
        StreamKey::HostUpdates(kSeed, kReplica, 43, 0).entity);
}

TEST_CASE("out-of-range key fields are rejected", "[random]") {
  namespace L = entity_layout;
  const uint64_t two32 = uint64_t{1} << 32;
  CHECK(PackEntity(L::kTickIndex, {two32 - 1, two32 - 1}).has_value());
  CHECK_FALSE(PackEntity(L::kTickIndex, {two32, 0}).has_value());  // tick >= 2^32
  CHECK_FALSE(PackEntity(L::kTickIndex, {0, two32}).has_value());  // cell >= 2^32
  CHECK(PackEntity(L::kChangeTick, {(uint64_t{1} << 40) - 1, (1u << 24) - 1}).has_value());
  CHECK_FALSE(PackEntity(L::kChangeTick, {0, 1u << 24}).has_value());  // tick >= 2^24
  CHECK_FALSE(PackEntity(L::kChangeTick, {uint64_t{1} << 40, 0}).has_value());
  CHECK(PackEntity(L::kChangeStep, {(1u << 16) - 1, two32 - 1, (1u << 16) - 1}).has_value());
  CHECK_FALSE(PackEntity(L::kChangeStep, {1u << 16, 0, 0}).has_value());  // step >= 2^32
  CHECK_FALSE(PackEntity(L::kChangeStep, {0, two32, 0}).has_value());     // change >= 2^32
  CHECK_FALSE(PackEntity(L::kChangeStep, {0, 0, 1u << 16}).has_value());
  CHECK_FALSE(PackEntity(L::kCommitAttempt, {0, 256}).has_value());              // attempt >= 2^8
  CHECK_FALSE(PackEntity(L::kAlert, {0, uint64_t{1} << 40}).has_value());        // alert >= 2^40
  CHECK_FALSE(PackEntity(L::kPersonOnChange, {0, 1, two32, 0}).has_value());     // change >= 2^32
  CHECK_FALSE(PackEntity(L::kPersonOnChange, {1u << 16, 1, 0, 0}).has_value());  // n >= 2^24
  CHECK_FALSE(PackEntity(L::kPersonOnChange, {0, 1, 0, 256}).has_value());
  CHECK_FALSE(PackEntity(L::kTaggedIndex, {1, uint64_t{1} << 40}).has_value());
  // A negative id or tick becomes a huge unsigned value: rejected as well.
  CHECK_FALSE(PackEntity(L::kChangeTick, {static_cast<uint64_t>(int64_t{-1}), 0}).has_value());
  CHECK_FALSE(PackEntity(L::kTickIndex, {static_cast<uint64_t>(int64_t{-1}), 0}).has_value());
  // The single-index layout takes any 64-bit value.
  CHECK(PackEntity(L::kIndex, {~uint64_t{0}}) == std::optional<uint64_t>{~uint64_t{0}});
}

}  // namespace
}  // namespace fleetsim
