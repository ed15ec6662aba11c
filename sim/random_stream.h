// RandomStream: a counter-based random stream keyed by (root seed, replica, purpose, entity).
//
// Every random draw in fleetsim comes from one of these. The generator is Random123's
// Philox4x32-10: the 64-bit root seed is the Philox key and the counter carries
// (block index, purpose, replica, entity), so two streams with different keys never overlap and
// a stream's values depend only on its key, never on which thread or process draws them. This
// is what makes results bit-identical for any thread count or partition across processes.
//
// RandomStream satisfies UniformRandomBitGenerator (32-bit) and is meant to drive Boost.Random
// distributions, whose algorithms are portable (std:: distributions are not, and are not used).
// A stream holds 2^24 blocks of four 32-bit words; exhausting it is a programming error.
//
// Cheap to construct (a few words of state): make one per (purpose, entity) where needed.
#pragma once

#include <Random123/philox.h>

#include <cassert>
#include <cstdint>

namespace fleetsim {

// What a stream is used for. Values are part of the reproducibility contract: never renumber.
enum class StreamPurpose : uint32_t {
  kCellProfile = 1,        // persistent per-cell heterogeneity; entity = cell
  kSignals = 2,            // per (cell, tick) signal sampling; entity = tick << 32 | cell
  kChangeArrivals = 3,     // config-change arrival process; entity = stream index
  kChangeGroundTruth = 4,  // per-change good/bad and fault choice; entity = change id
  kCanaryPlacement = 5,    // where a change's canary buckets start; entity = change id
  kHumanResponse = 6,      // people: response times; entity = alert number
  kHostUpdates = 7,        // per-host update failures; entity = change id << 16 | step
  kStatusMix = 8,          // 3xx/4xx share of a group's requests; entity = change id << 24 | tick
  kFlagSplit = 9,          // feature-flag request split; entity = change id << 24 | tick
  kClusterSignals =
      10,  // aggregated per (cluster, tick) signal sampling; entity = tick << 32 | cluster
  // Commit flow (40..49): sim/commit_stream.h, sim/commit_pipeline.h.
  kCommitArrivals = 40,     // commit landing process (thinned Poisson); entity = 0
  kCommitGroundTruth = 41,  // per-commit bad/fault, CI catch/flake, risk score; entity = commit id
  kCommitTests = 42,        // CI re-runs; entity = commit id << 8 | attempt
  kCulpritSearch = 43,      // people finding a failed release's culprit; entity = release index
  kFaultRepair = 11,  // manual repair of hosts a fault keeps from the revert; entity = change id
  kAutomationFailure = 12,  // whether a change's automated stop is lost; entity = change id
  kMisdiagnosis = 13,       // people: misdiagnosis and its extra delay; entity = response number
  kColumnSignals =
      14,       // plain cells of one (region, bucket) summed per tick; entity = tick << 32 | column
  kTest = 255,  // reserved for tests and benchmarks
};

struct StreamKey {
  uint64_t seed = 0;
  uint32_t replica = 0;
  StreamPurpose purpose = StreamPurpose::kTest;
  uint64_t entity = 0;
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
