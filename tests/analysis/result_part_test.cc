// Part files (shards and checkpoints): the format round-trips, damage and other formats are
// refused, a checkpoint resumes only its own run, and a shard set must be complete and
// consistent before merge combines it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "analysis/checkpoint.h"
#include "analysis/replica_codec.h"
#include "analysis/result_part.h"
#include "analysis/shard_merge.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

RunIdentity Identity(const std::string& run = "staged | scenario s 1 | seed 1 | replicas 4") {
  RunIdentity id;
  id.build = "fleetsim test build";
  id.runs = {run, "second run\nwith a newline and a \\ backslash"};
  return id;
}

std::string Payload(uint32_t replica) {
  ReplicaResult r;
  r.replica = replica;
  r.fleet_requests = 1000 + replica;
  return EncodeReplica(r);
}

ResultPart Shard(int index, int count, int64_t items, const RunIdentity& id = Identity()) {
  ResultPart p;
  p.kind = PartKind::kShard;
  p.shard_index = index;
  p.shard_count = count;
  p.identity = id;
  p.invocation = {{"command", "run"}, {"scenario", "dir with space/s.yaml"}};
  for (int64_t k = index; k < items; k += count) p.records.push_back({k, Payload(k)});
  return p;
}

TEST_CASE("a part file round-trips its header and records", "[part]") {
  const ResultPart p = Shard(1, 3, 10);
  Result<ResultPart> q = ParsePart(RenderPart(p), "p.part");
  REQUIRE(q.ok());
  CHECK(q.value().kind == PartKind::kShard);
  CHECK(q.value().shard_index == 1);
  CHECK(q.value().shard_count == 3);
  CHECK(q.value().identity == p.identity);
  CHECK(q.value().invocation == p.invocation);
  REQUIRE(q.value().records.size() == 3);
  CHECK(q.value().records[2].item == 7);
  CHECK(q.value().records[2].payload == Payload(7));
  CHECK(RenderPart(q.value()) == RenderPart(p));
  // The header is readable text.
  CHECK(RenderPart(p).rfind("fleetsim results 1\nkind: shard\nshard: 1/3\n", 0) == 0);
}

TEST_CASE("a damaged, truncated or foreign part is refused with a message", "[part]") {
  const std::string bytes = RenderPart(Shard(0, 2, 9));
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
    INFO("byte " << i);
    CHECK_FALSE(ParsePart(damaged, "d.part").ok());
  }
  CHECK_THAT(ParsePart(bytes.substr(0, bytes.size() - 3), "t.part").status().message(),
             Catch::Contains("t.part") && Catch::Contains("truncated or damaged"));
  std::string other_version = bytes;
  other_version.replace(0, 18, "fleetsim results 9");
  CHECK_THAT(ParsePart(other_version, "v.part").status().message(),
             Catch::Contains("format 9; this fleetsim reads 1"));
  CHECK_THAT(ParsePart("hello", "x.part").status().message(),
             Catch::Contains("not a fleetsim result part"));
}

TEST_CASE("a checkpoint resumes its own run and refuses another's", "[part][checkpoint]") {
  const fs::path dir = testing::FreshTempDir("checkpoint");
  const RunIdentity id = Identity();
  {
    Result<std::unique_ptr<Checkpoint>> c = Checkpoint::Open((dir / "ck").string(), id, {}, 10);
    REQUIRE(c.ok());
    CHECK(c.value()->TakeResumed().empty());
    c.value()->Add(4, Payload(4));
    c.value()->Add(1, Payload(1));
    REQUIRE(c.value()->Flush().ok());
    c.value()->Add(7, Payload(7));
    REQUIRE(c.value()->Flush().ok());
    REQUIRE(c.value()->Flush().ok());  // nothing pending: no empty part
  }
  int parts = 0;
  for (const auto& e : fs::directory_iterator(dir / "ck")) parts += e.path().extension() == ".part";
  CHECK(parts == 2);
  {
    Result<std::unique_ptr<Checkpoint>> c = Checkpoint::Open((dir / "ck").string(), id, {}, 10);
    REQUIRE(c.ok());
    const std::vector<ResultRecord> resumed = c.value()->TakeResumed();
    REQUIRE(resumed.size() == 3);
    CHECK(resumed[0].item == 1);
    CHECK(resumed[1].item == 4);
    CHECK(resumed[2].item == 7);
    CHECK(resumed[2].payload == Payload(7));
  }
  // Another run (here: another replica count) is refused, naming what differs.
  Result<std::unique_ptr<Checkpoint>> other = Checkpoint::Open(
      (dir / "ck").string(), Identity("staged | scenario s 1 | seed 1 | replicas 5"), {}, 10);
  REQUIRE_FALSE(other.ok());
  CHECK_THAT(other.status().message(),
             Catch::Contains("holds results of another run") && Catch::Contains("replicas 5"));
  // A damaged part is skipped with a warning (its replicas run again); leftovers of an
  // interrupted write are ignored.
  std::ofstream(dir / "ck" / "results-1-99.part") << "fleetsim results 1\ngarbage";
  std::ofstream(dir / "ck" / "results-1-98.part.tmp.1.0") << "half";
  Result<std::unique_ptr<Checkpoint>> again = Checkpoint::Open((dir / "ck").string(), id, {}, 10);
  REQUIRE(again.ok());
  CHECK(again.value()->TakeResumed().size() == 3);
  REQUIRE(again.value()->warnings().size() == 1);
  CHECK_THAT(again.value()->warnings()[0], Catch::Contains("results-1-99.part"));
  fs::remove_all(dir);
}

TEST_CASE("a shard set must be complete, unique and of one run", "[part][merge]") {
  auto named = [](const ResultPart& p, const std::string& file) { return NamedPart{file, p}; };
  const std::vector<NamedPart> full = {named(Shard(2, 3, 10), "c"), named(Shard(0, 3, 10), "a"),
                                       named(Shard(1, 3, 10), "b")};
  CHECK(CheckShardSet(full).ok());
  CHECK_THAT(CheckShardSet({full[0], full[1]}).message(),
             Catch::Contains("missing 1 of 3 shards: 1"));
  CHECK_THAT(CheckShardSet({full[0], full[1], full[2], full[1]}).message(),
             Catch::Contains("shard 0/3 given twice: a and a"));
  CHECK_THAT(CheckShardSet({full[1], named(Shard(1, 4, 10), "d")}).message(),
             Catch::Contains("d is shard 1/4 but a is shard 0/3"));
  CHECK_THAT(
      CheckShardSet({full[1], named(Shard(1, 3, 10, Identity("another run")), "e")}).message(),
      Catch::Contains("e belongs to another run than a") && Catch::Contains("another run"));
  ResultPart other_command = Shard(1, 3, 10);
  other_command.invocation[0].second = "compare";
  CHECK_THAT(CheckShardSet({full[1], named(other_command, "f")}).message(),
             Catch::Contains("f was made by another command than a"));
  ResultPart checkpoint = Shard(1, 3, 10);
  checkpoint.kind = PartKind::kCheckpoint;
  CHECK_THAT(CheckShardSet({named(checkpoint, "g")}).message(),
             Catch::Contains("g is a checkpoint part"));
  CHECK_THAT(CheckShardSet({}).message(), Catch::Contains("no part files"));
}

}  // namespace
}  // namespace fleetsim
