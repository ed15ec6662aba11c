#include "analysis/shard_merge.h"

#include <map>

#include "analysis/replica_codec.h"

namespace fleetsim {
namespace {

std::string ShardName(const ResultPart& p) {
  return std::to_string(p.shard_index) + "/" + std::to_string(p.shard_count);
}

std::string InvocationText(const Invocation& invocation) {
  std::string s;
  for (const auto& [key, value] : invocation) s += (s.empty() ? "" : " ") + key + "=" + value;
  return s;
}

}  // namespace

Status CheckShardSet(const std::vector<NamedPart>& parts) {
  if (parts.empty()) return Status::Error("merge: no part files given");
  const NamedPart& first = parts.front();
  std::map<int, std::string> seen;
  for (const NamedPart& p : parts) {
    if (p.part.kind != PartKind::kShard) {
      return Status::Error(p.file +
                           " is a checkpoint part, not a --shard part; merge takes the "
                           "files written by --shard I/N runs");
    }
    if (const std::string d = p.part.identity.Difference(first.part.identity); !d.empty()) {
      return Status::Error(p.file + " belongs to another run than " + first.file + ": " + d);
    }
    if (p.part.invocation != first.part.invocation) {
      return Status::Error(p.file + " was made by another command than " + first.file + " ('" +
                           InvocationText(p.part.invocation) + "', not '" +
                           InvocationText(first.part.invocation) + "')");
    }
    if (p.part.shard_count != first.part.shard_count) {
      return Status::Error(p.file + " is shard " + ShardName(p.part) + " but " + first.file +
                           " is shard " + ShardName(first.part) +
                           ": every part must come from the same --shard I/N split");
    }
    auto [it, inserted] = seen.emplace(p.part.shard_index, p.file);
    if (!inserted) {
      return Status::Error("shard " + ShardName(p.part) + " given twice: " + it->second + " and " +
                           p.file);
    }
  }
  std::string missing;
  int count = 0;
  for (int i = 0; i < first.part.shard_count; ++i) {
    if (seen.count(i)) continue;
    if (++count <= 10) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
  }
  if (count > 0) {
    return Status::Error("missing " + std::to_string(count) + " of " +
                         std::to_string(first.part.shard_count) + " shards: " + missing +
                         (count > 10 ? ", ..." : "") + " (shards are numbered from 0)");
  }
  return Status::Ok();
}

Result<PlanResults> AssembleShards(const std::vector<NamedPart>& parts, const RunPlan& plan,
                                   const RunIdentity& identity) {
  if (Status st = CheckShardSet(parts); !st.ok()) return st;
  if (const std::string d = parts.front().part.identity.Difference(identity); !d.empty()) {
    return Status::Error(parts.front().file +
                         ": its run differs from the one its command loads now (" + d +
                         "): were the scenario or policy files edited since the shards ran?");
  }
  PlanResults out;
  out.items.resize(plan.items());
  out.total = plan.items();
  for (const NamedPart& p : parts) {
    const int n = p.part.shard_count, index = p.part.shard_index;
    int64_t expected = 0;
    for (int64_t k = index; k < plan.items(); k += n) ++expected;
    for (const ResultRecord& r : p.part.records) {
      if (r.item >= plan.items() || r.item % n != index) {
        return Status::Error(p.file + ": item " + std::to_string(r.item) +
                             " does not belong to shard " + ShardName(p.part));
      }
      Result<ReplicaResult> decoded = DecodeReplica(r.payload);
      if (!decoded.ok()) {
        return Status::Error(p.file + ": item " + std::to_string(r.item) + ": " +
                             decoded.status().message());
      }
      out.items[r.item] = std::move(decoded).value();
    }
    if (static_cast<int64_t>(p.part.records.size()) != expected) {
      return Status::Error(p.file + ": shard " + ShardName(p.part) + " should hold " +
                           std::to_string(expected) + " replicas, it holds " +
                           std::to_string(p.part.records.size()));
    }
  }
  return out;
}

}  // namespace fleetsim
