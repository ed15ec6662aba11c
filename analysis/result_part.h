// ResultPart: finished replica results on disk, with the identity of the run they belong to.
//
// One versioned format for both uses: a `--shard I/N` run writes its items as one part
// (kShard; `fleetsim merge` combines the N parts), and `--checkpoint DIR` keeps finished items as
// parts (kCheckpoint; checkpoint.h). A part is a readable text header, then the records, then a
// checksum:
//
//   fleetsim results 1                       format version (kPartFormatVersion)
//   kind: shard                              or checkpoint
//   shard: 2/8                               shard parts only (index from 0)
//   codec: 1                                 replica codec version (replica_codec.h)
//   build: fleetsim 0.1.0, executable ...    RunIdentity (run_plan.h)
//   run: <label> | scenario ... | seed 1 | replicas 40        one line per run
//   invocation: command=run                  the command that made it, as key=value lines
//   identity: <digest>                       of build + runs, to refuse a mismatch quickly
//   records: 12
//   (empty line)
//   binary: per record varint item, varint size, EncodeReplica bytes; items ascending
//   8 bytes: FNV-1a of everything before (little endian)
//
// Header values are escaped (\n, \\) so any path or label fits on one line. ParsePart refuses
// another format version, a bad checksum (truncated or damaged file), a digest that does not
// match the lines, and records out of order or duplicated, each with a message naming the file.
// Values; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/run_plan.h"
#include "sim/status.h"

namespace fleetsim {

inline constexpr int kPartFormatVersion = 1;

enum class PartKind : uint8_t { kShard, kCheckpoint };

// The command line that made a part, as ordered key/value pairs (cli/invocation.cc), so
// `fleetsim merge` can rebuild the same runs and report them as that command would have.
using Invocation = std::vector<std::pair<std::string, std::string>>;

struct ResultRecord {
  int64_t item = 0;
  std::string payload;  // EncodeReplica bytes
};

struct ResultPart {
  PartKind kind = PartKind::kShard;
  int shard_index = 0;  // kShard: this part holds the items k with k % shard_count == index
  int shard_count = 1;
  RunIdentity identity;
  Invocation invocation;
  std::vector<ResultRecord> records;  // ascending item
};

std::string RenderPart(const ResultPart& part);
// `file` names the source in error messages.
Result<ResultPart> ParsePart(std::string_view bytes, const std::string& file);

Result<ResultPart> ReadPartFile(const std::string& path);
// Atomically (atomic_file.h): durably for a shard part (the job's output), without fsync for a
// checkpoint part (its checksum guards against a power cut; checkpoint.h).
Status WritePartFile(const std::string& path, const ResultPart& part);

}  // namespace fleetsim
