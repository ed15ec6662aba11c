// ByteWriter / ByteReader: the compact binary encoding under replica results, part files and
// the messages between MPI ranks (replica_codec.h, result_part.h, plan_executor.h).
//
// Integers are LEB128 varints (signed ones zigzag-mapped first, so small negatives stay short),
// doubles their exact IEEE-754 bit pattern in 8 little-endian bytes (bit-exact round trip, NaN
// and -0 included), strings a varint length and the bytes. The encoding depends only on the
// values, never on the host's endianness or word size.
//
// ByteReader never reads past its input: a short or malformed input sets a sticky failure flag
// (ok() == false) and every later read returns zero/empty, so a decoder reads straight through
// and checks ok() once at the end. Neither class is thread-safe; both are cheap values. The
// reader borrows its input, which must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fleetsim {

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Varint(uint64_t v);
  void Signed(int64_t v);          // zigzag, then varint
  void Double(double v);           // 8 bytes, little endian bit pattern
  void Bytes(std::string_view s);  // varint length + bytes
  void Raw(std::string_view s) { out_.append(s); }
  void Fixed64(uint64_t v);  // 8 bytes little endian

  size_t size() const { return out_.size(); }
  const std::string& data() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  uint8_t U8();
  uint64_t Varint();
  int64_t Signed();
  double Double();
  std::string_view Bytes();
  std::string_view Raw(size_t n);
  uint64_t Fixed64();
  // A varint that must be at most `max` (a count or an enum); larger values fail the reader.
  uint64_t Bounded(uint64_t max);

  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == in_.size(); }
  size_t position() const { return pos_; }
  size_t remaining() const { return in_.size() - pos_; }
  void Fail() { ok_ = false; }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// 64-bit FNV-1a of `bytes`, continuing from `state` (pass the result to hash in pieces). For
// identities and checksums (detecting accidents, not adversaries).
inline constexpr uint64_t kFnvOffset = 1469598103934665603ull;
uint64_t Fnv1a64(std::string_view bytes, uint64_t state = kFnvOffset);

// 16 lower-case hex digits.
std::string Hex64(uint64_t v);

}  // namespace fleetsim
