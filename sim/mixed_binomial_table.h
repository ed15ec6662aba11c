// MixedBinomialTable: the exact law of one cell-minute's error count on the
// `signals.requests: expected` path, tabulated once and drawn with one 64-bit uniform.
//
// There a cell of n requests fails each of them with the cell-minute's probability
// P = min(1, mu x exp(sigma Z - sigma^2 / 2)), Z ~ N(0, 1) drawn once per cell-minute
// (SignalSampler::DrawCellMinute), so its error count X has the mixture law
//     P(X = k) = E_Z[ Binomial(k; n, P(Z)) ]
// which is all that anything downstream reads of a cell no change splits and no fault touches
// (its Z is not seen otherwise). The reference draws Z, then a Binomial (about 100 ns); this
// table is built once per (n, mu, sigma) and then costs one alias lookup (Walker 1977, Vose
// 1991) per cell-minute.
//
// Exactness: E_Z is integrated with the trapezoidal rule on z in [-kZMax, kZMax]. For an
// integrand that is analytic and decays like exp(-z^2/2) the rule's error falls like
// exp(-2 pi^2 w^2 / step^2), w the integrand's width in z: Binomial(k; n, P(z)) is about
// 1 / (sigma sqrt(n P)) wide, so AutoStep takes step <= w / 2 (error ~ exp(-79)) with w taken
// at z = 4 and at most kMaxStep; the mass outside |z| > 9 is < 3e-19. Each node's Binomial is
// summed outwards from its mode until its terms fall below 1e-18 of the mode's, and normalised by
// its own sum (so lgamma's rounding at large n cancels). The pmf is normalised; mass_lost()
// bounds what the quadrature weights and the truncated tails left out before that (tests hold it
// below 1e-12, and check the table's mean and variance against the closed forms E[X] = n E[P],
// Var[X] = n E[P] - n E[P^2] + n^2 Var[P]). The alias draw is exact up to the 2^-64 granularity of
// its uniform.
//
// Immutable after construction; thread-safe to draw from.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace fleetsim {

class MixedBinomialTable {
 public:
  static constexpr double kZMax = 9.0;
  static constexpr double kMaxStep = 0.05;
  static double AutoStep(int64_t n, double mu, double sigma);

  // n >= 0 requests, mean failure probability mu in [0, 1], lognormal shape sigma >= 0 (0: a
  // plain Binomial(n, mu)). `step` is for tests only (to compare two integration steps); 0 is
  // AutoStep.
  MixedBinomialTable(int64_t n, double mu, double sigma, double step = 0);

  int64_t n() const { return n_; }
  double mu() const { return mu_; }
  double sigma() const { return sigma_; }

  // One draw from a uniform 64-bit word.
  int64_t Draw(uint64_t u) const {
    const unsigned __int128 x = static_cast<unsigned __int128>(u) * alias_.size();
    const auto i = static_cast<size_t>(x >> 64);
    const auto frac = static_cast<uint64_t>(x);
    return first_ + (frac < threshold_[i] ? static_cast<int64_t>(i) : alias_[i]);
  }

  // P(X = first() + i).
  int64_t first() const { return first_; }
  std::span<const double> pmf() const { return pmf_; }
  // Probability the integration and the truncation left out before normalising.
  double mass_lost() const { return mass_lost_; }
  // E[X] and Var[X] of the tabulated law (for tests).
  double Mean() const;
  double Variance() const;

 private:
  void BuildAlias();

  int64_t n_;
  double mu_;
  double sigma_;
  int64_t first_ = 0;
  std::vector<double> pmf_;
  double mass_lost_ = 0;
  std::vector<uint64_t> threshold_;  // per column: keep it when frac < threshold
  std::vector<int32_t> alias_;       // per column: its alias (offset from first_)
};

}  // namespace fleetsim
