// The messages of ExecutePlan's protocol (plan_executor.h) and their encodings; private to
// plan_executor.cc, plan_worker.cc and their tests. Every message is a ByteWriter buffer
// (byte_codec.h); decoders report damage through ByteReader::ok().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/byte_codec.h"
#include "analysis/plan_executor.h"
#include "analysis/result_part.h"

namespace fleetsim::protocol {

enum Tag : int {
  kHello = 1,    // worker -> 0: loaded ok?, plan digest, threads, error message
  kStart = 2,    // 0 -> worker: exit code (0: run)
  kRequest = 3,  // worker -> 0: finished results; wants a chunk
  kChunk = 4,    // 0 -> worker: items to run (none: finish)
  kFinal = 5,    // worker -> 0: its last results and its RankStats
  kBye = 6,      // 0 -> worker: rank 0's exit code
};

// Results: count, then item and payload each.
void WriteResults(const std::vector<ResultRecord>& results, ByteWriter& out);
std::vector<ResultRecord> ReadResults(ByteReader& in);

// Items as runs of consecutive indices (a chunk of a contiguous pending list is one run).
std::string EncodeItems(const std::vector<int64_t>& items);
// Fails the reader for items outside [0, plan_items).
std::vector<int64_t> DecodeItems(ByteReader& in, int64_t plan_items);

// The fields a worker measures itself: threads, replicas, busy and wall seconds (rank 0 counts
// chunks, messages and bytes as they pass).
void WriteStats(const RankStats& stats, ByteWriter& out);
RankStats ReadStats(ByteReader& in);

}  // namespace fleetsim::protocol
