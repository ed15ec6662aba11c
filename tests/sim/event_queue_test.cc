// Tests for sim/event_queue.h (DESIGN §4.2): events pop in (time, sequence) order, ties run in
// scheduling order even when pushes and pops interleave, Cancel works by tombstone and reports
// whether it cancelled anything, size()/empty()/NextTime() see only live events, times earlier
// than already-popped ones and extreme times are ordered too, a stale id never cancels the
// newer event that reuses its slot, mass cancellation (which purges tombstones) keeps the
// order, and copies behave like the original. Reference values are hand-written orders, and
// randomized runs compare the queue op by op with independent reference models (std::multimap
// or std::map keyed by (time, scheduling sequence)).
#include "sim/event_queue.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
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

TEST_CASE("events scheduled before already-popped times come next, ties FIFO", "[event_queue]") {
  Queue q;
  for (int i = 0; i < 40; ++i) q.Schedule(SimTime::Millis(1000 + 7 * i), 100 + i);
  q.Schedule(SimTime::Minutes(10), 900);
  for (int i = 0; i < 3; ++i) {
    auto e = q.Pop();
    REQUIRE(e);
    CHECK(e->payload == 100 + i);
  }
  // Now at 1014 ms. Earlier than that, in scheduling order per time:
  q.Schedule(SimTime::Millis(5), 1);
  q.Schedule(SimTime::Millis(-3), 0);
  q.Schedule(SimTime::Millis(5), 2);
  // Between pending events, including a tie with one (1021 ms, payload 103):
  q.Schedule(SimTime::Millis(1021), 3);
  q.Schedule(SimTime::Millis(1015), 4);
  std::vector<int> expected{0, 1, 2, 4, 103, 3};
  for (int i = 4; i < 40; ++i) expected.push_back(100 + i);
  expected.push_back(900);
  CHECK(DrainPayloads(q) == expected);
}

TEST_CASE("extreme and negative times are ordered", "[event_queue]") {
  Queue q;
  const SimTime lowest = SimTime::Millis(std::numeric_limits<int64_t>::min());
  q.Schedule(SimTime::Max(), 5);
  q.Schedule(SimTime::Zero(), 3);
  q.Schedule(lowest, 0);
  q.Schedule(SimTime::Millis(-1), 2);
  q.Schedule(SimTime::Max(), 6);
  q.Schedule(lowest, 1);
  q.Schedule(SimTime::Days(365 * 1000), 4);
  CHECK(q.NextTime() == lowest);
  CHECK(DrainPayloads(q) == std::vector<int>{0, 1, 2, 3, 4, 5, 6});
  // And again after the queue has moved to the far end.
  q.Schedule(SimTime::Max(), 8);
  q.Schedule(lowest, 7);
  CHECK(DrainPayloads(q) == std::vector<int>{7, 8});
}

TEST_CASE("a stale id never cancels the newer event that reuses its slot", "[event_queue]") {
  Queue q;
  const EventId ran = q.Schedule(SimTime::Minutes(1), 1);
  REQUIRE(q.Pop());
  const EventId reuse = q.Schedule(SimTime::Minutes(2), 2);
  REQUIRE(static_cast<uint32_t>(reuse) == static_cast<uint32_t>(ran));  // same slot
  REQUIRE(reuse != ran);
  CHECK_FALSE(q.Cancel(ran));
  CHECK(q.size() == 1);

  const EventId cancelled = q.Schedule(SimTime::Minutes(3), 3);
  REQUIRE(q.Cancel(cancelled));
  auto e = q.Pop();  // runs 2; the next Pop drops the tombstone of 3
  REQUIRE(e);
  CHECK(e->id == reuse);
  CHECK_FALSE(q.Pop().has_value());
  const EventId again = q.Schedule(SimTime::Minutes(4), 4);
  const EventId other = q.Schedule(SimTime::Minutes(5), 5);
  REQUIRE((static_cast<uint32_t>(again) == static_cast<uint32_t>(cancelled) ||
           static_cast<uint32_t>(other) == static_cast<uint32_t>(cancelled)));
  CHECK_FALSE(q.Cancel(cancelled));
  CHECK_FALSE(q.Cancel(reuse));
  CHECK(q.size() == 2);
  CHECK(DrainPayloads(q) == std::vector<int>{4, 5});
}

TEST_CASE("mass cancellation keeps order and stale ids stay dead", "[event_queue]") {
  // Far more cancels than pending events: the queue purges its tombstones in bulk, while it
  // holds events in every part (a partly taken front block, events pushed into that block,
  // later blocks, times in the past). Each round starts empty and ends drained.
  RandomStream rng(StreamKey{7, 0, StreamPurpose::kTest, 2});
  Queue q;
  std::map<std::pair<int64_t, int>, int> ref;  // (time, payload = scheduling order) -> payload
  std::vector<std::pair<EventId, std::pair<int64_t, int>>> ids;
  int payload = 0;
  auto schedule = [&](int64_t t) {
    ids.push_back({q.Schedule(SimTime::Millis(t), payload), {t, payload}});
    ref.emplace(std::make_pair(t, payload), payload);
    ++payload;
  };
  int64_t now = 0;
  auto pop = [&] {
    auto e = q.Pop();
    REQUIRE(e);
    REQUIRE(e->payload == ref.begin()->second);
    now = e->time.millis();
    ref.erase(ref.begin());
  };
  constexpr size_t kRound = 6000;
  for (int round = 0; round < 3; ++round) {
    const int64_t start = round * 1'000'000 + 1'000;
    const size_t first = ids.size();
    for (size_t i = 0; i < kRound - 100; ++i)
      schedule(start + static_cast<int64_t>(rng() % 50'000));
    for (int i = 0; i < 10; ++i) pop();
    for (int i = 0; i < 50; ++i) schedule(now + static_cast<int64_t>(rng() % 20));  // just after
    for (int i = 0; i < 50; ++i) schedule(start - 1 - static_cast<int64_t>(rng() % 1000));  // past
    // Cancel all but every tenth event of this round.
    for (size_t i = first; i < ids.size(); ++i) {
      if (i % 10 == 0 || !ref.count(ids[i].second)) continue;
      REQUIRE(q.Cancel(ids[i].first));
      ref.erase(ids[i].second);
    }
    REQUIRE(q.size() == ref.size());
    // Every id of an earlier round is dead (ran or cancelled); its slot may hold a live event.
    for (int k = 0; k < 200 && round > 0; ++k) CHECK_FALSE(q.Cancel(ids[rng() % first].first));
    REQUIRE(q.size() == ref.size());
    while (!ref.empty()) pop();
    CHECK_FALSE(q.Pop().has_value());
  }
}

TEST_CASE("a copy pops what the original pops, and a moved-to queue continues it",
          "[event_queue]") {
  RandomStream rng(StreamKey{11, 0, StreamPurpose::kTest, 3});
  Queue q;
  std::vector<EventId> ids;
  for (int i = 0; i < 3000; ++i) {
    ids.push_back(q.Schedule(SimTime::Millis(static_cast<int64_t>(rng() % 100'000)), i));
  }
  for (int i = 0; i < 500; ++i) REQUIRE(q.Pop());
  q.Schedule(SimTime::Millis(1), -1);  // in the past of what was popped
  for (int i = 0; i < 3000; i += 7) q.Cancel(ids[i]);
  Queue copy = q;
  const Queue discarded = q;  // destroyed while holding events
  const size_t pending = q.size();
  const std::vector<int> from_original = DrainPayloads(q);
  REQUIRE(from_original.size() == pending);
  CHECK(copy.size() == pending);
  Queue moved = std::move(copy);
  CHECK(DrainPayloads(moved) == from_original);
}

// The queue against an independent model over long random runs that switch between regimes:
// ties at the current time, times within one 256 ms block, minutes, jumps of up to 35 years
// and to the extreme times, times before already-popped events, growing to thousands of
// pending events and draining; cancels of pending, already-popped, already-cancelled, stale
// (slot reused by a newer event) and never-issued ids; NextTime peeks in between.
TEST_CASE("randomized differential test with time jumps, past times and stale ids",
          "[event_queue]") {
  struct Key {
    int64_t time;
    uint64_t sequence;
    auto operator<=>(const Key&) const = default;
  };
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    RandomStream rng(StreamKey{seed, 0, StreamPurpose::kTest, 4});
    auto draw64 = [&] { return (static_cast<uint64_t>(rng()) << 32) | rng(); };
    Queue q;
    std::map<Key, int> ref;              // pending events -> payload
    std::map<EventId, Key> key_of;       // every id issued
    std::map<uint32_t, EventId> newest;  // slot -> newest id issued for it
    std::vector<EventId> issued;
    uint64_t sequence = 0;
    int64_t now = 0;  // time of the last popped event, extremes aside
    int64_t latest_popped = std::numeric_limits<int64_t>::min();  // extremes aside
    std::optional<int64_t> previous_pop;
    int payload = 0;
    std::vector<bool> popped;  // by scheduling sequence
    int64_t past_pops = 0, tie_pops = 0, stale_cancels = 0, popped_cancels = 0, cancels = 0;
    int64_t drains = 0;
    size_t max_pending = 0;

    // Two mixes of times: `settled` ones at or after the current time only (ties, the same
    // 256 ms block, minutes, the time of a pending event), and `all` of those plus jumps of
    // up to 35 years, the extreme times and times before already-popped events.
    auto schedule_time = [&](bool all) -> int64_t {
      switch (rng() % (all ? 12 : 8)) {
        case 0:
          return now;  // ties with the current time
        case 1:
        case 2:
          return now + static_cast<int64_t>(rng() % 256);
        case 3:
        case 4:
          return now + static_cast<int64_t>(rng() % 600'000);
        case 5: {  // ties with a pending event
          auto it = ref.lower_bound(Key{now + static_cast<int64_t>(rng() % 600'000), 0});
          return it == ref.end() ? now : it->first.time;
        }
        case 6:
        case 7:
          return now + static_cast<int64_t>(rng() % 20);
        case 8:
          return now + static_cast<int64_t>(draw64() % (int64_t{1} << 40));
        case 9:
          return rng() % 2 ? std::numeric_limits<int64_t>::max()
                           : std::numeric_limits<int64_t>::min();
        default:
          return now - static_cast<int64_t>(rng() % 100'000);
      }
    };
    auto check_pop = [&] {
      auto e = q.Pop();
      if (ref.empty()) {
        REQUIRE_FALSE(e.has_value());
        return;
      }
      REQUIRE(e.has_value());
      auto it = ref.begin();
      REQUIRE(e->time.millis() == it->first.time);
      REQUIRE(e->payload == it->second);
      REQUIRE(key_of.at(e->id).sequence == it->first.sequence);
      const int64_t t = it->first.time;
      if (t < latest_popped) ++past_pops;
      if (previous_pop == t) ++tie_pops;
      previous_pop = t;
      if (t != std::numeric_limits<int64_t>::max() && t != std::numeric_limits<int64_t>::min()) {
        now = t;
        latest_popped = std::max(latest_popped, t);
      }
      popped[it->first.sequence] = true;
      ref.erase(it);
    };

    for (int op = 0; op < 120'000; ++op) {
      // Phases of 10k operations: grow, grow, balanced, shrink; a full drain every 40k; the
      // `all` mix of times in every other 20k.
      const int phase = op / 10'000 % 4;
      const bool all_times = op / 20'000 % 2 == 1;
      const uint32_t schedule_share = phase < 2 ? 70 : phase == 2 ? 45 : 15;
      const uint32_t pop_share = phase < 2 ? 20 : phase == 2 ? 40 : 75;
      if (op % 40'000 == 39'999) {
        while (!ref.empty()) check_pop();
        check_pop();  // an empty queue pops nothing
        ++drains;
      }
      const uint32_t r = rng() % 100;
      if (r < schedule_share) {
        const int64_t t = schedule_time(all_times);
        const EventId id = q.Schedule(SimTime::Millis(t), payload);
        const Key key{t, sequence++};
        ref.emplace(key, payload++);
        key_of[id] = key;
        newest[static_cast<uint32_t>(id)] = id;
        issued.push_back(id);
        popped.push_back(false);
      } else if (r < schedule_share + pop_share) {
        check_pop();
      } else if (r < 97) {
        EventId id = 0;
        const uint32_t pick = rng() % 10;
        if (!issued.empty() && pick < 6) {
          id = issued[issued.size() - 1 - rng() % std::min<size_t>(issued.size(), 256)];
        } else if (!issued.empty() && pick < 9) {
          id = issued[rng() % issued.size()];
        } else {
          id = draw64();  // almost surely never issued
        }
        bool expected = false;
        auto k = key_of.find(id);
        if (k != key_of.end()) {
          expected = ref.erase(k->second) == 1;
          if (!expected && newest.at(static_cast<uint32_t>(id)) != id) ++stale_cancels;
          if (!expected && popped[k->second.sequence]) ++popped_cancels;
        }
        cancels += expected;
        REQUIRE(q.Cancel(id) == expected);
      } else {
        const SimTime next = q.NextTime();
        REQUIRE(next == (ref.empty() ? SimTime::Max() : SimTime::Millis(ref.begin()->first.time)));
      }
      REQUIRE(q.size() == ref.size());
      REQUIRE(q.empty() == ref.empty());
      max_pending = std::max(max_pending, ref.size());
    }
    while (!ref.empty()) check_pop();
    check_pop();
    CHECK(q.empty());
    // The run exercised what it claims to.
    CHECK(past_pops > 1'000);
    CHECK(tie_pops > 1'000);
    CHECK(stale_cancels > 100);
    CHECK(popped_cancels > 100);
    CHECK(cancels > 1'000);
    CHECK(max_pending > 5'000);
    CHECK(drains == 3);
  }
}

}  // namespace
}  // namespace fleetsim
