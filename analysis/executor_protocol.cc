#include "analysis/executor_protocol.h"

namespace fleetsim::protocol {

void WriteResults(const std::vector<ResultRecord>& results, ByteWriter& out) {
  out.Varint(results.size());
  for (const ResultRecord& r : results) {
    out.Varint(static_cast<uint64_t>(r.item));
    out.Bytes(r.payload);
  }
}

std::vector<ResultRecord> ReadResults(ByteReader& in) {
  std::vector<ResultRecord> out(in.Bounded(in.remaining() / 2));
  for (ResultRecord& r : out) {
    r.item = static_cast<int64_t>(in.Bounded(uint64_t{1} << 62));
    r.payload = std::string(in.Bytes());
  }
  if (!in.ok()) out.clear();
  return out;
}

std::string EncodeItems(const std::vector<int64_t>& items) {
  ByteWriter out;
  std::vector<std::pair<int64_t, int64_t>> runs;  // (first, length)
  for (int64_t item : items) {
    if (!runs.empty() && runs.back().first + runs.back().second == item) {
      ++runs.back().second;
    } else {
      runs.emplace_back(item, 1);
    }
  }
  out.Varint(runs.size());
  int64_t end = 0;
  for (const auto& [first, length] : runs) {
    out.Signed(first - end);
    out.Varint(static_cast<uint64_t>(length));
    end = first + length;
  }
  return out.Take();
}

std::vector<int64_t> DecodeItems(ByteReader& in, int64_t plan_items) {
  std::vector<int64_t> items;
  const uint64_t runs = in.Bounded(in.remaining() / 2);
  int64_t end = 0;
  for (uint64_t i = 0; i < runs && in.ok(); ++i) {
    const int64_t first = end + in.Signed();
    const auto length = static_cast<int64_t>(in.Bounded(static_cast<uint64_t>(plan_items)));
    if (first < 0 || first + length > plan_items) {
      in.Fail();
      break;
    }
    for (int64_t k = 0; k < length; ++k) items.push_back(first + k);
    end = first + length;
  }
  if (!in.ok()) items.clear();
  return items;
}

void WriteStats(const RankStats& s, ByteWriter& out) {
  out.Varint(static_cast<uint64_t>(s.threads));
  out.Varint(static_cast<uint64_t>(s.replicas));
  out.Double(s.busy_seconds);
  out.Double(s.wall_seconds);
}

RankStats ReadStats(ByteReader& in) {
  RankStats s;
  s.threads = static_cast<int>(in.Bounded(1 << 20));
  s.replicas = static_cast<int64_t>(in.Bounded(uint64_t{1} << 62));
  s.busy_seconds = in.Double();
  s.wall_seconds = in.Double();
  return s;
}

}  // namespace fleetsim::protocol
