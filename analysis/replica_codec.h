// Replica codec: one ReplicaResult as compact bytes, and back, bit for bit.
//
// This is what crosses MPI ranks (plan_executor.h), what `--shard` part files and
// `--checkpoint` directories hold (result_part.h), and what `fleetsim merge` reads; one format
// serves all three, so a result computed anywhere decodes to exactly the value the reducing
// process would have computed itself, and every report rendered from it is byte-identical.
//
// Layout (format kReplicaCodecVersion; all integers varints, byte_codec.h): the replica's
// totals; a table of the distinct strings its outcomes use (labels, fault and stage names),
// referenced by index; then each ChangeOutcome as a presence bitmask followed by the present
// fields only, with ids and instants delta-coded (ids from the previous change, instants from the
// change's arrival), so a good change that completed costs ~30 bytes; then the commit flow, if
// any. Doubles keep their exact bit pattern. The encoding is a pure function of the value.
//
// Decoding validates: enum values in range, counts bounded by the input, no trailing bytes; a
// damaged input gives an error, never a partly filled result. Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>

#include "analysis/monte_carlo.h"
#include "sim/status.h"

namespace fleetsim {

// Bumped whenever the layout changes; part files record it (result_part.h).
inline constexpr int kReplicaCodecVersion = 2;

std::string EncodeReplica(const ReplicaResult& result);
Result<ReplicaResult> DecodeReplica(std::string_view bytes);

}  // namespace fleetsim
