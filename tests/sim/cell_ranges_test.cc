// Tests for sim/cell_ranges: the fixed partition of cells into ranges of whole evaluation groups
// (never splitting a group, at least kMinCells cells each but the last, one range when groups
// are not contiguous), and ForEachRange, which must run every range exactly once and really in
// parallel on the arena it is called from, including the arena shape ReplicaPool uses (no
// thread reserved for the caller, tasks enqueued): one replica on two threads uses both.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <catch2/catch.hpp>

#include "sim/cell_ranges.h"

namespace fleetsim {
namespace {

std::vector<int> Groups(const std::vector<std::pair<int, size_t>>& runs) {
  std::vector<int> g;
  for (const auto& [group, cells] : runs) g.insert(g.end(), cells, group);
  return g;
}

TEST_CASE("cell ranges are runs of whole groups of at least kMinCells cells", "[cell_ranges]") {
  // 8 groups of 300 cells: ranges of 2 groups (600 >= 512); 2,400 cells in 4 ranges.
  std::vector<std::pair<int, size_t>> runs;
  for (int g = 0; g < 8; ++g) runs.emplace_back(g, 300);
  const std::vector<int> groups = Groups(runs);
  CellRanges ranges;
  ranges.Build(groups);
  REQUIRE(ranges.size() == 4);
  size_t next = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    CHECK(ranges.first(i) == next);
    CHECK(ranges.last(i) - ranges.first(i) == 600);
    // A range starts where a group starts and ends where one ends.
    CHECK((ranges.first(i) == 0 || groups[ranges.first(i)] != groups[ranges.first(i) - 1]));
    next = ranges.last(i);
  }
  CHECK(next == groups.size());

  // One big group is never split; a small tail makes its own (smaller) last range.
  ranges.Build(Groups({{0, 5000}, {1, 100}}));
  REQUIRE(ranges.size() == 2);
  CHECK(ranges.last(0) == 5000);
  CHECK(ranges.last(1) == 5100);

  // A group that comes back later (not one run of cells): one range.
  ranges.Build(Groups({{0, 600}, {1, 600}, {0, 600}}));
  CHECK(ranges.size() == 1);
  CHECK(ranges.last(0) == 1800);

  ranges.Build({});
  CHECK(ranges.size() == 0);
}

// Runs ForEachRange over `n_ranges` ranges where every range waits (up to 20 s) until two
// ranges are running at the same time; returns whether that happened, and counts visits.
bool TwoRangesRanTogether(const CellRanges& ranges, std::vector<int>& visits) {
  std::atomic<int> running{0};
  std::atomic<bool> together{false};
  std::mutex m;
  ranges.ForEachRange([&](size_t i) {
    {
      std::lock_guard<std::mutex> lock(m);
      ++visits[i];
    }
    if (++running >= 2) together = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!together && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    --running;
  });
  return together;
}

TEST_CASE("ForEachRange runs every range once, two at a time on a two-thread arena",
          "[cell_ranges]") {
  std::vector<std::pair<int, size_t>> runs;
  for (int g = 0; g < 6; ++g) runs.emplace_back(g, 512);
  CellRanges ranges;
  ranges.Build(Groups(runs));
  REQUIRE(ranges.size() == 6);

  SECTION("an arena entered by its caller (RunReplicas)") {
    tbb::task_arena arena(2);
    std::vector<int> visits(6, 0);
    bool together = false;
    arena.execute([&] { together = TwoRangesRanTogether(ranges, visits); });
    CHECK(together);
    CHECK(visits == std::vector<int>(6, 1));
  }
  SECTION("a task enqueued on an arena of two workers (ReplicaPool)") {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 3);
    tbb::task_arena arena(2, 0);
    std::vector<int> visits(6, 0);
    std::atomic<int> done{0};
    std::atomic<bool> together{false};
    arena.enqueue([&] {
      together = TwoRangesRanTogether(ranges, visits);
      done = 1;
    });
    while (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(together);
    CHECK(visits == std::vector<int>(6, 1));
  }
  SECTION("one thread: every range still runs, one at a time") {
    tbb::task_arena arena(1);
    std::atomic<int> running{0}, most{0}, count{0};
    arena.execute([&] {
      ranges.ForEachRange([&](size_t) {
        const int now = ++running;
        most = std::max(most.load(), now);
        ++count;
        --running;
      });
    });
    CHECK(count == 6);
    CHECK(most == 1);
  }
}

}  // namespace
}  // namespace fleetsim
