// Implementation of analysis/statistics.h. Quantiles and tail probabilities come from
// Boost.Math; everything else is arithmetic on the sample. Means are computed shifted by the
// first element so that a constant sample has exactly its value as mean and zero spread.
#include "analysis/statistics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace fleetsim {
namespace {

// Moments of a sample. sd is the sample standard deviation (divisor n-1), 0 when n < 2.
struct Moments {
  int64_t n = 0;
  double mean = 0;
  double sd = 0;
  bool constant = true;  // All elements equal (vacuously true for n < 2).
};

Moments ComputeMoments(const std::vector<double>& xs) {
  Moments m;
  m.n = static_cast<int64_t>(xs.size());
  if (m.n == 0) return m;
  const double shift = xs.front();
  double sum = 0;
  for (double x : xs) {
    sum += x - shift;
    if (x != shift) m.constant = false;
  }
  const double shifted_mean = sum / static_cast<double>(m.n);
  m.mean = shift + shifted_mean;
  if (m.n < 2 || m.constant) return m;
  double ss = 0;
  for (double x : xs) {
    const double d = (x - shift) - shifted_mean;
    ss += d * d;
  }
  m.sd = std::sqrt(ss / static_cast<double>(m.n - 1));
  return m;
}

// Upper (1+confidence)/2 quantile of Student t with df degrees of freedom.
double TwoSidedTQuantile(int64_t df, double confidence) {
  assert(df >= 1);
  assert(confidence > 0 && confidence < 1);
  const boost::math::students_t dist(static_cast<double>(df));
  return boost::math::quantile(boost::math::complement(dist, (1 - confidence) / 2));
}

// Student t interval around m.mean; degenerate when there is no spread to estimate.
Interval TInterval(const Moments& m, double confidence) {
  if (m.n < 2 || m.constant) return {m.mean, m.mean};
  const double half =
      TwoSidedTQuantile(m.n - 1, confidence) * m.sd / std::sqrt(static_cast<double>(m.n));
  return {m.mean - half, m.mean + half};
}

}  // namespace

Interval WilsonInterval(int64_t successes, int64_t trials, double confidence) {
  assert(successes >= 0 && successes <= trials);
  assert(confidence > 0 && confidence < 1);
  if (trials == 0) return {0, 1};
  const double z =
      boost::math::quantile(boost::math::complement(boost::math::normal(), (1 - confidence) / 2));
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denom = 1 + z2 / n;
  const double center = (p + z2 / (2 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  Interval ci;
  ci.lo = successes == 0 ? 0.0 : std::max(0.0, center - half);
  ci.hi = successes == trials ? 1.0 : std::min(1.0, center + half);
  return ci;
}

Interval MeanInterval(const std::vector<double>& xs, double confidence) {
  assert(confidence > 0 && confidence < 1);
  return TInterval(ComputeMoments(xs), confidence);
}

double Percentile(std::vector<double> xs, double q) {
  if (xs.empty() || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  q = std::clamp(q, 0.0, 1.0);
  std::sort(xs.begin(), xs.end());
  const double h = static_cast<double>(xs.size() - 1) * q;
  const size_t lo = static_cast<size_t>(std::floor(h));
  if (lo + 1 >= xs.size()) return xs.back();
  const double frac = h - static_cast<double>(lo);
  return xs[lo] + frac * (xs[lo + 1] - xs[lo]);
}

SampleSummary Summarize(const std::vector<double>& xs) {
  SampleSummary s;
  if (xs.empty()) return s;
  const Moments m = ComputeMoments(xs);
  s.n = m.n;
  s.mean = m.mean;
  s.stddev = m.sd;
  s.ci95 = TInterval(m, 0.95);
  std::vector<double> sorted = xs;
  std::sort(sorted.begin(), sorted.end());
  s.min = sorted.front();
  s.max = sorted.back();
  s.p50 = Percentile(sorted, 0.50);
  s.p95 = Percentile(sorted, 0.95);
  s.p99 = Percentile(sorted, 0.99);
  return s;
}

RateSummary SummarizeRate(int64_t count, int64_t trials) {
  assert(count >= 0 && count <= trials);
  RateSummary r;
  r.count = count;
  r.trials = trials;
  r.rate = trials == 0 ? 0.0 : static_cast<double>(count) / static_cast<double>(trials);
  r.ci95 = WilsonInterval(count, trials, 0.95);
  return r;
}

double BinomialUpperTail(int64_t k, int64_t n, double p) {
  assert(n >= 0);
  assert(p >= 0 && p <= 1);
  if (k < 0) return 1.0;
  if (k >= n) return 0.0;
  const boost::math::binomial dist(static_cast<double>(n), p);
  return boost::math::cdf(boost::math::complement(dist, static_cast<double>(k)));
}

PairedDifference PairedTTest(const std::vector<double>& a, const std::vector<double>& b) {
  assert(a.size() == b.size());
  std::vector<double> d(a.size());
  for (size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  const Moments m = ComputeMoments(d);
  PairedDifference r;
  r.n = m.n;
  r.mean = m.mean;
  r.ci95 = TInterval(m, 0.95);
  if (m.n < 2) {
    r.p_value = 1;
  } else if (m.constant) {
    r.p_value = m.mean != 0 ? 0.0 : 1.0;
  } else {
    const double t = m.mean / (m.sd / std::sqrt(static_cast<double>(m.n)));
    const boost::math::students_t dist(static_cast<double>(m.n - 1));
    r.p_value = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(dist, std::abs(t))));
  }
  return r;
}

}  // namespace fleetsim
