// Tests for analysis/statistics.h against reference values that do not come from the
// implementation: published tables (Newcombe 1998; Student t and normal quantile tables),
// closed forms worked by hand (documented next to each check) and R's documented output for
// Student's sleep data. Tolerances follow the rounding of each reference.
#include "analysis/statistics.h"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

namespace fleetsim {
namespace {

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

// Newcombe (1998) prints 4 decimals, so the true interval is within 5e-5 of the table.
constexpr double kFourDecimals = 5e-5;
// Table quantiles below are given to 10 significant digits.
constexpr double kTableDigits = 1e-8;

// Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
// seven methods", Stat Med 17:857-872, Table I, method 3 (score method without continuity
// correction).
TEST_CASE("WilsonInterval matches Newcombe 1998 Table I", "[statistics]") {
  struct Case {
    int64_t x, n;
    double lo, hi;
  };
  const Case cases[] = {
      {81, 263, 0.2553, 0.3662},
      {15, 148, 0.0624, 0.1605},
      {0, 20, 0.0, 0.1611},
      {1, 29, 0.0061, 0.1718},
  };
  for (const Case& c : cases) {
    INFO(c.x << "/" << c.n);
    const Interval ci = WilsonInterval(c.x, c.n);
    CHECK_THAT(ci.lo, WithinAbs(c.lo, kFourDecimals));
    CHECK_THAT(ci.hi, WithinAbs(c.hi, kFourDecimals));
  }
}

TEST_CASE("WilsonInterval closed forms at the boundaries", "[statistics]") {
  // For x = 0 the Wilson upper bound is z^2 / (n + z^2), for x = n the lower bound is
  // n / (n + z^2). z values from the normal table: z_0.975 = 1.959963985, z_0.995 = 2.575829304.
  const double z95 = 1.959963985, z99 = 2.575829304;
  const Interval zero = WilsonInterval(0, 20);
  CHECK(zero.lo == 0.0);
  CHECK_THAT(zero.hi, WithinAbs(z95 * z95 / (20 + z95 * z95), kTableDigits));
  const Interval all = WilsonInterval(20, 20);
  CHECK_THAT(all.lo, WithinAbs(20 / (20 + z95 * z95), kTableDigits));
  CHECK(all.hi == 1.0);
  const Interval zero99 = WilsonInterval(0, 20, 0.99);
  CHECK_THAT(zero99.hi, WithinAbs(z99 * z99 / (20 + z99 * z99), kTableDigits));  // 0.249106
}

TEST_CASE("WilsonInterval with no trials is the whole unit interval", "[statistics]") {
  const Interval ci = WilsonInterval(0, 0);
  CHECK(ci.lo == 0.0);
  CHECK(ci.hi == 1.0);
}

TEST_CASE("MeanInterval uses Student t quantiles", "[statistics]") {
  // t table: t_{0.975,4} = 2.776445105, t_{0.975,10} = 2.228138852, t_{0.975,1} = 12.70620474,
  // t_{0.995,10} = 3.169272673.
  SECTION("1..5: mean 3, sd sqrt(2.5), se sqrt(0.5)") {
    const Interval ci = MeanInterval({1, 2, 3, 4, 5});
    const double half = 2.776445105 * std::sqrt(2.5) / std::sqrt(5.0);  // 1.963243...
    CHECK_THAT(ci.lo, WithinAbs(3 - half, kTableDigits));
    CHECK_THAT(ci.hi, WithinAbs(3 + half, kTableDigits));
  }
  SECTION("0..10: mean 5, variance 110/10 = 11, se sqrt(11/11) = 1") {
    std::vector<double> xs;
    for (int i = 0; i <= 10; ++i) xs.push_back(i);
    const Interval ci = MeanInterval(xs);
    CHECK_THAT(ci.lo, WithinAbs(5 - 2.228138852, kTableDigits));
    CHECK_THAT(ci.hi, WithinAbs(5 + 2.228138852, kTableDigits));
    const Interval ci99 = MeanInterval(xs, 0.99);
    CHECK_THAT(ci99.lo, WithinAbs(5 - 3.169272673, kTableDigits));
    CHECK_THAT(ci99.hi, WithinAbs(5 + 3.169272673, kTableDigits));
  }
  SECTION("{0, 2}: mean 1, sd sqrt(2), se 1") {
    const Interval ci = MeanInterval({0, 2});
    CHECK_THAT(ci.lo, WithinAbs(1 - 12.70620474, kTableDigits));
    CHECK_THAT(ci.hi, WithinAbs(1 + 12.70620474, kTableDigits));
  }
}

TEST_CASE("MeanInterval degenerate samples", "[statistics]") {
  const Interval empty = MeanInterval({});
  CHECK(empty.lo == 0.0);
  CHECK(empty.hi == 0.0);
  const Interval one = MeanInterval({7.5});
  CHECK(one.lo == 7.5);
  CHECK(one.hi == 7.5);
  const Interval constant = MeanInterval({0.1, 0.1, 0.1});
  CHECK(constant.lo == 0.1);
  CHECK(constant.hi == 0.1);
}

TEST_CASE("Percentile is R type 7 / numpy linear", "[statistics]") {
  // {1,2,3,4}: h = 3q. q=0.25 -> h=0.75 -> 1 + 0.75 = 1.75; q=0.5 -> 2.5; q=0.9 -> h=2.7 -> 3.7.
  const std::vector<double> xs = {4, 1, 3, 2};  // Unsorted on purpose.
  CHECK_THAT(Percentile(xs, 0.0), WithinAbs(1.0, 1e-12));
  CHECK_THAT(Percentile(xs, 0.25), WithinAbs(1.75, 1e-12));
  CHECK_THAT(Percentile(xs, 0.5), WithinAbs(2.5, 1e-12));
  CHECK_THAT(Percentile(xs, 0.9), WithinAbs(3.7, 1e-12));
  CHECK_THAT(Percentile(xs, 1.0), WithinAbs(4.0, 1e-12));
  // {10,...,50}: h = 4q. q=0.95 -> h=3.8 -> 40 + 0.8*10 = 48; q=0.99 -> h=3.96 -> 49.6.
  const std::vector<double> ys = {50, 10, 40, 20, 30};
  CHECK_THAT(Percentile(ys, 0.95), WithinAbs(48.0, 1e-12));
  CHECK_THAT(Percentile(ys, 0.99), WithinAbs(49.6, 1e-12));
  CHECK_THAT(Percentile(ys, 0.5), WithinAbs(30.0, 1e-12));
  // Out-of-range q is clamped; a single element is every quantile; empty is NaN.
  CHECK(Percentile(ys, 1.5) == 50.0);
  CHECK(Percentile(ys, -0.5) == 10.0);
  CHECK(Percentile({3.25}, 0.37) == 3.25);
  CHECK(std::isnan(Percentile({}, 0.5)));
}

TEST_CASE("Summarize on 1..5", "[statistics]") {
  const SampleSummary s = Summarize({5, 3, 1, 4, 2});
  CHECK(s.n == 5);
  CHECK_THAT(s.mean, WithinAbs(3.0, 1e-12));
  CHECK_THAT(s.stddev, WithinAbs(1.5811388300841898, 1e-12));  // sqrt(10/4)
  const double half = 2.776445105 * std::sqrt(0.5);
  CHECK_THAT(s.ci95.lo, WithinAbs(3 - half, kTableDigits));
  CHECK_THAT(s.ci95.hi, WithinAbs(3 + half, kTableDigits));
  CHECK_THAT(s.p50, WithinAbs(3.0, 1e-12));
  CHECK_THAT(s.p95, WithinAbs(4.8, 1e-12));   // h = 3.8
  CHECK_THAT(s.p99, WithinAbs(4.96, 1e-12));  // h = 3.96
  CHECK(s.min == 1.0);
  CHECK(s.max == 5.0);
}

TEST_CASE("Summarize degenerate samples are finite", "[statistics]") {
  const SampleSummary empty = Summarize({});
  CHECK(empty.n == 0);
  CHECK(empty.mean == 0.0);
  CHECK(empty.stddev == 0.0);
  CHECK(empty.ci95.lo == 0.0);
  CHECK(empty.ci95.hi == 0.0);
  CHECK(empty.p50 == 0.0);
  CHECK(empty.p99 == 0.0);
  CHECK(empty.min == 0.0);
  CHECK(empty.max == 0.0);
  const SampleSummary one = Summarize({2.5});
  CHECK(one.n == 1);
  CHECK(one.mean == 2.5);
  CHECK(one.stddev == 0.0);
  CHECK(one.ci95.lo == 2.5);
  CHECK(one.ci95.hi == 2.5);
  CHECK(one.p95 == 2.5);
}

TEST_CASE("SummarizeRate", "[statistics]") {
  const RateSummary r = SummarizeRate(81, 263);
  CHECK(r.count == 81);
  CHECK(r.trials == 263);
  CHECK_THAT(r.rate, WithinAbs(81.0 / 263.0, 1e-15));
  CHECK_THAT(r.ci95.lo, WithinAbs(0.2553, kFourDecimals));
  CHECK_THAT(r.ci95.hi, WithinAbs(0.3662, kFourDecimals));
  const RateSummary none = SummarizeRate(0, 0);
  CHECK(none.rate == 0.0);
  CHECK(none.ci95.lo == 0.0);
  CHECK(none.ci95.hi == 1.0);
}

TEST_CASE("BinomialUpperTail is the exact upper tail P(X > k)", "[statistics]") {
  // n=10, p=1/2: P[X>7] = (C(10,8)+C(10,9)+C(10,10))/2^10 = (45+10+1)/1024.
  CHECK_THAT(BinomialUpperTail(7, 10, 0.5), WithinRel(56.0 / 1024, 1e-12));
  CHECK_THAT(BinomialUpperTail(9, 10, 0.5), WithinRel(1.0 / 1024, 1e-12));
  // P[X>4] = 1 - (1+10+45+120+210)/1024 = 638/1024.
  CHECK_THAT(BinomialUpperTail(4, 10, 0.5), WithinRel(638.0 / 1024, 1e-12));
  // n=5, p=0.2: P[X>3] = 5*0.2^4*0.8 + 0.2^5 = 0.0064 + 0.00032; P[X>0] = 1 - 0.8^5.
  CHECK_THAT(BinomialUpperTail(3, 5, 0.2), WithinRel(0.00672, 1e-12));
  CHECK_THAT(BinomialUpperTail(0, 5, 0.2), WithinRel(0.67232, 1e-12));
  // Boundaries.
  CHECK(BinomialUpperTail(-1, 10, 0.5) == 1.0);
  CHECK(BinomialUpperTail(10, 10, 0.5) == 0.0);
  CHECK(BinomialUpperTail(11, 10, 0.5) == 0.0);
  CHECK(BinomialUpperTail(0, 0, 0.5) == 0.0);
  CHECK_THAT(BinomialUpperTail(0, 5, 0.0), WithinAbs(0.0, 1e-15));
  CHECK_THAT(BinomialUpperTail(4, 5, 1.0), WithinAbs(1.0, 1e-15));
}

TEST_CASE("PairedTTest on Student's sleep data", "[statistics]") {
  // Cushny & Peebles via Student (1908); R: t.test(extra ~ group, data = sleep, paired = TRUE)
  // prints t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 -0.7001142,
  // mean difference -1.58. By hand: d = a - b sums to -15.8; sum of squared deviations
  // 13.616, so sd = sqrt(13.616/9) = 1.229995, se = 0.388959, t = -4.06213.
  const std::vector<double> a = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  const std::vector<double> b = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
  const PairedDifference r = PairedTTest(a, b);
  CHECK(r.n == 10);
  CHECK_THAT(r.mean, WithinAbs(-1.58, 1e-12));
  CHECK_THAT(r.ci95.lo, WithinAbs(-2.4598858, 5e-8));
  CHECK_THAT(r.ci95.hi, WithinAbs(-0.7001142, 5e-8));
  CHECK_THAT(r.p_value, WithinAbs(0.002833, 5e-7));
  // Swapping the arms flips the sign and keeps the p-value.
  const PairedDifference s = PairedTTest(b, a);
  CHECK_THAT(s.mean, WithinAbs(1.58, 1e-12));
  CHECK_THAT(s.ci95.lo, WithinAbs(0.7001142, 5e-8));
  CHECK_THAT(s.p_value, WithinAbs(r.p_value, 1e-15));
}

TEST_CASE("PairedTTest closed form for 2 degrees of freedom", "[statistics]") {
  // d = {1,2,3}: mean 2, sd 1, se 1/sqrt(3), t = 2*sqrt(3). For df = 2 the t CDF is
  // F(t) = 1/2 + t / (2 sqrt(2 + t^2)), so p = 1 - t/sqrt(2 + t^2) = 1 - sqrt(6/7), and the
  // quantile is t_q = (2q - 1) / sqrt(2 q (1 - q)): t_0.975 = 0.95 / sqrt(0.04875).
  const PairedDifference r = PairedTTest({11, 12, 13}, {10, 10, 10});
  CHECK(r.n == 3);
  CHECK_THAT(r.mean, WithinAbs(2.0, 1e-12));
  CHECK_THAT(r.p_value, WithinAbs(1 - std::sqrt(6.0 / 7.0), 1e-12));  // 0.0741799
  const double half = 0.95 / std::sqrt(0.04875) / std::sqrt(3.0);
  CHECK_THAT(r.ci95.lo, WithinAbs(2 - half, 1e-10));
  CHECK_THAT(r.ci95.hi, WithinAbs(2 + half, 1e-10));
}

TEST_CASE("PairedTTest degenerate inputs", "[statistics]") {
  const PairedDifference empty = PairedTTest({}, {});
  CHECK(empty.n == 0);
  CHECK(empty.mean == 0.0);
  CHECK(empty.p_value == 1.0);
  const PairedDifference one = PairedTTest({3}, {1});
  CHECK(one.n == 1);
  CHECK(one.mean == 2.0);
  CHECK(one.ci95.lo == 2.0);
  CHECK(one.ci95.hi == 2.0);
  CHECK(one.p_value == 1.0);
  const PairedDifference shifted = PairedTTest({1.5, 2.5, 3.5}, {1, 2, 3});
  CHECK(shifted.mean == 0.5);
  CHECK(shifted.ci95.lo == 0.5);
  CHECK(shifted.ci95.hi == 0.5);
  CHECK(shifted.p_value == 0.0);
  const PairedDifference same = PairedTTest({1, 2, 3}, {1, 2, 3});
  CHECK(same.mean == 0.0);
  CHECK(same.p_value == 1.0);
}

}  // namespace
}  // namespace fleetsim
