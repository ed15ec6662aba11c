// EventQueue<Payload>: the pending-event set of the discrete-event engine.
//
// Contract: Schedule(time, payload) adds an event and returns its EventId; Pop() removes and
// returns the next event; NextTime() is its time (SimTime::Max() when empty); Cancel(id)
// removes a pending event and says whether it did. Events are ordered by (time, sequence
// number): among events at the same time, the one scheduled first runs first, so a run is
// deterministic whatever the payloads are. Any time may be scheduled, also one earlier than
// events already popped. size()/empty() count pending (live) events only. An EventId carries
// its slot's generation, so a stale id (of an event that ran or was cancelled, whose slot may
// now hold a newer event) can never cancel a newer event. Payloads are small movable value
// types (the Simulation dispatches on them with a switch): no heap-allocated closures.
//
// How: events (slot, generation, payload) are stored inline in a RadixTimeQueue
// (sim/radix_time_queue.h), which keeps ties in scheduling order without sequence numbers, so
// popping reads sequential memory. Per slot, a generation and a state live in two small
// arrays; slots are recycled through a free list. Cancel is by tombstone: the slot is marked
// and the event is dropped when it reaches the front. When tombstones outnumber pending
// events by more than kPurgeSlack, they are purged in one pass.
//
// Complexity: Schedule O(1); Pop and NextTime amortized O(1): an event is moved at most 7
// times, under twice on average in the hold benchmarks; plus O(log e) when it was scheduled
// earlier than an event already popped or peeked (e such events pending; radix_time_queue.h);
// Cancel O(1) amortized (a purge is paid for by the cancels since the previous one). Memory:
// proportional to pending events (tombstones stay below pending + kPurgeSlack): per event the
// payload plus 16 bytes in the queue and 9 bytes of slot bookkeeping.
//
// Not thread-safe: one queue belongs to one Simulation.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/radix_time_queue.h"
#include "sim/sim_time.h"

namespace fleetsim {

using EventId = uint64_t;  // generation << 32 | slot

template <typename Payload>
class EventQueue {
 public:
  struct Event {
    SimTime time;
    EventId id;
    Payload payload;
  };

  // Schedules `payload` at `time` and returns an id usable with Cancel().
  EventId Schedule(SimTime time, Payload payload) {
    uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
      states_[slot] = SlotState::kPending;
    } else {
      slot = static_cast<uint32_t>(generations_.size());
      generations_.push_back(0);
      states_.push_back(SlotState::kPending);
    }
    const uint32_t generation = generations_[slot];
    order_.Push(time.millis(), Record{slot, generation, std::move(payload)});
    ++pending_;
    return MakeId(slot, generation);
  }

  // Cancels a pending event. Returns false if it already ran, was cancelled, or never existed.
  bool Cancel(EventId id) {
    const uint32_t slot = static_cast<uint32_t>(id);
    if (slot >= generations_.size() || generations_[slot] != static_cast<uint32_t>(id >> 32) ||
        states_[slot] != SlotState::kPending) {
      return false;
    }
    states_[slot] = SlotState::kCancelled;
    --pending_;
    ++tombstones_;
    if (tombstones_ > pending_ + kPurgeSlack) PurgeTombstones();
    return true;
  }

  bool empty() const { return pending_ == 0; }
  size_t size() const { return pending_; }

  // Time of the next live event, or SimTime::Max() if none.
  SimTime NextTime() {
    while (!order_.empty()) {
      if (states_[order_.FrontValue().slot] != SlotState::kCancelled) {
        return SimTime::Millis(order_.FrontTime());
      }
      DropTombstone(order_.Take().value.slot);
    }
    return SimTime::Max();
  }

  // Removes and returns the next live event, or nothing when the queue is empty.
  std::optional<Event> Pop() {
    while (!order_.empty()) {
      auto front = order_.Take();
      const uint32_t slot = front.value.slot;
      if (tombstones_ != 0 && states_[slot] == SlotState::kCancelled) {
        DropTombstone(slot);
        continue;
      }
      Release(slot);
      --pending_;
      return Event{SimTime::Millis(front.time), MakeId(slot, front.value.generation),
                   std::move(front.value.payload)};
    }
    return std::nullopt;
  }

 private:
  // Tombstones tolerated beyond the pending count before a purge.
  static constexpr size_t kPurgeSlack = 1024;

  enum class SlotState : uint8_t { kPending, kCancelled, kFree };
  struct Record {
    uint32_t slot;
    uint32_t generation;  // of the slot when scheduled: the event's id
    Payload payload;
  };

  static EventId MakeId(uint32_t slot, uint32_t generation) {
    return (static_cast<uint64_t>(generation) << 32) | slot;
  }

  // Frees a slot; bumping the generation makes every id issued for it stale.
  void Release(uint32_t slot) {
    states_[slot] = SlotState::kFree;
    ++generations_[slot];
    free_slots_.push_back(slot);
  }

  void DropTombstone(uint32_t slot) {
    Release(slot);
    --tombstones_;
  }

  void PurgeTombstones() {
    const size_t removed = order_.RemoveIf([this](const Record& r) {
      if (states_[r.slot] != SlotState::kCancelled) return false;
      Release(r.slot);
      return true;
    });
    assert(removed == tombstones_);
    (void)removed;
    tombstones_ = 0;
  }

  RadixTimeQueue<Record> order_;       // pending events and tombstones
  std::vector<uint32_t> generations_;  // per slot
  std::vector<SlotState> states_;      // per slot
  std::vector<uint32_t> free_slots_;
  size_t pending_ = 0;
  size_t tombstones_ = 0;
};

}  // namespace fleetsim
