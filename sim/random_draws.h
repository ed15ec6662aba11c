// Counts drawn from a RandomStream with Boost.Random distributions (never std:: ones, whose
// algorithms differ between standard libraries). Shared by every model that samples counts.
#pragma once

#include <array>
#include <cstdint>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "sim/random_stream.h"
#include "sim/sim_time.h"

namespace fleetsim {

// Poisson draws. Means below kPoissonInversionLimit use inversion by chop-down search from 0
// (one uniform, one exp, about mean + 1 multiply-subtract steps; Devroye 1986, X.3.3); larger
// means use Ahrens and Dieter's modified normal method (algorithm PD, below), which is where it
// is defined (mean >= 10). The signal sampler draws two such counts per cohort and minute, or
// per column of plain cells (its base errors and its successes), so these two are its hot path.
inline constexpr double kPoissonInversionLimit = 10;

inline int64_t DrawPoissonByInversion(RandomStream& rng, double mean) {
  // 1/k for k < 128: the search multiplies instead of dividing (k stays below 128 except
  // with probability < 1e-30 below the limit, where it falls back to a division).
  static constexpr auto kReciprocal = [] {
    std::array<double, 128> r{};
    for (size_t k = 1; k < r.size(); ++k) r[k] = 1.0 / static_cast<double>(k);
    return r;
  }();
  double u = rng.NextUnit();
  double p = std::exp(-mean);
  int64_t k = 0;
  // Rounding can leave the summed probabilities a few ulps short of 1; the cap (far in the
  // tail) ends the search if u falls in that gap.
  const int64_t cap = static_cast<int64_t>(mean + 40.0 * std::sqrt(mean) + 40.0);
  while (u > p && k < cap) {
    u -= p;
    ++k;
    p *= mean * (k < 128 ? kReciprocal[static_cast<size_t>(k)] : 1.0 / static_cast<double>(k));
  }
  return k;
}

namespace poisson_pd {

// Procedure F of algorithm PD: for a candidate k, the log of its Poisson probability up to the
// normalisation the method cancels (px, py: p(k) = py exp(px)) and the log-density and density
// of the "modified normal" the method compares it with (fx, fy).
struct Terms {
  double px = 0, py = 0, fx = 0, fy = 0;
};

inline Terms ProcedureF(double mean, double s, double k) {
  static constexpr double kInvSqrt2Pi = 0.3989422804014327;
  static constexpr std::array<double, 10> kFactorial = {1,   1,   2,    6,     24,
                                                        120, 720, 5040, 40320, 362880};
  Terms t;
  if (k < 10) {
    t.px = -mean;
    t.py = std::pow(mean, k) / kFactorial[static_cast<size_t>(k)];
  } else {
    // log p(k) - log(py) by Stirling's series for log k! with its first two correction terms
    // (1/12k - 1/360k^3; the next one, 1/1260k^5, is below 1e-8 for k >= 10).
    double delta = 1.0 / (12.0 * k);
    delta -= 4.8 * delta * delta * delta;
    const double v = (mean - k) / k;
    t.px = k * (std::log1p(v) - v) - delta;
    t.py = kInvSqrt2Pi / std::sqrt(k);
  }
  // The normal density with an Edgeworth-type correction (the paper's c0..c3).
  const double b1 = 1.0 / (24.0 * mean);
  const double b2 = 0.3 * b1 * b1;
  const double c3 = b1 * b2 / 7.0;
  const double c2 = b2 - 15.0 * c3;
  const double c1 = b1 - 6.0 * b2 + 45.0 * c3;
  const double c0 = 1.0 - b1 + 3.0 * b2 - 15.0 * c3;
  const double x = (k - mean + 0.5) / s;
  const double x2 = x * x;
  t.fx = -0.5 * x2;
  t.fy = kInvSqrt2Pi / s * (((c3 * x2 + c2) * x2 + c1) * x2 + c0);
  return t;
}

}  // namespace poisson_pd

// Poisson(mean), mean >= 10, by J. H. Ahrens and U. Dieter, "Computer generation of Poisson
// deviates from modified normal distributions", ACM TOMS 8(2), 1982, algorithm PD. A normal
// deviate is rounded down and accepted at once when it lands at or above mean - 1.1484 (more
// than half of all draws); a cheap squeeze accepts most of the rest; the remainder is decided by
// comparing the exact probability with the normal's (step Q), and a double-exponential rejection
// step (E, H) supplies the mass the normal lacks. Exact up to the last Stirling term above.
inline int64_t DrawPoissonByModifiedNormal(RandomStream& rng, double mean) {
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  const double s = std::sqrt(mean);
  // Step N.
  const double g = mean + s * normal(rng);
  // The uniform of step S is drawn whether or not step I accepts: one well-predicted branch
  // instead of an unpredictable one (about half of all draws go each way at large means).
  const double u = rng.NextUnit();
  if (g >= 0) {
    const double k = std::floor(g);
    // Step I (immediate acceptance) or step S (squeeze).
    const double below = mean - k;
    if ((k >= std::floor(mean - 1.1484)) | (6.0 * mean * mean * u >= below * below * below)) {
      return static_cast<int64_t>(k);
    }
    // Steps P, Q.
    const poisson_pd::Terms f = poisson_pd::ProcedureF(mean, s, k);
    if (f.fy - u * f.fy <= f.py * std::exp(f.px - f.fx)) return static_cast<int64_t>(k);
  }
  boost::random::exponential_distribution<double> exponential(1.0);
  const double c = 0.1069 / mean;
  for (;;) {
    // Step E: a sample t of the double exponential centred at 1.8, cut at -0.6744.
    const double e = exponential(rng);
    const double u = 2.0 * rng.NextUnit() - 1.0;
    const double t = 1.8 + (u < 0 ? -e : e);
    if (t <= -0.6744) continue;
    const double k = std::floor(mean + s * t);
    // Step H.
    const poisson_pd::Terms f = poisson_pd::ProcedureF(mean, s, k);
    if (c * std::abs(u) <= f.py * std::exp(f.px + e) - f.fy * std::exp(f.fx + e))
      return static_cast<int64_t>(k);
  }
}

inline int64_t DrawPoisson(RandomStream& rng, double mean) {
  if (mean <= 0) return 0;
  if (mean < kPoissonInversionLimit) return DrawPoissonByInversion(rng, mean);
  return DrawPoissonByModifiedNormal(rng, mean);
}

inline int64_t DrawBinomial(RandomStream& rng, int64_t n, double p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  boost::random::binomial_distribution<int64_t, double> dist(n, p);
  return dist(rng);
}

// A lognormal duration with this median and shape (sigma 0: exactly the median), rounded to ms.
inline SimTime DrawLognormalTime(RandomStream& rng, SimTime median, double sigma) {
  if (sigma <= 0) return median;
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  const double factor = std::exp(sigma * normal(rng));
  return SimTime::Millis(
      static_cast<int64_t>(std::llround(static_cast<double>(median.millis()) * factor)));
}

}  // namespace fleetsim
