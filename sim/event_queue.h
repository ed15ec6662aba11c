// EventQueue<Payload>: the pending-event set of the discrete-event engine.
//
// Events are ordered by (time, sequence number): among events at the same time, the one
// scheduled first runs first, so a run is deterministic whatever the payloads are. Cancel is by
// tombstone: a cancelled event stays in the heap and is skipped when it reaches the top.
// Payloads are small value types (the Simulation dispatches on them with a switch), which keeps
// the queue free of heap-allocated closures.
//
// Not thread-safe: one queue belongs to one Simulation.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/sim_time.h"

namespace fleetsim {

using EventId = uint64_t;

template <typename Payload>
class EventQueue {
 public:
  struct Event {
    SimTime time;
    EventId id;  // Also the sequence number: ids increase in scheduling order.
    Payload payload;
  };

  // Schedules `payload` at `time` and returns an id usable with Cancel().
  EventId Schedule(SimTime time, Payload payload) {
    EventId id = next_id_++;
    heap_.push_back(Entry{time, id});
    SiftUp(heap_.size() - 1);
    payloads_.push_back(Slot{std::move(payload), SlotState::kPending});
    ++pending_;
    return id;
  }

  // Cancels a pending event. Returns false if it already ran, was cancelled, or never existed.
  bool Cancel(EventId id) {
    if (id < base_id_ || id >= next_id_ || payloads_[Index(id)].state != SlotState::kPending) return false;
    payloads_[Index(id)].state = SlotState::kCancelled;
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
    Entry top = heap_.front();
    RemoveTop();
    Slot& slot = payloads_[Index(top.id)];
    slot.state = SlotState::kDone;
    --pending_;
    return Event{top.time, top.id, std::move(slot.payload)};
  }

 private:
  enum class SlotState : uint8_t { kPending, kCancelled, kDone };
  struct Entry {
    SimTime time;
    EventId id;
    bool operator<(const Entry& o) const { return time < o.time || (time == o.time && id < o.id); }
  };
  struct Slot {
    Payload payload;
    SlotState state;
  };

  size_t Index(EventId id) const { return static_cast<size_t>(id - base_id_); }

  void DropTombstones() {
    while (!heap_.empty() && payloads_[Index(heap_.front().id)].state == SlotState::kCancelled) {
      payloads_[Index(heap_.front().id)].state = SlotState::kDone;
      RemoveTop();
    }
    Compact();
  }

  // Releases payload slots once every event scheduled before the oldest pending one is done,
  // so memory stays proportional to the pending set rather than to all events ever scheduled.
  void Compact() {
    if (pending_ != 0 || heap_.size() != 0 || payloads_.size() < 4096) return;
    base_id_ = next_id_;
    payloads_.clear();
  }

  void RemoveTop() {
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) SiftDown(0);
  }

  void SiftUp(size_t i) {
    Entry e = heap_[i];
    while (i > 0) {
      size_t parent = (i - 1) / 2;
      if (!(e < heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  void SiftDown(size_t i) {
    Entry e = heap_[i];
    size_t n = heap_.size();
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
  std::vector<Slot> payloads_;  // Indexed by id - base_id_.
  EventId next_id_ = 0;
  EventId base_id_ = 0;
  size_t pending_ = 0;
};

}  // namespace fleetsim
