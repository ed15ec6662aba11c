// RadixTimeQueue<Value>: values ordered by (time, push order), the ordering core of EventQueue.
//
// Contract: Push(time, value) adds an entry. FrontTime()/FrontValue() describe the entry with
// the smallest time and, among equal times, the one pushed first; Take() removes and returns
// it. Any int64 time is accepted, in any order. RemoveIf(pred) drops entries and keeps the
// order of the rest. Values are small movable types stored inline (EventQueue stores slot,
// generation and payload), so taking the front reads sequential memory. Not thread-safe.
//
// How: a radix heap with byte digits plus a sorted front window. Times map to unsigned 64-bit
// keys, and `floor_` is a lower bound of the keys in the window and the buckets:
//  - Buckets: an entry sits in bucket (level L, digit d), L being the highest byte in which
//    its key differs from floor_ and d its key's byte L. Lower levels hold lower keys, and
//    within a level lower digits do; a level-0 bucket holds a single key. Each bucket is a
//    chunk list in push order, taken from the front at level 0.
//  - Window: when nothing below level 1 is left, the lowest level-1 bucket (the keys of one
//    256 ms block) is moved into an array and stably sorted (by counting on the last byte, or
//    by insertion when small); floor_ becomes the block's start, so later pushes into the
//    block go to level 0. The front is the smaller of the window's head and the lowest
//    level-0 key, the window winning ties (its entries were pushed first).
//  - Splits: when the lowest bucket is above level 1, floor_ rises to a lower bound of its
//    keys that shares their bytes from that level up (the minimum if the bucket is small,
//    else its prefix with zeros below), which leaves other buckets unchanged, and its entries
//    move in order to lower buckets, which are empty at that moment.
//  - Early heap: keys pushed below floor_, a binary heap by (key, sequence); they precede
//    everything else. floor_ rises only when the window, level 0 and the early heap are all
//    empty, and never above the smallest key present, so a push lands here only if it is
//    earlier than an entry that was already the front (taken, or peeked by FrontTime). The
//    hold pattern never does that; a Simulation does when, after peeking the next event, it
//    schedules one before it.
// Buckets therefore stay in push order and ties need no stored sequence numbers.
//
// Complexity: Push O(1) (O(log e) into an early heap of e entries). An entry pushed at level L
// is moved at most L times in all, down to lower buckets and finally from level 1 into a
// window (L <= 7; L <= 1 + log256(D) for a key D ms beyond floor_: at most 2 for D under a
// minute, 3 under 4.6 hours). A window is sorted by counting, O(n + 256), or by insertion
// when it has at most kSmallBucket entries. So Take is amortized O(1), plus O(log e) while
// the early heap is in use. Memory: the entries, in chunks of about 512 bytes with at most
// one partly filled chunk per non-empty bucket; a window array of at most 4x the entries
// (at least 64); a 64 KB bucket table once anything was pushed; free chunks only up to the
// number in use plus kSpareChunks. All proportional to the entries held.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace fleetsim {

template <typename Value>
class RadixTimeQueue {
 public:
  struct Item {
    int64_t time;
    Value value;
  };

  RadixTimeQueue() = default;
  RadixTimeQueue(const RadixTimeQueue& other) { CopyFrom(other); }
  RadixTimeQueue(RadixTimeQueue&& other) noexcept { Swap(other); }
  RadixTimeQueue& operator=(RadixTimeQueue other) noexcept {
    Swap(other);
    return *this;
  }
  ~RadixTimeQueue() { FreeAll(); }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

  void Push(int64_t time, Value value) {
    const uint64_t key = ToKey(time);
    ++size_;
    if (key < floor_) {
      early_.push_back(EarlyEntry{Entry{key, std::move(value)}, early_sequence_++});
      std::push_heap(early_.begin(), early_.end(), EarlyAfter);
      return;
    }
    if (buckets_.empty()) buckets_.resize(kLevels * kDigits);
    const int bucket = BucketOf(key);
    if (level0_front_ != kUnknown && bucket < level0_front_) level0_front_ = bucket;
    Append(bucket, key, std::move(value));
  }

  // The first entry's time and value. Require !empty().
  int64_t FrontTime() { return FromKey(FrontEntry().key); }
  const Value& FrontValue() { return FrontEntry().value; }

  // Removes and returns the first entry. Requires !empty().
  Item Take() {
    assert(!empty());
    --size_;
    switch (FrontSource()) {
      case Source::kEarly: {
        std::pop_heap(early_.begin(), early_.end(), EarlyAfter);
        Item item{FromKey(early_.back().entry.key), std::move(early_.back().entry.value)};
        early_.pop_back();
        return item;
      }
      case Source::kWindow: {
        Entry& e = window_[window_pos_++].entry;
        Item item{FromKey(e.key), std::move(e.value)};
        std::destroy_at(&e);
        return item;
      }
      case Source::kLevel0:
        break;
    }
    List& list = buckets_[level0_front_];
    Entry& e = list.head->cells[list.head_pos].entry;
    Item item{FromKey(e.key), std::move(e.value)};
    std::destroy_at(&e);
    if (--list.size == 0) {
      FreeChunk(list.head);
      list = List{};
      MarkEmpty(level0_front_);
      level0_front_ = kUnknown;
    } else if (++list.head_pos == kChunk) {
      Chunk* done = list.head;
      list.head = done->next;
      list.head_pos = 0;
      FreeChunk(done);
    }
    return item;
  }

  // Removes every entry whose value satisfies `remove` (called exactly once per entry) and
  // keeps the order of the others. O(size + number of buckets). Returns the number removed.
  template <typename Pred>
  size_t RemoveIf(Pred remove) {
    size_t removed = 0;
    size_t out = window_pos_;
    for (size_t i = window_pos_; i < window_size_; ++i) {
      Entry& e = window_[i].entry;
      if (remove(std::as_const(e.value))) {
        ++removed;
      } else if (out++ != i) {
        std::construct_at(&window_[out - 1].entry, std::move(e));
      } else {
        continue;
      }
      std::destroy_at(&e);
    }
    window_size_ = out;
    for (int bucket = 0; bucket < static_cast<int>(buckets_.size()); ++bucket) {
      if (buckets_[bucket].size == 0) continue;
      const List old = std::exchange(buckets_[bucket], List{});
      MarkEmpty(bucket);
      Consume(old, [&](Entry&& e) {
        if (remove(std::as_const(e.value))) {
          ++removed;
        } else {
          Append(bucket, e.key, std::move(e.value));
        }
      });
    }
    level0_front_ = kUnknown;
    const auto kept = std::partition(early_.begin(), early_.end(),
                                     [&](const EarlyEntry& e) { return !remove(e.entry.value); });
    removed += static_cast<size_t>(early_.end() - kept);
    early_.erase(kept, early_.end());
    std::make_heap(early_.begin(), early_.end(), EarlyAfter);
    size_ -= removed;
    return removed;
  }

 private:
  static constexpr int kLevels = 8;                   // bytes of a key
  static constexpr int kDigits = 256;                 // values of a byte
  static constexpr int kUnknown = kLevels * kDigits;  // level0_front_ when not known
  static constexpr size_t kSmallBucket = 32;          // sorted by insertion, split at its minimum
  static constexpr size_t kSpareChunks = 64;          // free chunks kept beyond the number in use

  struct Entry {
    uint64_t key;
    Value value;
  };
  // Storage for one entry, constructed and destroyed explicitly (Value needs no default
  // constructor).
  struct Cell {
    Cell() {}
    ~Cell() {}
    union {
      Entry entry;
    };
  };
  static constexpr uint32_t kChunk = std::max<uint32_t>(4, (512 - sizeof(void*)) / sizeof(Cell));
  struct Chunk {
    Chunk* next = nullptr;
    Cell cells[kChunk];
  };
  // A bucket: `size` entries in chunks head..tail, in push order, from cell head_pos of the
  // head (only level 0 takes from the front) to cell tail_fill of the tail.
  struct List {
    Chunk* head = nullptr;
    Chunk* tail = nullptr;
    size_t size = 0;
    uint32_t head_pos = 0;
    uint32_t tail_fill = 0;
  };
  struct EarlyEntry {
    Entry entry;
    uint64_t sequence;
  };
  enum class Source { kEarly, kWindow, kLevel0 };

  // Flipping the sign bit maps int64 order onto uint64 order.
  static uint64_t ToKey(int64_t time) { return static_cast<uint64_t>(time) ^ (uint64_t{1} << 63); }
  static int64_t FromKey(uint64_t key) { return static_cast<int64_t>(key ^ (uint64_t{1} << 63)); }
  // Heap order for std::push_heap: "a after b" puts the smallest (key, sequence) on top.
  static bool EarlyAfter(const EarlyEntry& a, const EarlyEntry& b) {
    return a.entry.key != b.entry.key ? a.entry.key > b.entry.key : a.sequence > b.sequence;
  }

  // Bucket index level * kDigits + digit of a key >= floor_.
  int BucketOf(uint64_t key) const {
    const uint64_t diff = key ^ floor_;
    const int level = diff == 0 ? 0 : (63 - std::countl_zero(diff)) >> 3;
    return level * kDigits + static_cast<int>((key >> (8 * level)) & 0xff);
  }

  void MarkNonEmpty(int bucket) {
    const int level = bucket / kDigits, digit = bucket % kDigits;
    digit_bits_[level][digit >> 6] |= uint64_t{1} << (digit & 63);
    if (level_counts_[level]++ == 0) level_bits_ |= 1u << level;
  }
  void MarkEmpty(int bucket) {
    const int level = bucket / kDigits, digit = bucket % kDigits;
    digit_bits_[level][digit >> 6] &= ~(uint64_t{1} << (digit & 63));
    if (--level_counts_[level] == 0) level_bits_ &= ~(1u << level);
  }
  // Lowest non-empty digit of a non-empty level.
  int LowestDigit(int level) const {
    const auto& words = digit_bits_[level];
    for (int w = 0;; ++w) {
      if (words[w] != 0) return w * 64 + std::countr_zero(words[w]);
    }
  }

  void Append(int bucket, uint64_t key, Value&& value) {
    List& list = buckets_[bucket];
    if (list.size++ == 0) {
      list.head = list.tail = NewChunk();
      MarkNonEmpty(bucket);
    } else if (list.tail_fill == kChunk) {
      Chunk* chunk = NewChunk();
      list.tail->next = chunk;
      list.tail = chunk;
      list.tail_fill = 0;
    }
    std::construct_at(&list.tail->cells[list.tail_fill++].entry, Entry{key, std::move(value)});
  }

  // Where the first entry is; loads the next window (or level-0 bucket) when nothing is
  // left in front of the buckets above level 0. Requires !empty() (before any decrement).
  Source FrontSource() {
    if (!early_.empty()) return Source::kEarly;  // its keys are below floor_
    const bool window = window_pos_ != window_size_;
    if ((level_bits_ & 1u) == 0) {
      if (window) return Source::kWindow;
      LoadWindow();
      if (window_pos_ != window_size_) return Source::kWindow;
    }
    if (level0_front_ == kUnknown) level0_front_ = LowestDigit(0);
    if (window && !(Level0Front().key < window_[window_pos_].entry.key)) return Source::kWindow;
    return Source::kLevel0;
  }

  Entry& Level0Front() {
    List& list = buckets_[level0_front_];
    return list.head->cells[list.head_pos].entry;
  }

  Entry& FrontEntry() {
    assert(!empty());
    switch (FrontSource()) {
      case Source::kEarly:
        return early_.front().entry;
      case Source::kWindow:
        return window_[window_pos_].entry;
      case Source::kLevel0:
        break;
    }
    return Level0Front();
  }

  // Splits buckets above level 1 until the lowest entries are at level 0 or in a level-1
  // bucket, which then becomes the window. Requires an exhausted window, empty level 0 and
  // early heap, and entries in the buckets.
  void LoadWindow() {
    while ((level_bits_ & 1u) == 0) {
      const int level = std::countr_zero(level_bits_);
      const int bucket = level * kDigits + LowestDigit(level);
      if (level >= 2) {
        Split(bucket, level);
        continue;
      }
      const List old = std::exchange(buckets_[bucket], List{});
      MarkEmpty(bucket);
      ReserveWindow(old.size);
      window_pos_ = 0;
      window_size_ = old.size;
      if (old.size > kSmallBucket) {
        CountingSortIntoWindow(old);
      } else {
        size_t i = 0;
        Consume(old, [&](Entry&& e) { std::construct_at(&window_[i++].entry, std::move(e)); });
        InsertionSortWindow();
      }
      floor_ = window_[0].entry.key & ~uint64_t{0xff};  // the block's start
      return;
    }
  }

  // Moves the entries of a bucket above level 1 to lower levels (see the header comment).
  void Split(int bucket, int level) {
    const List old = std::exchange(buckets_[bucket], List{});
    MarkEmpty(bucket);
    if (old.size <= kSmallBucket) {
      uint64_t min_key = ~uint64_t{0};
      ForEach(old, [&](const Entry& e) { min_key = std::min(min_key, e.key); });
      floor_ = min_key;
    } else {
      const int shift = 8 * level;
      const uint64_t above = level == kLevels - 1 ? 0 : floor_ & (~uint64_t{0} << (shift + 8));
      floor_ = above | (static_cast<uint64_t>(bucket % kDigits) << shift);
    }
    Consume(old, [&](Entry&& e) { Append(BucketOf(e.key), e.key, std::move(e.value)); });
  }

  // Stable sort of a level-1 bucket (keys differ in the last byte only) into the window.
  void CountingSortIntoWindow(const List& list) {
    std::array<uint32_t, kDigits> start{};
    ForEach(list, [&](const Entry& e) { ++start[e.key & 0xff]; });
    uint32_t sum = 0;
    for (uint32_t& s : start) sum += std::exchange(s, sum);
    Consume(list, [&](Entry&& e) {
      std::construct_at(&window_[start[e.key & 0xff]++].entry, std::move(e));
    });
  }

  // Stable insertion sort of the window by key.
  void InsertionSortWindow() {
    for (size_t i = 1; i < window_size_; ++i) {
      if (!(window_[i].entry.key < window_[i - 1].entry.key)) continue;
      Entry moving = std::move(window_[i].entry);
      size_t j = i;
      do {
        window_[j].entry = std::move(window_[j - 1].entry);
        --j;
      } while (j > 0 && moving.key < window_[j - 1].entry.key);
      window_[j].entry = std::move(moving);
    }
  }

  // Room for n window entries; the window holds none. Keeps the array within 4x the entries.
  void ReserveWindow(size_t n) {
    if (n <= window_capacity_ && window_capacity_ <= 4 * std::max<size_t>(size_, 16)) return;
    window_capacity_ = std::max<size_t>(n + n / 2, 64);
    window_ = std::make_unique<Cell[]>(window_capacity_);
  }

  // Calls visit(entry) for each entry of `list` in order.
  template <typename Visit>
  static void ForEach(const List& list, Visit&& visit) {
    uint32_t begin = list.head_pos;
    for (const Chunk* c = list.head; c != nullptr; c = c->next, begin = 0) {
      const uint32_t end = c == list.tail ? list.tail_fill : kChunk;
      for (uint32_t i = begin; i < end; ++i) visit(c->cells[i].entry);
    }
  }

  // Calls visit(std::move(entry)) for each entry of a list detached from its bucket, in
  // order, destroying entries and freeing each chunk once visited (so `visit` may append to
  // buckets and reuse it).
  template <typename Visit>
  void Consume(const List& list, Visit&& visit) {
    uint32_t begin = list.head_pos;
    for (Chunk* c = list.head; c != nullptr; begin = 0) {
      const uint32_t end = c == list.tail ? list.tail_fill : kChunk;
      for (uint32_t i = begin; i < end; ++i) {
        visit(std::move(c->cells[i].entry));
        std::destroy_at(&c->cells[i].entry);
      }
      FreeChunk(std::exchange(c, c->next));
    }
  }

  Chunk* NewChunk() {
    Chunk* chunk = free_chunks_;
    if (chunk != nullptr) {
      free_chunks_ = chunk->next;
      --free_count_;
      chunk->next = nullptr;
    } else {
      chunk = new Chunk;
    }
    ++used_count_;
    return chunk;
  }

  // Returns a chunk whose entries were destroyed.
  void FreeChunk(Chunk* chunk) {
    --used_count_;
    if (free_count_ >= used_count_ + kSpareChunks) {
      delete chunk;
      return;
    }
    chunk->next = free_chunks_;
    free_chunks_ = chunk;
    ++free_count_;
  }

  void CopyFrom(const RadixTimeQueue& other) {
    const size_t live = other.window_size_ - other.window_pos_;
    if (live > 0) {
      ReserveWindow(live);
      for (size_t i = 0; i < live; ++i) {
        std::construct_at(&window_[i].entry, other.window_[other.window_pos_ + i].entry);
      }
      window_size_ = live;
    }
    if (!other.buckets_.empty()) buckets_.resize(other.buckets_.size());
    for (int bucket = 0; bucket < static_cast<int>(other.buckets_.size()); ++bucket) {
      ForEach(other.buckets_[bucket],
              [&](const Entry& e) { Append(bucket, e.key, Value(e.value)); });
    }
    floor_ = other.floor_;
    size_ = other.size_;
    early_ = other.early_;
    early_sequence_ = other.early_sequence_;
  }

  void Swap(RadixTimeQueue& other) noexcept {
    std::swap(window_, other.window_);
    std::swap(window_capacity_, other.window_capacity_);
    std::swap(window_pos_, other.window_pos_);
    std::swap(window_size_, other.window_size_);
    std::swap(buckets_, other.buckets_);
    std::swap(digit_bits_, other.digit_bits_);
    std::swap(level_counts_, other.level_counts_);
    std::swap(level_bits_, other.level_bits_);
    std::swap(level0_front_, other.level0_front_);
    std::swap(floor_, other.floor_);
    std::swap(size_, other.size_);
    std::swap(early_, other.early_);
    std::swap(early_sequence_, other.early_sequence_);
    std::swap(free_chunks_, other.free_chunks_);
    std::swap(free_count_, other.free_count_);
    std::swap(used_count_, other.used_count_);
  }

  void FreeAll() {
    for (size_t i = window_pos_; i < window_size_; ++i) std::destroy_at(&window_[i].entry);
    for (List& list : buckets_) Consume(std::exchange(list, List{}), [](Entry&&) {});
    while (free_chunks_ != nullptr) delete std::exchange(free_chunks_, free_chunks_->next);
  }

  // Window: live entries are [window_pos_, window_size_) of window_, sorted by (key, push).
  std::unique_ptr<Cell[]> window_;
  size_t window_capacity_ = 0;
  size_t window_pos_ = 0;
  size_t window_size_ = 0;
  // Buckets: kLevels * kDigits once anything was pushed, and which are non-empty.
  std::vector<List> buckets_;
  std::array<std::array<uint64_t, kDigits / 64>, kLevels> digit_bits_{};
  std::array<uint16_t, kLevels> level_counts_{};
  uint32_t level_bits_ = 0;        // bit L set iff level L has a non-empty bucket
  int level0_front_ = kUnknown;    // lowest non-empty level-0 bucket, when known
  uint64_t floor_ = 0;             // early keys < floor_ <= window and bucket keys
  size_t size_ = 0;                // entries in the window, the buckets and the early heap
  std::vector<EarlyEntry> early_;  // a min-heap by (key, sequence)
  uint64_t early_sequence_ = 0;
  Chunk* free_chunks_ = nullptr;
  size_t free_count_ = 0;
  size_t used_count_ = 0;
};

}  // namespace fleetsim
