// Tests for sim/event_queue.h (DESIGN §4.2): events pop in (time, sequence) order, ties run in
// scheduling order even when pushes and pops interleave, Cancel works by tombstone and reports
// whether it cancelled anything, size()/empty()/NextTime() see only live events. Reference
// values are hand-written orders, and a randomized run compares the queue op by op with an
// independent reference model (std::multimap keyed by (time, scheduling sequence)).
#include "sim/event_queue.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/random_stream.h"

namespace fleetsim {
namespace {

using Queue = EventQueue<int>;

std::vector<int> DrainPayloads(Queue& q) {
  std::vector<int> out;
  while (auto e = q.Pop()) out.push_back(e->payload);
  return out;
}

TEST_CASE("events pop in time order", "[event_queue]") {
  Queue q;
  q.Schedule(SimTime::Minutes(5), 5);
  q.Schedule(SimTime::Seconds(1), 1);
  q.Schedule(SimTime::Hours(1), 60);
  q.Schedule(SimTime::Millis(0), 0);
  q.Schedule(SimTime::Minutes(2), 2);
  std::vector<SimTime> times;
  while (auto e = q.Pop()) times.push_back(e->time);
  REQUIRE(times == std::vector<SimTime>{SimTime::Zero(), SimTime::Seconds(1), SimTime::Minutes(2),
                                        SimTime::Minutes(5), SimTime::Hours(1)});
  CHECK_FALSE(q.Pop().has_value());
}

TEST_CASE("ties run in scheduling order", "[event_queue]") {
  Queue q;
  const SimTime t = SimTime::Minutes(1);
  for (int i = 0; i < 50; ++i) q.Schedule(t, i);
  std::vector<int> expected(50);
  for (int i = 0; i < 50; ++i) expected[i] = i;
  CHECK(DrainPayloads(q) == expected);
}

TEST_CASE("ties stay FIFO when pushes and pops interleave", "[event_queue]") {
  Queue q;
  const SimTime t = SimTime::Minutes(1);
  q.Schedule(t, 0);
  q.Schedule(t, 1);
  q.Schedule(SimTime::Minutes(2), 100);
  q.Schedule(t, 2);
  auto first = q.Pop();
  REQUIRE(first);
  CHECK(first->payload == 0);
  // Scheduled after 1 and 2 at the same time: must run after them.
  q.Schedule(t, 3);
  q.Schedule(SimTime::Seconds(30), -1);  // earlier time still comes first
  q.Schedule(t, 4);
  CHECK(DrainPayloads(q) == std::vector<int>{-1, 1, 2, 3, 4, 100});
}

TEST_CASE("ids increase in scheduling order and Pop reports them", "[event_queue]") {
  Queue q;
  const EventId a = q.Schedule(SimTime::Minutes(3), 1);
  const EventId b = q.Schedule(SimTime::Minutes(1), 2);
  CHECK(b > a);
  auto e = q.Pop();
  REQUIRE(e);
  CHECK(e->id == b);
  CHECK(e->time == SimTime::Minutes(1));
  e = q.Pop();
  REQUIRE(e);
  CHECK(e->id == a);
}

TEST_CASE("Cancel of a pending event: true once, and the event never pops", "[event_queue]") {
  Queue q;
  q.Schedule(SimTime::Minutes(1), 1);
  const EventId victim = q.Schedule(SimTime::Minutes(2), 2);
  q.Schedule(SimTime::Minutes(3), 3);
  REQUIRE(q.size() == 3);
  CHECK(q.Cancel(victim));
  CHECK(q.size() == 2);
  CHECK_FALSE(q.Cancel(victim));  // twice
  CHECK(q.size() == 2);
  CHECK(DrainPayloads(q) == std::vector<int>{1, 3});
  CHECK_FALSE(q.Cancel(victim));  // still false after the queue drained
}

TEST_CASE("Cancel after the event ran or of an unknown id returns false", "[event_queue]") {
  Queue q;
  const EventId a = q.Schedule(SimTime::Minutes(1), 1);
  const EventId b = q.Schedule(SimTime::Minutes(2), 2);
  auto e = q.Pop();
  REQUIRE(e);
  REQUIRE(e->id == a);
  CHECK_FALSE(q.Cancel(a));  // already ran
  CHECK(q.size() == 1);
  CHECK_FALSE(q.Cancel(b + 1));     // never scheduled
  CHECK_FALSE(q.Cancel(b + 1000));  // never scheduled
  CHECK(q.size() == 1);
  // An id issued later is a different event: cancelling it works and leaves b alone.
  const EventId c = q.Schedule(SimTime::Minutes(3), 3);
  CHECK(c > b);
  CHECK(q.Cancel(c));
  CHECK(DrainPayloads(q) == std::vector<int>{2});
  Queue empty;
  CHECK_FALSE(empty.Cancel(0));
}

TEST_CASE("size() and empty() track live events only", "[event_queue]") {
  Queue q;
  CHECK(q.empty());
  CHECK(q.size() == 0);
  std::vector<EventId> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(q.Schedule(SimTime::Minutes(i), i));
  CHECK(q.size() == 10);
  CHECK_FALSE(q.empty());
  for (int i = 0; i < 10; i += 2) REQUIRE(q.Cancel(ids[i]));
  CHECK(q.size() == 5);
  REQUIRE(q.Pop());
  CHECK(q.size() == 4);
  for (int i = 3; i < 10; i += 2) REQUIRE(q.Cancel(ids[i]));
  CHECK(q.size() == 0);
  CHECK(q.empty());  // tombstones remain in the heap but are not counted
  CHECK_FALSE(q.Pop().has_value());
}

TEST_CASE("NextTime skips tombstones", "[event_queue]") {
  Queue q;
  CHECK(q.NextTime() == SimTime::Max());
  const EventId a = q.Schedule(SimTime::Minutes(1), 1);
  const EventId b = q.Schedule(SimTime::Minutes(2), 2);
  q.Schedule(SimTime::Minutes(7), 7);
  CHECK(q.NextTime() == SimTime::Minutes(1));
  REQUIRE(q.Cancel(a));
  CHECK(q.NextTime() == SimTime::Minutes(2));
  REQUIRE(q.Cancel(b));
  CHECK(q.NextTime() == SimTime::Minutes(7));
  auto e = q.Pop();
  REQUIRE(e);
  CHECK(e->payload == 7);
  CHECK(q.NextTime() == SimTime::Max());
}

// The queue against an independent reference model over ~100k random operations: schedules
// at a few distinct times (many ties), pops, cancels of random ids (pending, done, cancelled,
// or never issued), and full drains (which let the queue release its slots) every so often.
TEST_CASE("randomized comparison with a multimap reference", "[event_queue]") {
  RandomStream rng(StreamKey{20240601, 0, StreamPurpose::kTest, 1});
  Queue q;
  // Reference: pending events keyed by (time ms, scheduling sequence) -> payload, and the key
  // of every id ever issued (to find pending ones on Cancel).
  std::multimap<std::pair<int64_t, uint64_t>, int> ref;
  std::map<EventId, std::pair<int64_t, uint64_t>> key_of;
  std::vector<EventId> issued;
  uint64_t seq = 0;
  int64_t now = 0;
  int payload = 0;
  int64_t pops = 0, cancels = 0, drains = 0;

  auto check_pop = [&] {
    auto e = q.Pop();
    if (ref.empty()) {
      REQUIRE_FALSE(e.has_value());
      return;
    }
    REQUIRE(e.has_value());
    auto it = ref.begin();
    REQUIRE(e->time.millis() == it->first.first);
    REQUIRE(e->payload == it->second);
    REQUIRE(key_of.at(e->id) == it->first);
    now = it->first.first;
    ref.erase(it);
    ++pops;
  };

  constexpr int kOps = 100'000;
  for (int op = 0; op < kOps; ++op) {
    const uint32_t r = rng() % 100;
    if (r < 45) {
      // Times in [now, now + 20 ms): few distinct values, so ties are frequent.
      const int64_t t = now + static_cast<int64_t>(rng() % 20);
      const EventId id = q.Schedule(SimTime::Millis(t), payload);
      const std::pair<int64_t, uint64_t> key{t, seq++};
      ref.emplace(key, payload++);
      key_of[id] = key;
      issued.push_back(id);
    } else if (r < 80) {
      check_pop();
    } else if (r < 97) {
      // Cancel an id from everything ever issued, or one never issued.
      // Mostly recent ids (likely pending), sometimes any id ever issued, sometimes none.
      EventId id = 0;
      const uint32_t pick = rng() % 10;
      if (!issued.empty() && pick < 6) {
        const size_t recent = std::min<size_t>(issued.size(), 64);
        id = issued[issued.size() - 1 - rng() % recent];
      } else if (!issued.empty() && pick < 9) {
        id = issued[rng() % issued.size()];
      } else {
        id = (issued.empty() ? 0 : issued.back()) + 1 + rng() % 5;
      }
      bool expected = false;
      auto k = key_of.find(id);
      if (k != key_of.end()) {
        auto range = ref.equal_range(k->second);
        if (range.first != range.second) {
          ref.erase(range.first);  // keys are unique: (time, seq)
          expected = true;
          ++cancels;
        }
      }
      REQUIRE(q.Cancel(id) == expected);
    } else if (r < 99) {
      const SimTime next = q.NextTime();
      if (ref.empty()) {
        REQUIRE(next == SimTime::Max());
      } else {
        REQUIRE(next.millis() == ref.begin()->first.first);
      }
    } else if (rng() % 20 == 0) {
      while (!ref.empty()) check_pop();
      check_pop();  // empty queue pops nothing
      ++drains;
    }
    REQUIRE(q.size() == ref.size());
    REQUIRE(q.empty() == ref.empty());
  }
  while (!ref.empty()) check_pop();
  CHECK(q.empty());
  // The run exercised what it claims to.
  CHECK(pops > 20'000);
  CHECK(cancels > 1'000);
  CHECK(drains > 5);
}

}  // namespace
}  // namespace fleetsim
