// Mann–Whitney U test with Hodges–Lehmann estimate and asymptotic interval. See mann_whitney.h
// for the exact definitions; this file only evaluates them.
//
// The interval search never iterates numerically: between two consecutive distinct pairwise
// differences the shifted sample (x - d) ∪ y has no cross-sample ties, so U(d) is a count read
// off the sorted differences and sigma(d) is the constant built from the within-x and within-y
// ties alone. Only the two end points min D and max D, where R evaluates the function
// explicitly, need a full ranking of (x - d) ∪ y with its cross-sample ties.
#include "policies/health/mann_whitney.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include <boost/math/distributions/normal.hpp>

namespace fleetsim {
namespace {

// Σ(t^3 - t) over the runs of equal values of a sorted vector.
double TieSum(const std::vector<double>& sorted) {
  double sum = 0;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i + 1;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    const double t = static_cast<double>(j - i);
    sum += t * t * t - t;
    i = j;
  }
  return sum;
}

// Tie-corrected standard deviation of U under H0; 0 when all N observations are tied.
double Sigma(double m, double n, double tie_sum) {
  const double big_n = m + n;
  const double v = m * n / 12.0 * ((big_n + 1) - tie_sum / (big_n * (big_n - 1)));
  return v > 0 ? std::sqrt(v) : 0.0;
}

// dz - 0.5 sign(dz): the two-sided continuity correction.
double Corrected(double dz) { return dz > 0 ? dz - 0.5 : (dz < 0 ? dz + 0.5 : 0.0); }

// U = #{a_i > b_j} + 0.5 #{a_i == b_j}, with b sorted.
double CountU(const std::vector<double>& a, const std::vector<double>& b_sorted) {
  double u = 0;
  for (double v : a) {
    const auto lo = std::lower_bound(b_sorted.begin(), b_sorted.end(), v);
    const auto hi = std::upper_bound(lo, b_sorted.end(), v);
    u += static_cast<double>(lo - b_sorted.begin()) + 0.5 * static_cast<double>(hi - lo);
  }
  return u;
}

// The estimating function f(d) at an exact point d, ranking (x - d) ∪ y as R's wdiff does.
// NaN when sigma(d) is 0.
double PointScore(const std::vector<double>& x, const std::vector<double>& y_sorted, double d) {
  std::vector<double> shifted(x.size());
  for (size_t i = 0; i < x.size(); ++i) shifted[i] = x[i] - d;
  std::vector<double> all(shifted);
  all.insert(all.end(), y_sorted.begin(), y_sorted.end());
  std::sort(all.begin(), all.end());
  const double m = static_cast<double>(x.size()), n = static_cast<double>(y_sorted.size());
  const double sigma = Sigma(m, n, TieSum(all));
  if (sigma == 0) return std::nan("");
  return Corrected(CountU(shifted, y_sorted) - m * n / 2) / sigma;
}

}  // namespace

MannWhitneyResult MannWhitneyTest(const std::vector<double>& x, const std::vector<double>& y,
                                  double confidence) {
  assert(!x.empty() && !y.empty());
  assert(confidence > 0 && confidence < 1);
  MannWhitneyResult r;
  r.m = static_cast<int64_t>(x.size());
  r.n = static_cast<int64_t>(y.size());
  const double m = static_cast<double>(r.m), n = static_cast<double>(r.n);
  const boost::math::normal std_normal;

  std::vector<double> xs(x), ys(y);
  std::sort(xs.begin(), xs.end());
  std::sort(ys.begin(), ys.end());

  // Test statistic and p-value on the unshifted samples.
  std::vector<double> all(xs);
  all.insert(all.end(), ys.begin(), ys.end());
  std::sort(all.begin(), all.end());
  r.u = CountU(xs, ys);
  r.sigma = Sigma(m, n, TieSum(all));
  if (r.sigma > 0) {
    r.z = Corrected(r.u - m * n / 2) / r.sigma;
    r.p_value = 2 * std::min(boost::math::cdf(std_normal, r.z),
                             boost::math::cdf(boost::math::complement(std_normal, r.z)));
  }

  // Sorted pairwise differences: the Hodges–Lehmann median and the interval's candidates.
  std::vector<double> diffs;
  diffs.reserve(x.size() * y.size());
  for (double a : xs) {
    for (double b : ys) diffs.push_back(a - b);
  }
  std::sort(diffs.begin(), diffs.end());
  const size_t k = diffs.size();
  r.hodges_lehmann = k % 2 == 1 ? diffs[k / 2] : 0.5 * (diffs[k / 2 - 1] + diffs[k / 2]);

  // Distinct differences v_j and, for each, #{D > v_j}: U on the open step right of v_j.
  std::vector<double> values;
  std::vector<double> above;
  for (size_t i = 0; i < k;) {
    size_t j = i + 1;
    while (j < k && diffs[j] == diffs[i]) ++j;
    values.push_back(diffs[i]);
    above.push_back(static_cast<double>(k - j));
    i = j;
  }
  const double open_sigma = Sigma(m, n, TieSum(xs) + TieSum(ys));
  const double f_min = PointScore(xs, ys, values.front());
  const double f_max = PointScore(xs, ys, values.back());
  if (std::isnan(f_min) || std::isnan(f_max)) return r;  // ci_valid stays false

  // The root of f(d) = q, following R's root(): the end points first, then the jump.
  auto root = [&](double q) {
    if (f_min - q <= 0) return values.front();
    if (f_max - q >= 0) return values.back();
    for (size_t j = 0; j + 1 < values.size(); ++j) {
      const double g = Corrected(above[j] - m * n / 2) / open_sigma - q;
      if (g < 0) return values[j];
      if (g == 0) {  // f == q on a whole run of steps: the midpoint of that run
        size_t last = j;
        while (last + 2 < values.size() &&
               Corrected(above[last + 1] - m * n / 2) / open_sigma - q == 0) {
          ++last;
        }
        return 0.5 * (values[j] + values[last + 1]);
      }
    }
    return values.back();
  };
  const double q = boost::math::quantile(std_normal, 1 - (1 - confidence) / 2);
  r.ci_lo = root(q);
  r.ci_hi = root(-q);
  r.ci_valid = true;
  return r;
}

}  // namespace fleetsim
