#include "sim/philox_blocks.h"

#include <algorithm>
#include <cassert>

namespace fleetsim {
namespace {

// Random123's Philox4x32 constants (Salmon et al., SC'11).
constexpr uint32_t kM0 = 0xD2511F53u;
constexpr uint32_t kM1 = 0xCD9E8D57u;
constexpr uint32_t kW0 = 0x9E3779B9u;
constexpr uint32_t kW1 = 0xBB67AE85u;
constexpr int kRounds = 10;
constexpr size_t kLanes = 16;

}  // namespace

__attribute__((target_clones("avx2", "default"))) void PhiloxBlocks(const StreamKey& key,
                                                                    uint32_t first_block,
                                                                    size_t n_blocks,
                                                                    uint32_t* out) {
  assert(first_block + n_blocks <= (size_t{1} << 24) && "random stream exhausted");
  const uint32_t purpose = (static_cast<uint32_t>(key.purpose) & 0xffu) << 24;
  const auto entity_lo = static_cast<uint32_t>(key.entity);
  const auto entity_hi = static_cast<uint32_t>(key.entity >> 32);
  for (size_t base = 0; base < n_blocks; base += kLanes) {
    uint32_t c0[kLanes], c1[kLanes], c2[kLanes], c3[kLanes];
    for (size_t i = 0; i < kLanes; ++i) {
      c0[i] = (first_block + static_cast<uint32_t>(base + i)) | purpose;
      c1[i] = key.replica;
      c2[i] = entity_lo;
      c3[i] = entity_hi;
    }
    uint32_t k0 = static_cast<uint32_t>(key.seed), k1 = static_cast<uint32_t>(key.seed >> 32);
    for (int r = 0; r < kRounds; ++r) {
      for (size_t i = 0; i < kLanes; ++i) {
        const uint64_t p0 = static_cast<uint64_t>(kM0) * c0[i];
        const uint64_t p1 = static_cast<uint64_t>(kM1) * c2[i];
        const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1[i] ^ k0;
        const auto n1 = static_cast<uint32_t>(p1);
        const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3[i] ^ k1;
        const auto n3 = static_cast<uint32_t>(p0);
        c0[i] = n0;
        c1[i] = n1;
        c2[i] = n2;
        c3[i] = n3;
      }
      k0 += kW0;
      k1 += kW1;
    }
    const size_t m = std::min(kLanes, n_blocks - base);
    for (size_t i = 0; i < m; ++i) {
      uint32_t* o = out + 4 * (base + i);
      o[0] = c0[i];
      o[1] = c1[i];
      o[2] = c2[i];
      o[3] = c3[i];
    }
  }
}

}  // namespace fleetsim
