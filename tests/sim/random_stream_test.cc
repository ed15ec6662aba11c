// Tests for sim/random_stream.h (DESIGN §4.6): a stream is a pure function of its key
// (seed, replica, purpose, entity), every key component (including the high halves of the
// 64-bit ones) changes the sequence, NextUnit() lies in [0, 1) with mean 1/2, and the top byte
// of the 32-bit outputs is uniform. Tolerances come from the math: 5 standard errors of the
// U(0,1) mean (sd 1/sqrt(12)), and the chi-square test's critical value is the 0.999 quantile
// of chi-square(255) computed here with Boost.Math. A deliberately modulo-biased generator is
// rejected by the same chi-square test (negative control).
#include "sim/random_stream.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>

namespace fleetsim {
namespace {

std::vector<uint32_t> Draw(const StreamKey& key, int n) {
  RandomStream rng(key);
  std::vector<uint32_t> out(n);
  for (uint32_t& x : out) x = rng();
  return out;
}

// Pearson chi-square statistic of the top bytes of `draws` values against uniform over 256.
template <typename Gen>
double TopByteChiSquare(Gen&& next, int draws) {
  std::array<int64_t, 256> counts{};
  for (int i = 0; i < draws; ++i) ++counts[next() >> 24];
  const double expected = static_cast<double>(draws) / 256.0;
  double chi2 = 0;
  for (int64_t c : counts) chi2 += (c - expected) * (c - expected) / expected;
  return chi2;
}

double ChiSquareCritical(double df, double alpha) {
  return boost::math::quantile(boost::math::chi_squared(df), 1.0 - alpha);
}

TEST_CASE("the same key gives the same sequence", "[random]") {
  const StreamKey key{0x1234'5678'9abc'def0ull, 7, StreamPurpose::kSignals, 42};
  // 1000 draws span many Philox blocks.
  CHECK(Draw(key, 1000) == Draw(key, 1000));
  // Interleaving two streams does not couple them.
  RandomStream a(key), b(key);
  StreamKey other = key;
  other.entity = 43;
  RandomStream c(other);
  for (int i = 0; i < 100; ++i) {
    const uint32_t x = a();
    c();
    REQUIRE(x == b());
  }
}

TEST_CASE("changing any one key component changes the sequence", "[random]") {
  const StreamKey base{0x0123'4567'89ab'cdefull, 3, StreamPurpose::kSignals,
                       0x0000'0005'0000'0009ull};
  const std::vector<uint32_t> ref = Draw(base, 16);
  auto differs = [&](StreamKey k) { return Draw(k, 16) != ref; };
  StreamKey k = base;
  k.seed ^= 1;  // low half of the seed
  CHECK(differs(k));
  k = base;
  k.seed ^= 1ull << 40;  // high half of the seed
  CHECK(differs(k));
  k = base;
  k.replica = 4;
  CHECK(differs(k));
  k = base;
  k.purpose = StreamPurpose::kCellProfile;
  CHECK(differs(k));
  k = base;
  k.purpose = StreamPurpose::kTest;
  CHECK(differs(k));
  k = base;
  k.entity ^= 1;  // low half of the entity (e.g. the cell)
  CHECK(differs(k));
  k = base;
  k.entity ^= 1ull << 32;  // high half of the entity (e.g. the tick)
  CHECK(differs(k));
  // Swapping replica and the entity's low half must not collide either.
  k = base;
  k.replica = 9;
  k.entity = 0x0000'0005'0000'0003ull;
  CHECK(differs(k));
}

TEST_CASE("NextUnit lies in the half-open unit interval with mean 1/2", "[random]") {
  RandomStream rng(StreamKey{99, 0, StreamPurpose::kTest, 1});
  constexpr int kN = 1'000'000;
  double sum = 0, lo = 1, hi = 0;
  for (int i = 0; i < kN; ++i) {
    const double u = rng.NextUnit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  // U(0,1) has sd 1/sqrt(12); the mean of n draws has sd 1/sqrt(12 n).
  const double se = 1.0 / std::sqrt(12.0 * kN);
  CHECK(std::abs(sum / kN - 0.5) < 5 * se);
  // With 1e6 draws the extremes are within ~1e-5 of the ends (P[miss] = (1-1e-4)^1e6 ~ e^-100).
  CHECK(lo < 1e-4);
  CHECK(hi > 1 - 1e-4);
}

TEST_CASE("top byte of 32-bit outputs is uniform (chi-square, alpha = 0.001)", "[random]") {
  constexpr int kN = 1'000'000;
  const double critical = ChiSquareCritical(255, 0.001);  // ~330.5
  RandomStream rng(StreamKey{2024, 0, StreamPurpose::kTest, 2});
  const double chi2 = TopByteChiSquare([&] { return rng(); }, kN);
  INFO("chi2 = " << chi2 << ", critical = " << critical);
  CHECK(chi2 < critical);
}

TEST_CASE("negative control: the chi-square test rejects a modulo-biased generator", "[random]") {
  // x mod 0xFF000000 folds [0xFF000000, 2^32) onto [0, 0x01000000): top byte 0 gets twice the
  // probability and 0xFF none, a classic range-reduction bug.
  constexpr int kN = 1'000'000;
  const double critical = ChiSquareCritical(255, 0.001);
  RandomStream biased(StreamKey{2024, 0, StreamPurpose::kTest, 3});
  const double chi2 = TopByteChiSquare([&] { return biased() % 0xFF000000u; }, kN);
  INFO("biased chi2 = " << chi2 << ", critical = " << critical);
  CHECK(chi2 > critical);
}

}  // namespace
}  // namespace fleetsim
