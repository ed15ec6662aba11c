// PhiloxBlocks: many consecutive blocks of one RandomStream at once, for the sweeps that need
// one or two random words per cell (the signal sampler's table draws).
//
// Fills out[4 j .. 4 j + 3] with block first_block + j of the stream `key` — bit for bit what
// RandomStream(key) yields as its words 4 (first_block + j) .. 4 (first_block + j) + 3 (Random123's
// Philox4x32-10; tests compare the two). The rounds run over lanes of independent blocks so the
// compiler vectorises them (32x32->64-bit multiplies: SSE2 two lanes, AVX2 four, chosen at run
// time by function multiversioning); the values never depend on which version runs.
//
// A stream holds 2^24 blocks: first_block + n_blocks <= 2^24. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/random_stream.h"

namespace fleetsim {

void PhiloxBlocks(const StreamKey& key, uint32_t first_block, size_t n_blocks, uint32_t* out);

}  // namespace fleetsim
