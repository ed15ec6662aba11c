#include "analysis/byte_codec.h"

#include <bit>
#include <cstring>

namespace fleetsim {

void ByteWriter::Varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ByteWriter::Signed(int64_t v) {
  Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void ByteWriter::Fixed64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void ByteWriter::Double(double v) { Fixed64(std::bit_cast<uint64_t>(v)); }

void ByteWriter::Bytes(std::string_view s) {
  Varint(s.size());
  out_.append(s);
}

uint8_t ByteReader::U8() {
  if (!ok_ || pos_ >= in_.size()) {
    ok_ = false;
    return 0;
  }
  return static_cast<uint8_t>(in_[pos_++]);
}

uint64_t ByteReader::Varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const uint8_t b = U8();
    if (!ok_) return 0;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  ok_ = false;  // more than 10 bytes: not a varint we wrote
  return 0;
}

int64_t ByteReader::Signed() {
  const uint64_t z = Varint();
  return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

uint64_t ByteReader::Fixed64() {
  const std::string_view b = Raw(8);
  if (b.size() != 8) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(b[i])) << (8 * i);
  return v;
}

double ByteReader::Double() { return std::bit_cast<double>(Fixed64()); }

std::string_view ByteReader::Raw(size_t n) {
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  const std::string_view s = in_.substr(pos_, n);
  pos_ += n;
  return s;
}

std::string_view ByteReader::Bytes() {
  const uint64_t n = Varint();
  if (!ok_ || n > remaining()) {
    ok_ = false;
    return {};
  }
  return Raw(static_cast<size_t>(n));
}

uint64_t ByteReader::Bounded(uint64_t max) {
  const uint64_t v = Varint();
  if (v > max) {
    ok_ = false;
    return 0;
  }
  return v;
}

uint64_t Fnv1a64(std::string_view bytes, uint64_t state) {
  for (char c : bytes) {
    state ^= static_cast<uint8_t>(c);
    state *= 1099511628211ull;
  }
  return state;
}

std::string Hex64(uint64_t v) {
  static const char* const kDigits = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[i] = kDigits[v & 0xf];
    v >>= 4;
  }
  return s;
}

}  // namespace fleetsim
