// Two-sample Mann–Whitney U test (Wilcoxon rank-sum test), two-sided, with the Hodges–Lehmann
// estimate of the location shift x - y and its asymptotic confidence interval: the statistic
// behind Kayenta's NetflixACAJudge (kayenta-mannwhitney/MannWhitney.scala), which ports the
// normal-approximation branch of R's wilcox.test(x, y, exact = FALSE, correct = TRUE,
// conf.int = TRUE).
//
// What is computed, precisely (m = |x|, n = |y|, N = m + n, D = the m·n differences x_i - y_j):
//   * u: R's W statistic, #{x_i > y_j} + 0.5·#{x_i == y_j} (the rank sum of x minus m(m+1)/2).
//   * z, p_value: z = (u - mn/2 - 0.5·sign(u - mn/2)) / sigma with the tie-corrected
//     sigma^2 = mn/12 · ((N+1) - Σ(t^3 - t) / (N(N-1))) over the tie groups of x ∪ y;
//     p = 2·min(Φ(z), 1 - Φ(z)), exactly as R. All observations tied (sigma = 0): z = 0, p = 1
//     (R returns NaN there).
//   * hodges_lehmann: the median of D (mean of the two middle values when m·n is even).
//     R and Kayenta instead return the root Brent's method finds for the estimating function
//     f below with q = 0. f changes sign exactly at the median of D, or is 0 on a flat step
//     that contains it; in the flat case Brent stops at some point of that step, so R's
//     estimate differs from ours by less than the gap between the pairwise differences around
//     the median (plus uniroot's 1e-4 tolerance).
//   * ci: R's asymptotic interval. With the shifted estimating function
//       f(d) = (U(d) - mn/2 - 0.5·sign(U(d) - mn/2)) / sigma(d),
//     U(d) = #{D > d} + 0.5·#{D == d} and sigma(d) tie-corrected over (x - d) ∪ y, the bound for
//     quantile q is min(D) if f(min D) <= q, max(D) if f(max D) >= q, and otherwise the root of
//     f(d) = q. f is a non-increasing step function between the distinct values of D, so the
//     root is the pairwise difference at which f jumps across q; we return that difference
//     exactly (R's uniroot and Kayenta's BrentSolver stop within their absolute tolerance 1e-4
//     of it; should f equal q on a whole step, which needs an exact coincidence, we return the
//     midpoint of that step). lo uses q = Φ^{-1}(1 - α/2), hi uses q = -Φ^{-1}(1 - α/2).
//     When sigma(min D) or sigma(max D) is 0 (x constant and y constant) R and Kayenta raise
//     "cannot compute confidence interval when all observations are tied": ci_valid is false.
//
// Contract: pure and deterministic (no randomness, no state); thread-safe. Requires both samples
// non-empty and finite (asserted). Cost O(mn log(mn)) time and O(mn) memory for the interval.
// Ties are decided by exact floating-point equality: inside the interval search the steps are
// the computed differences x_i - y_j; at the end points min D and max D the shifted sample is
// ranked as R does (x_i - d, then compared with y_j).
// Normal quantiles and cdf come from Boost.Math.
#pragma once

#include <cstdint>
#include <vector>

namespace fleetsim {

struct MannWhitneyResult {
  int64_t m = 0, n = 0;       // sizes of x and y
  double u = 0;               // R's W: #{x_i > y_j} + 0.5 #{x_i == y_j}
  double sigma = 0;           // tie-corrected standard deviation of u under H0
  double z = 0;               // continuity-corrected normal score of u
  double p_value = 1;         // two-sided
  double hodges_lehmann = 0;  // median of x_i - y_j
  bool ci_valid = false;      // false when R/Kayenta would fail (all observations tied)
  double ci_lo = 0, ci_hi = 0;
};

// Runs the test of "x - y has location shift 0" with a `confidence` (0 < c < 1) interval.
MannWhitneyResult MannWhitneyTest(const std::vector<double>& x, const std::vector<double>& y,
                                  double confidence = 0.95);

}  // namespace fleetsim
