// EventQueue<Payload>: the pending-event set of the discrete-event engine.
//
// Events are ordered by (time, sequence number): among events at the same time, the one
// scheduled first runs first, so a run is deterministic whatever the payloads are. Cancel is by
// tombstone: a cancelled event stays in the heap and is skipped when it reaches the top.
// Payloads are small value types (the Simulation dispatches on them with a switch), which keeps
// the queue free of heap-allocated closures.
//
// Memory is proportional to the number of events in the heap (pending plus not yet skipped
// tombstones), not to all events ever scheduled: payload slots are recycled, and an EventId
// carries the slot's generation so a stale id can never cancel a newer event.
//
// Not thread-safe: one queue belongs to one Simulation.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <vector>

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
      slots_[slot].payload = std::move(payload);
      slots_[slot].state = SlotState::kPending;
    } else {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.push_back(Slot{std::move(payload), SlotState::kPending, 0});
    }
    heap_.push_back(Entry{time, next_sequence_++, slot});
    SiftUp(heap_.size() - 1);
    ++pending_;
    return MakeId(slot, slots_[slot].generation);
  }

  // Cancels a pending event. Returns false if it already ran, was cancelled, or never existed.
  bool Cancel(EventId id) {
    const uint32_t slot = static_cast<uint32_t>(id);
    if (slot >= slots_.size()) return false;
    Slot& s = slots_[slot];
    if (s.generation != static_cast<uint32_t>(id >> 32) || s.state != SlotState::kPending) return false;
    s.state = SlotState::kCancelled;
    --pending_;
    return true;
  }

  bool empty() const { return pending_ == 0; }
  size_t size() const { return pending_; }

  // Time of the next live event, or SimTime::Max() if none.
  SimTime NextTime() {
    DropTombstones();
    return heap_.empty() ? SimTime::Max() : heap_.front().time;
  }

  // Removes and returns the next live event, or nothing when the queue is empty.
  std::optional<Event> Pop() {
    DropTombstones();
    if (heap_.empty()) return std::nullopt;
    const Entry top = heap_.front();
    RemoveTop();
    Slot& s = slots_[top.slot];
    Event event{top.time, MakeId(top.slot, s.generation), std::move(s.payload)};
    Release(top.slot);
    --pending_;
    return event;
  }

 private:
  enum class SlotState : uint8_t { kPending, kCancelled, kFree };
  struct Entry {
    SimTime time;
    uint64_t sequence;
    uint32_t slot;
    bool operator<(const Entry& o) const {
      return time < o.time || (time == o.time && sequence < o.sequence);
    }
  };
  struct Slot {
    Payload payload;
    SlotState state;
    uint32_t generation;
  };

  static EventId MakeId(uint32_t slot, uint32_t generation) {
    return (static_cast<uint64_t>(generation) << 32) | slot;
  }

  void Release(uint32_t slot) {
    slots_[slot].state = SlotState::kFree;
    ++slots_[slot].generation;
    free_slots_.push_back(slot);
  }

  void DropTombstones() {
    while (!heap_.empty() && slots_[heap_.front().slot].state == SlotState::kCancelled) {
      const uint32_t slot = heap_.front().slot;
      RemoveTop();
      Release(slot);
    }
  }

  void RemoveTop() {
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) SiftDown(0);
  }

  void SiftUp(size_t i) {
    const Entry e = heap_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / 2;
      if (!(e < heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  void SiftDown(size_t i) {
    const Entry e = heap_[i];
    const size_t n = heap_.size();
    while (true) {
      size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap_[child + 1] < heap_[child]) ++child;
      if (!(heap_[child] < e)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = e;
  }

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  uint64_t next_sequence_ = 0;
  size_t pending_ = 0;
};

}  // namespace fleetsim
