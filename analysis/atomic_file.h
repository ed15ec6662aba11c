// Atomic whole-file writes for run outputs (results, reports), so that an interrupted or failed
// run never leaves a truncated or half-written file where a complete one is expected.
//
// Contract: WriteFileAtomically either replaces `path` with exactly `content` or leaves whatever
// was there before untouched; it never leaves a partial target and removes its temporary file on
// every failure path. Readers that opened the old file keep seeing the old content (the target
// is replaced by rename(2), not rewritten in place). Errors are returned as Status values whose
// message names the path and the strerror text. Safe to call concurrently from several threads,
// also for the same path (each call uses its own temporary file; the last rename wins).
// POSIX only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/status.h"

namespace fleetsim {

// kDurable: the content is on disk when the call returns (fsync before and after the rename);
// kNoSync: atomic against a crashed or killed process, not against a power cut, and never
// blocked by a slow fsync (an fsync on a busy ext4 can take seconds) -- for checkpoint parts,
// which carry a checksum and are skipped if a power cut damaged them (checkpoint.h).
enum class Durability : uint8_t { kDurable, kNoSync };

// Writes `content` to a temporary file in the directory of `path`
// ("<path>.tmp.<pid>.<counter>"), flushes and (kDurable) fsyncs it, then renames it over `path`.
// After a successful rename the directory is fsynced on a best-effort basis (kDurable).
Status WriteFileAtomically(const std::string& path, std::string_view content,
                           Durability durability = Durability::kDurable);

// Checks, without creating or modifying anything, that `path` could be written: its parent
// directory exists, is a directory and is writable, and `path` itself is not a directory.
// Meant for failing fast before a long run rather than after it.
Status CheckWritable(const std::string& path);

}  // namespace fleetsim
