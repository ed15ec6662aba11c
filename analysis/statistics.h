// Statistics used to summarize metrics across replicas (DESIGN §5): confidence intervals for
// means (Student t) and rates (Wilson score), type-7 percentiles, exact binomial tails, and the
// paired t-test behind `compare` (common random numbers give paired samples).
//
// Contract: every function is a pure, deterministic function of its arguments (no randomness,
// no global state), so it is safe to call from any thread. Inputs are taken by const reference
// except Percentile, which sorts its own copy. All results are finite for empty or tiny inputs
// (documented per function) except Percentile of an empty sample, which is NaN. Inputs must not
// contain NaN or infinities; preconditions on counts and probabilities are asserted.
// The distribution functions come from Boost.Math.
#pragma once

#include <cstdint>
#include <vector>

namespace fleetsim {

// A closed interval [lo, hi].
struct Interval {
  double lo = 0, hi = 0;
};

// Wilson score interval (no continuity correction) for a binomial proportion
// successes / trials, clamped to [0, 1]. trials == 0 gives {0, 1}.
// Requires 0 <= successes <= trials and 0 < confidence < 1.
Interval WilsonInterval(int64_t successes, int64_t trials, double confidence = 0.95);

// Two-sided Student t interval for the mean of xs: mean ± t_{(1+c)/2, n-1} * sd / sqrt(n).
// n == 0 gives {0, 0}; n == 1 or zero spread gives {mean, mean}. Requires 0 < confidence < 1.
Interval MeanInterval(const std::vector<double>& xs, double confidence = 0.95);

// The q-quantile of xs by linear interpolation between order statistics (Hyndman & Fan type 7,
// the default of R's quantile() and numpy.percentile): with h = (n-1)q,
// x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]) on the sorted sample.
// q is clamped to [0, 1]. Empty xs gives NaN.
double Percentile(std::vector<double> xs, double q);

// Distribution summary of one metric across replicas.
struct SampleSummary {
  int64_t n = 0;
  double mean = 0, stddev = 0;  // stddev is the sample standard deviation (divisor n-1).
  Interval ci95;                // MeanInterval(xs, 0.95).
  double p50 = 0, p95 = 0, p99 = 0, min = 0, max = 0;
};

// Summarizes xs. Empty xs gives all zeros; n == 1 gives stddev 0.
SampleSummary Summarize(const std::vector<double>& xs);

// A rate with its Wilson 95% interval.
struct RateSummary {
  int64_t count = 0, trials = 0;
  double rate = 0;  // count / trials; 0 when trials == 0.
  Interval ci95;    // WilsonInterval(count, trials, 0.95).
};

// Requires 0 <= count <= trials.
RateSummary SummarizeRate(int64_t count, int64_t trials);

// P[X > k] for X ~ Binomial(n, p), computed exactly (not by a normal approximation).
// k < 0 gives 1; k >= n gives 0. Requires n >= 0 and 0 <= p <= 1.
double BinomialUpperTail(int64_t k, int64_t n, double p);

// Paired comparison of a and b (a[i] and b[i] from the same seed).
struct PairedDifference {
  int64_t n = 0;
  double mean = 0;     // Mean of a[i] - b[i].
  Interval ci95;       // Student t 95% interval for the mean difference.
  double p_value = 1;  // Two-sided paired t-test of mean difference == 0.
};

// Paired t-test on d[i] = a[i] - b[i]. Requires a.size() == b.size().
// n == 0 gives mean 0; n < 2 gives ci95 {mean, mean} and p_value 1. If all d[i] are equal
// (zero variance) ci95 is {mean, mean} and p_value is 0 when mean != 0, else 1.
PairedDifference PairedTTest(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace fleetsim
