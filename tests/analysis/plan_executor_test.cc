// ExecutePlan and its parts: guided chunks hand out every item once; a plan run by three ranks
// (threads of this process, over LocalTransports: the same protocol as MPI) gives exactly the
// results of one process, also for a shard and when resuming a checkpoint; the start collective
// names the rank that failed to load or loaded other inputs; launcher detection.
#include <catch2/catch.hpp>

#include <map>
#include <thread>

#include "analysis/executor_protocol.h"
#include "analysis/local_transport.h"
#include "analysis/mpi_session.h"
#include "analysis/plan_executor.h"
#include "analysis/replica_codec.h"
#include "analysis/work_queue.h"
#include "loader/scenario_loader.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

TEST_CASE("guided chunks hand out every item once, shrinking to single items", "[executor]") {
  std::vector<int64_t> pending;
  for (int64_t k = 0; k < 1000; k += 3) pending.push_back(k);  // holes, as after a checkpoint
  WorkQueue queue(pending, 4);
  std::vector<int64_t> seen;
  std::vector<size_t> sizes;
  for (int request = 0; queue.remaining() > 0; ++request) {
    const std::vector<int64_t> chunk = queue.Next(request % 2 == 0 ? 1 : 3);
    REQUIRE_FALSE(chunk.empty());
    sizes.push_back(chunk.size());
    seen.insert(seen.end(), chunk.begin(), chunk.end());
  }
  CHECK(seen == pending);
  CHECK(queue.Next(1).empty());
  CHECK(sizes.front() == (334 + 7) / 8);  // ceil(334 * 1 / (2 * 4))
  CHECK(sizes[1] == (292 * 3 + 7) / 8);   // a 3-thread rank gets 3 times the share
  CHECK(sizes.back() == 1);
  CHECK(sizes.size() < 60);  // few requests for 334 items
}

TEST_CASE("chunk items and rank statistics survive their encodings", "[executor]") {
  const std::vector<int64_t> items = {3, 4, 5, 9, 10, 40};
  const std::string bytes = protocol::EncodeItems(items);
  CHECK(bytes.size() <= 8);  // three runs of consecutive items
  ByteReader in(bytes);
  CHECK(protocol::DecodeItems(in, 41) == items);
  ByteReader out_of_plan(bytes);
  CHECK(protocol::DecodeItems(out_of_plan, 40).empty());
  CHECK_FALSE(out_of_plan.ok());
}

struct World {
  Scenario scenario;
  Policy staged, big_bang;
  RunPlan plan;
};

std::unique_ptr<World> TwoPolicyWorld(int replicas) {
  auto w = std::make_unique<World>();
  const std::string root = FLEETSIM_SOURCE_DIR;
  w->scenario = LoadScenario(root + "/scenarios/examples/mc-staged-change.yaml").value();
  w->staged = LoadPolicyFile(root + "/scenarios/policies/staged-15m.yaml").value();
  w->big_bang = LoadPolicyFile(root + "/scenarios/policies/big-bang.yaml").value();
  w->plan.Add(PlannedRun{"staged", &w->scenario, &w->staged, 7, replicas});
  w->plan.Add(PlannedRun{"big-bang", &w->scenario, &w->big_bang, 7, replicas});
  return w;
}

// Encoded results by item (empty where the item is absent).
std::vector<std::string> Encoded(const PlanResults& r) {
  std::vector<std::string> out;
  for (const std::optional<ReplicaResult>& item : r.items) {
    out.push_back(item ? EncodeReplica(*item) : "");
  }
  return out;
}

// Runs `plan` on `ranks` ranks (threads of this process), one thread each; rank 0's results.
PlanResults RunOnRanks(const RunPlan& plan, int ranks, ExecutionOptions rank0) {
  std::vector<std::unique_ptr<Transport>> transports = LocalTransports(ranks);
  const uint64_t digest = IdentifyPlan(plan).Digest();
  std::vector<Result<PlanResults>> results(ranks, Status::Error("not run"));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      const TeamStart start = JoinTeam(*transports[r], Status::Ok(), digest, 1, {}, {});
      if (start.exit_code != 0) return;
      ExecutionOptions o = r == 0 ? rank0 : ExecutionOptions{};
      o.threads = 1;
      o.transport = transports[r].get();
      o.rank_threads = start.rank_threads;
      results[r] = ExecutePlan(plan, o);
      FinishTeam(*transports[r], 0, {}, {});
    });
  }
  for (std::thread& t : threads) t.join();
  for (int r = 1; r < ranks; ++r) {
    REQUIRE(results[r].ok());
    CHECK_FALSE(results[r].value().root);
  }
  REQUIRE(results[0].ok());
  return std::move(results[0]).value();
}

TEST_CASE("three ranks compute exactly what one process computes", "[executor]") {
  std::unique_ptr<World> w = TwoPolicyWorld(12);
  ExecutionOptions alone;
  alone.threads = 2;
  Result<PlanResults> one = ExecutePlan(w->plan, alone);
  REQUIRE(one.ok());
  CHECK(one.value().total == 24);
  const std::vector<std::string> expected = Encoded(one.value());
  for (const std::string& e : expected) CHECK_FALSE(e.empty());
  // The executor computes what RunReplicas (the plain TBB loop) computes, run by run.
  std::vector<std::string> plain;
  for (const PlannedRun& run : w->plan.runs()) {
    RunOptions options;
    options.replicas = run.replicas;
    options.seed = run.seed;
    options.threads = 2;
    for (const ReplicaResult& r : RunReplicas(*run.scenario, *run.policy, options)) {
      plain.push_back(EncodeReplica(r));
    }
  }
  CHECK(plain == expected);

  const PlanResults three = RunOnRanks(w->plan, 3, ExecutionOptions{});
  CHECK(Encoded(three) == expected);
  REQUIRE(three.ranks.size() == 3);
  int64_t replicas = 0, bytes = 0;
  for (const RankStats& s : three.ranks) {
    replicas += s.replicas;
    CHECK(s.threads == 1);
    if (s.rank == 0) CHECK(s.messages == 0);
    if (s.rank != 0) {
      CHECK(s.messages >= 1);  // at least the final message
      bytes += s.result_bytes;
    }
  }
  CHECK(replicas == 24);
  CHECK(bytes > 0);
  CHECK(three.wall_seconds > 0);
  // A different seed changes the results: the comparison above can fail.
  std::unique_ptr<World> other = TwoPolicyWorld(12);
  RunPlan reseeded;
  reseeded.Add(PlannedRun{"staged", &other->scenario, &other->staged, 8, 12});
  reseeded.Add(PlannedRun{"big-bang", &other->scenario, &other->big_bang, 8, 12});
  CHECK(Encoded(ExecutePlan(reseeded, alone).value()) != expected);
}

TEST_CASE("a shard over ranks, resumed from a checkpoint, still matches", "[executor]") {
  std::unique_ptr<World> w = TwoPolicyWorld(10);
  const std::vector<std::string> expected = Encoded(ExecutePlan(w->plan, {}).value());
  const std::filesystem::path dir = testing::FreshTempDir("executor-checkpoint");
  const RunIdentity id = IdentifyPlan(w->plan);
  {  // the first run covers shard 0 of 2 (alone) and keeps it in the checkpoint
    auto c = Checkpoint::Open(dir.string(), id, {}, w->plan.items()).value();
    ExecutionOptions o;
    o.shard_index = 0;
    o.shard_count = 2;
    o.checkpoint = c.get();
    o.keep_payloads = true;
    PlanResults shard = ExecutePlan(w->plan, o).value();
    CHECK(shard.total == 10);
    for (int64_t k = 0; k < w->plan.items(); ++k) {
      CHECK(shard.items[k].has_value() == (k % 2 == 0));
      if (k % 2 == 0) CHECK(shard.payloads[k] == expected[k]);
    }
  }
  // The whole run on three ranks resumes those 10 and computes the other 10.
  auto c = Checkpoint::Open(dir.string(), id, {}, w->plan.items()).value();
  ExecutionOptions o;
  o.checkpoint = c.get();
  const PlanResults all = RunOnRanks(w->plan, 3, o);
  CHECK(all.resumed == 10);
  CHECK(Encoded(all) == expected);
  int64_t computed = 0;
  for (const RankStats& s : all.ranks) computed += s.replicas;
  CHECK(computed == 10);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the start collective names the rank that failed or loaded other inputs", "[executor]") {
  auto start = [](std::vector<Status> loaded, std::vector<uint64_t> digests) {
    std::vector<std::unique_ptr<Transport>> t = LocalTransports(3);
    std::vector<TeamStart> out(3);
    std::vector<std::thread> threads;
    for (int r = 0; r < 3; ++r) {
      threads.emplace_back(
          [&, r] { out[r] = JoinTeam(*t[r], loaded[r], digests[r], r + 1, {}, {}); });
    }
    for (std::thread& th : threads) th.join();
    for (int r = 1; r < 3; ++r) {
      CHECK(out[r].exit_code == out[0].exit_code);  // every rank exits alike
      CHECK(out[r].message.empty());                // only rank 0 speaks
    }
    return out[0];
  };
  const TeamStart ok = start({Status::Ok(), Status::Ok(), Status::Ok()}, {5, 5, 5});
  CHECK(ok.exit_code == 0);
  CHECK(ok.rank_threads == std::vector<int>{1, 2, 3});
  const TeamStart failed = start(
      {Status::Ok(), Status::Ok(), Status::Error("x.yaml:3:1: unknown key 'fleeet'")}, {5, 5, 0});
  CHECK(failed.exit_code == 2);
  CHECK_THAT(failed.message, Catch::Contains("rank 2: x.yaml:3:1: unknown key 'fleeet'"));
  const TeamStart own =
      start({Status::Error("bad input"), Status::Error("bad input"), Status::Error("bad input")},
            {0, 0, 0});
  CHECK(own.exit_code == 2);
  CHECK(own.message == "bad input");  // said once, not once per rank
  const TeamStart mismatch = start({Status::Ok(), Status::Ok(), Status::Ok()}, {5, 6, 5});
  CHECK(mismatch.exit_code == 2);
  CHECK_THAT(mismatch.message, Catch::Contains("rank 1 loaded other runs than rank 0"));
}

TEST_CASE("launcher detection reads the world size MPI launchers announce", "[executor]") {
  auto env = [](std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  };
  CHECK(LauncherRanks(env({})) == 0);
  CHECK(LauncherRanks(env({{"OMPI_COMM_WORLD_SIZE", "3"}})) == 3);
  CHECK(LauncherRanks(env({{"PMI_SIZE", "64"}})) == 64);
  CHECK(LauncherRanks(env({{"PMIX_SIZE", "1"}})) == 1);
  CHECK(LauncherRanks(env({{"OMPI_COMM_WORLD_SIZE", "x"}})) == 0);
  CHECK(LauncherRanks(env({{"SLURM_NTASKS", "8"}})) == 0);  // a batch script is one process
  CHECK_THAT(NotBuiltWithMpiMessage(4), Catch::Contains("built without MPI support") &&
                                            Catch::Contains("one of 4") &&
                                            Catch::Contains("--shard I/N"));
}

}  // namespace
}  // namespace fleetsim
