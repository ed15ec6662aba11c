#include "sim/mixed_binomial_table.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace fleetsim {
namespace {

constexpr double kInvSqrt2Pi = 0.3989422804014327;
constexpr double kRelativeCutoff = 1e-18;

// Adds weight x Binomial(k; n, p) for every k where it matters to pmf[k - first]; `pmf` spans
// [first, first + size). The terms come from the mode outwards by the exact ratio recurrence
// and are normalised by their own sum, so the rounding of lgamma at large n (a relative ~1e-10
// at n = 75,000) scales nothing. Returns a bound on the node's probability left out: past the
// cutoff the terms fall faster than a geometric series (the Binomial is log-concave), so each
// side's tail is at most its first dropped term / (1 - the ratio there).
double AddBinomial(int64_t n, double p, double weight, int64_t first, std::vector<double>& pmf,
                   std::vector<double>& terms) {
  if (p <= 0 || p >= 1) {
    pmf[static_cast<size_t>((p <= 0 ? 0 : n) - first)] += weight;
    return 0;
  }
  const auto mode = static_cast<int64_t>(std::floor(static_cast<double>(n + 1) * p));
  const int64_t m = std::min(mode, n);
  const double nd = static_cast<double>(n), md = static_cast<double>(m);
  const double log_mode = std::lgamma(nd + 1) - std::lgamma(md + 1) - std::lgamma(nd - md + 1) +
                          md * std::log(p) + (nd - md) * std::log1p(-p);
  const double at_mode = std::exp(log_mode);
  const double odds = p / (1 - p);
  const int64_t last = first + static_cast<int64_t>(pmf.size()) - 1;
  const int64_t lo_limit = std::max<int64_t>(first, 0), hi_limit = std::min(last, n);
  // terms: k = m, m + 1, .. upwards, then m - 1, m - 2, .. downwards.
  terms.clear();
  double tail = 0, b = at_mode;
  for (int64_t k = m;; ++k) {  // upwards: k = m .. hi
    terms.push_back(b);
    if (k >= hi_limit) {
      if (k < n) tail += b;  // the support's bound cut it (45 sd: never in practice)
      break;
    }
    const double ratio = static_cast<double>(n - k) / static_cast<double>(k + 1) * odds;
    b *= ratio;
    if (b < kRelativeCutoff * at_mode) {
      tail += b / std::max(1e-300, 1 - ratio);
      break;
    }
  }
  const size_t up = terms.size();
  b = at_mode;
  for (int64_t k = m; k > lo_limit;) {  // downwards: k = m - 1 .. lo
    const double ratio = static_cast<double>(k) / static_cast<double>(n - k + 1) / odds;
    b *= ratio;
    --k;
    if (b < kRelativeCutoff * at_mode) {
      tail += b / std::max(1e-300, 1 - ratio);
      break;
    }
    terms.push_back(b);
  }
  double sum = 0;
  for (const double t : terms) sum += t;
  const double scale = weight / sum;
  for (size_t i = 0; i < up; ++i)
    pmf[static_cast<size_t>(m + static_cast<int64_t>(i) - first)] += scale * terms[i];
  for (size_t i = up; i < terms.size(); ++i)
    pmf[static_cast<size_t>(m - static_cast<int64_t>(i - up) - 1 - first)] += scale * terms[i];
  return weight * tail / sum;
}

}  // namespace

double MixedBinomialTable::AutoStep(int64_t n, double mu, double sigma) {
  if (sigma <= 0) return kMaxStep;
  const double mean_at_4 = static_cast<double>(n) * std::min(1.0, mu * std::exp(4 * sigma));
  return std::min(kMaxStep, 0.5 / (sigma * std::sqrt(std::max(1.0, mean_at_4))));
}

MixedBinomialTable::MixedBinomialTable(int64_t n, double mu, double sigma, double step)
    : n_(n), mu_(mu), sigma_(sigma) {
  if (n < 0 || !(mu >= 0 && mu <= 1) || !(sigma >= 0) || !(step >= 0))
    throw std::invalid_argument("MixedBinomialTable: n >= 0, mu in [0, 1], sigma >= 0");
  if (step == 0) step = AutoStep(n, mu, sigma);
  // The probabilities at the nodes, and the support that covers them.
  std::vector<double> p_at, w_at;
  if (sigma == 0 || mu == 0) {
    p_at.push_back(mu);
    w_at.push_back(1.0);
  } else {
    const int nodes = static_cast<int>(std::ceil(kZMax / step));
    for (int i = -nodes; i <= nodes; ++i) {
      const double z = i * step;
      p_at.push_back(std::min(1.0, mu * std::exp(sigma * z - 0.5 * sigma * sigma)));
      w_at.push_back(step * kInvSqrt2Pi * std::exp(-0.5 * z * z));
    }
  }
  const double p_lo = *std::min_element(p_at.begin(), p_at.end());
  const double p_hi = *std::max_element(p_at.begin(), p_at.end());
  const double nd = static_cast<double>(n);
  // 45 standard deviations (plus a margin for small means) hold every term above the cutoff.
  const auto bound = [&](double p, double side) {
    const double mean = nd * p;
    return mean + side * (45.0 * std::sqrt(mean * (1 - p)) + 45.0);
  };
  first_ = std::clamp(static_cast<int64_t>(std::floor(bound(p_lo, -1))), int64_t{0}, n);
  const int64_t last = std::clamp(static_cast<int64_t>(std::ceil(bound(p_hi, 1))), first_, n);
  pmf_.assign(static_cast<size_t>(last - first_ + 1), 0.0);
  // Each node adds exactly its weight; what is lost is the weights' shortfall from 1 (the
  // quadrature and |z| > kZMax) and the truncated tails.
  std::vector<double> terms;
  double weights = 0, tails = 0;
  for (size_t i = 0; i < p_at.size(); ++i) {
    tails += AddBinomial(n, p_at[i], w_at[i], first_, pmf_, terms);
    weights += w_at[i];
  }
  double total = 0;
  for (double q : pmf_) total += q;
  mass_lost_ = std::abs(1.0 - weights) + tails;
  for (double& q : pmf_) q /= total;
  // Trim zero tails (the support was generous).
  size_t lo = 0, hi = pmf_.size();
  while (lo + 1 < hi && pmf_[lo] == 0) ++lo;
  while (hi - 1 > lo && pmf_[hi - 1] == 0) --hi;
  pmf_ = std::vector<double>(pmf_.begin() + static_cast<std::ptrdiff_t>(lo),
                             pmf_.begin() + static_cast<std::ptrdiff_t>(hi));
  first_ += static_cast<int64_t>(lo);
  BuildAlias();
}

void MixedBinomialTable::BuildAlias() {
  // Vose's alias method: columns of height 1/K, each holding its own mass and one alias.
  const size_t k = pmf_.size();
  std::vector<double> scaled(k);
  std::vector<size_t> small, large;
  for (size_t i = 0; i < k; ++i) {
    scaled[i] = pmf_[i] * static_cast<double>(k);
    (scaled[i] < 1.0 ? small : large).push_back(i);
  }
  threshold_.assign(k, ~uint64_t{0});
  alias_.assign(k, 0);
  for (size_t i = 0; i < k; ++i) alias_[i] = static_cast<int32_t>(i);
  constexpr double kTwo64 = 18446744073709551616.0;
  const auto to_threshold = [&](double q) {
    return q >= 1.0 ? ~uint64_t{0} : static_cast<uint64_t>(q * kTwo64);
  };
  while (!small.empty() && !large.empty()) {
    const size_t s = small.back();
    small.pop_back();
    const size_t l = large.back();
    threshold_[s] = to_threshold(scaled[s]);
    alias_[s] = static_cast<int32_t>(l);
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left is 1 up to rounding: keep it whole.
  for (size_t i : small) threshold_[i] = ~uint64_t{0};
  for (size_t i : large) threshold_[i] = ~uint64_t{0};
}

double MixedBinomialTable::Mean() const {
  double m = 0;
  for (size_t i = 0; i < pmf_.size(); ++i)
    m += pmf_[i] * static_cast<double>(first_ + static_cast<int64_t>(i));
  return m;
}

double MixedBinomialTable::Variance() const {
  const double mean = Mean();
  double v = 0;
  for (size_t i = 0; i < pmf_.size(); ++i) {
    const double d = static_cast<double>(first_ + static_cast<int64_t>(i)) - mean;
    v += pmf_[i] * d * d;
  }
  return v;
}

}  // namespace fleetsim
