// Tests for the noisy path's table draws (issue 17): sim/philox_blocks (bulk Philox words equal
// RandomStream's), sim/mixed_binomial_table (the exact mixture law of one cell-minute's error
// count) and sim/mixed_binomial_cache (which keys earn a table).
//
// Closed forms: with P = mu exp(sigma Z - sigma^2 / 2) (never capped in these cases: mu e^{9 sigma}
// < 1), E[P] = mu and E[P^2] = mu^2 e^{sigma^2}, so X ~ Binomial(n, P) mixed over Z has
//     E[X] = n mu,   Var[X] = n mu - n mu^2 e^{sigma^2} + n^2 mu^2 (e^{sigma^2} - 1).
// The table's moments must match them to 1e-9 relative (the integration error is ~e^-79, the
// rest is double rounding over a few thousand terms). The alias draws are tested by Pearson's
// chi-square against the table's own pmf (tail bins merged to >= 20 expected), at the 0.999
// quantile of chi-square(df); a table for mu x 1.05 (a planted 5% bias) must be rejected by the
// same test on the same draws.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>

#include "sim/mixed_binomial_cache.h"
#include "sim/mixed_binomial_table.h"
#include "sim/philox_blocks.h"
#include "sim/random_stream.h"

namespace fleetsim {
namespace {

double ClosedFormVariance(double n, double mu, double sigma) {
  const double e = std::exp(sigma * sigma);
  return n * mu - n * mu * mu * e + n * n * mu * mu * (e - 1.0);
}

TEST_CASE("PhiloxBlocks yields exactly the RandomStream words", "[random][table]") {
  for (const StreamKey key : {StreamKey::CellNoise(1, 0, 0), StreamKey::CellNoise(42, 7, 12345),
                              StreamKey::CellNoise(0xdeadbeefcafeULL, 3, 1 << 20)}) {
    for (const uint32_t first : {0u, 1u, 5u, 1000u}) {
      for (const size_t n : {size_t{1}, size_t{15}, size_t{16}, size_t{17}, size_t{100}}) {
        std::vector<uint32_t> bulk(4 * n);
        PhiloxBlocks(key, first, n, bulk.data());
        RandomStream rng(key);
        for (uint32_t i = 0; i < 4 * first; ++i) rng();
        std::vector<uint32_t> one_by_one(4 * n);
        for (uint32_t& w : one_by_one) w = rng();
        INFO("first block " << first << ", " << n << " blocks");
        CHECK(bulk == one_by_one);
      }
    }
  }
}

struct TableCase {
  int64_t n;
  double mu;
  double sigma;
};

TEST_CASE("the mixture table has the closed-form mean and variance", "[table][exact]") {
  // The noisy scenario (125 hosts x 600 requests, sigma from overdispersion 0.2), a
  // small cell with strong noise, and a plain Binomial (sigma 0).
  for (const TableCase c : {TableCase{75'000, 0.001, std::sqrt(std::log1p(0.04))},
                            TableCase{1000, 0.01, std::sqrt(std::log1p(0.25))},
                            TableCase{20, 0.01, 0.5}, TableCase{5000, 0.002, 0.0}}) {
    const MixedBinomialTable table(c.n, c.mu, c.sigma);
    INFO("n " << c.n << " mu " << c.mu << " sigma " << c.sigma);
    const double n = static_cast<double>(c.n);
    const double variance =
        c.sigma > 0 ? ClosedFormVariance(n, c.mu, c.sigma) : n * c.mu * (1.0 - c.mu);
    CHECK(table.mass_lost() < 1e-12);
    CHECK(std::abs(table.Mean() / (n * c.mu) - 1.0) < 1e-9);
    CHECK(std::abs(table.Variance() / variance - 1.0) < 1e-9);
    double total = 0;
    for (const double p : table.pmf()) total += p;
    CHECK(std::abs(total - 1.0) < 1e-12);
  }
}

TEST_CASE("the table does not depend on the integration step", "[table][exact]") {
  // The trapezoid rule's error is ~exp(-79) at AutoStep: a step four times finer may only move
  // each probability by double rounding over the nodes (~1e-16 each).
  const int64_t n = 75'000;
  const double mu = 0.001, sigma = std::sqrt(std::log1p(0.04));
  const double step = MixedBinomialTable::AutoStep(n, mu, sigma);
  const MixedBinomialTable coarse(n, mu, sigma, step);
  const MixedBinomialTable fine(n, mu, sigma, step / 4);
  REQUIRE(coarse.first() <= fine.first() + 1);
  double max_diff = 0;
  for (size_t i = 0; i < fine.pmf().size(); ++i) {
    const int64_t k = fine.first() + static_cast<int64_t>(i);
    const int64_t j = k - coarse.first();
    const double p = j >= 0 && j < static_cast<int64_t>(coarse.pmf().size())
                         ? coarse.pmf()[static_cast<size_t>(j)]
                         : 0.0;
    max_diff = std::max(max_diff, std::abs(fine.pmf()[i] - p));
  }
  CHECK(max_diff < 1e-13);
}

// Pearson's statistic of `counts` (indexed from `first`) against `table`'s pmf, bins merged from
// both tails until each holds >= 20 expected draws; returns {statistic, degrees of freedom}.
std::pair<double, int> ChiSquare(const std::vector<int64_t>& counts, int64_t first,
                                 const MixedBinomialTable& table, double draws) {
  auto expected_at = [&](int64_t k) {
    const int64_t i = k - table.first();
    return i >= 0 && i < static_cast<int64_t>(table.pmf().size())
               ? draws * table.pmf()[static_cast<size_t>(i)]
               : 0.0;
  };
  double statistic = 0, bin_observed = 0, bin_expected = 0;
  int bins = 0;
  const int64_t last = first + static_cast<int64_t>(counts.size()) - 1;
  for (int64_t k = std::min(first, table.first());
       k <= std::max(last, table.first() + static_cast<int64_t>(table.pmf().size()) - 1); ++k) {
    bin_observed += k >= first && k <= last ? static_cast<double>(counts[k - first]) : 0.0;
    bin_expected += expected_at(k);
    if (bin_expected >= 20) {
      statistic += (bin_observed - bin_expected) * (bin_observed - bin_expected) / bin_expected;
      bin_observed = bin_expected = 0;
      ++bins;
    }
  }
  if (bin_expected > 0) {  // the last tail joins the last bin's statistic as its own bin
    statistic += (bin_observed - bin_expected) * (bin_observed - bin_expected) /
                 std::max(bin_expected, 1e-300);
    ++bins;
  }
  return {statistic, bins - 1};
}

TEST_CASE("alias draws follow the table's pmf, and a 5% bias is rejected", "[table][exact]") {
  const int64_t n = 75'000;
  const double mu = 0.001, sigma = std::sqrt(std::log1p(0.04));
  const MixedBinomialTable table(n, mu, sigma);
  const MixedBinomialTable biased(n, mu * 1.05, sigma);
  constexpr int kDraws = 1'000'000;
  for (const uint64_t seed : {1ULL, 2ULL, 20261204ULL}) {
    RandomStream rng(StreamKey::CellNoise(seed, 0, 0));
    const int64_t first = table.first();
    std::vector<int64_t> counts(table.pmf().size() + 64, 0);
    int64_t outside = 0;  // draws outside the table's support (must be none)
    for (int i = 0; i < kDraws; ++i) {
      const uint64_t u = (static_cast<uint64_t>(rng()) << 32) | rng();
      const int64_t k = table.Draw(u) - first;
      if (k < 0 || k >= static_cast<int64_t>(table.pmf().size()))
        ++outside;
      else
        ++counts[static_cast<size_t>(k)];
    }
    REQUIRE(outside == 0);
    const auto [statistic, df] = ChiSquare(counts, first, table, kDraws);
    const double critical = boost::math::quantile(boost::math::chi_squared(df), 0.999);
    INFO("seed " << seed << ": chi-square " << statistic << " on " << df << " df, critical "
                 << critical);
    CHECK(df > 50);
    CHECK(statistic < critical);
    const auto [biased_statistic, biased_df] = ChiSquare(counts, first, biased, kDraws);
    const double biased_critical =
        boost::math::quantile(boost::math::chi_squared(biased_df), 0.999);
    CHECK(biased_statistic > biased_critical);
  }
}

TEST_CASE("a key earns its table after enough draws over consecutive ticks", "[table]") {
  MixedBinomialCache cache(0.2);
  const int64_t per_tick = MixedBinomialCache::kBuildAfterDraws / 4;
  for (int tick = 0; tick < 3; ++tick) {
    CHECK(cache.Note(1000, 0.01, per_tick) == nullptr);
    cache.EndTick();
  }
  const MixedBinomialTable* table = cache.Note(1000, 0.01, per_tick);
  REQUIRE(table != nullptr);
  CHECK(table->n() == 1000);
  CHECK(table->mu() == 0.01);
  CHECK(cache.tables_built() == 1);
  cache.EndTick();
  // A key that skips a tick starts counting again.
  CHECK(cache.Note(2000, 0.01, per_tick) == nullptr);
  cache.EndTick();
  cache.EndTick();
  for (int tick = 0; tick < 3; ++tick) {
    CHECK(cache.Note(2000, 0.01, per_tick) == nullptr);
    cache.EndTick();
  }
  CHECK(cache.Note(2000, 0.01, per_tick) != nullptr);
}

}  // namespace
}  // namespace fleetsim
