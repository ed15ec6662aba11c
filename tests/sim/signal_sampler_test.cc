// DESIGN §4.5 "exact aggregation": SignalSampler::SampleSegment (Poisson requests, sequential
// Binomial errors per cause) must have the same distribution as SampleSegmentPerHost (one
// Poisson per host, one Bernoulli per request). For small cells we draw N samples from each
// (independent streams; each sample draws its own CellMinute first, so overdispersion is mixed
// in the same way for both) and compare requests, errors and each fault's errors with a
// two-sample chi-square homogeneity test on binned counts (adjacent bins pooled until every
// expected count is >= 5) at alpha = 0.001, the critical value being the chi-square quantile
// from Boost.Math. Means are checked against closed forms within 5 standard errors:
//   E[requests]     = hosts x rate
//   E[errors]       = E[requests] (1 - (1-p)(1-d1)(1-d2))
//   E[fault1 errors] = E[requests] (1-p) d1,  E[fault2 errors] = E[requests] (1-p)(1-d1) d2
// (with overdispersion the per-minute p is lognormal with mean p, and every expression is linear
// in p, so the means are unchanged). Negative controls show the test has power: a per-host
// sampler with p = 0.03 instead of 0.02, or a fault of 0.07 instead of 0.05, is rejected.
#include "sim/signal_sampler.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>

namespace fleetsim {
namespace {

constexpr double kAlpha = 0.001;
constexpr int kSamples = 20'000;
constexpr uint64_t kSeed = 0x5eed'0405;

struct Draws {
  std::vector<int64_t> requests, errors;
  std::vector<std::vector<int64_t>> fault_errors;  // [fault][sample]
};

enum class Sampler { kAggregated, kPerHost };

// Draws `n` samples; sample i uses its own stream keyed by (replica, i), from which it first
// draws the cell's CellMinute and then the segment.
Draws DrawSamples(Sampler which, const SignalSpec& spec, int64_t hosts, double rate,
                  const std::vector<FaultEffect>& faults, uint32_t replica, int n = kSamples) {
  const SignalSampler sampler(spec);
  const CellProfile profile{spec.base_error_rate, 1.0};
  Draws d;
  d.fault_errors.assign(faults.size(), {});
  std::vector<int64_t> fe(faults.size());
  for (int i = 0; i < n; ++i) {
    RandomStream rng(StreamKey{kSeed, replica, StreamPurpose::kTest, static_cast<uint64_t>(i)});
    const CellMinute minute = sampler.DrawCellMinute(rng, profile);
    const SegmentSample s =
        which == Sampler::kAggregated
            ? sampler.SampleSegment(rng, hosts, rate, minute, profile, faults, fe)
            : SampleSegmentPerHost(spec, rng, hosts, rate, minute, faults, fe);
    d.requests.push_back(s.requests);
    d.errors.push_back(s.errors);
    int64_t fault_sum = 0;
    for (size_t f = 0; f < faults.size(); ++f) {
      d.fault_errors[f].push_back(fe[f]);
      fault_sum += fe[f];
    }
    REQUIRE(fault_sum <= s.errors);
    REQUIRE(s.errors <= s.requests);
  }
  return d;
}

struct TwoSampleResult {
  double statistic = 0;
  int df = 0;
  double critical = 0;
  bool Rejects() const { return statistic > critical; }
};

// Chi-square test of homogeneity for two samples of non-negative integers (a 2 x K contingency
// table). Values are binned by count; adjacent bins (in increasing value) are pooled until both
// expected counts are >= 5, and a short last bin is merged into the previous one.
TwoSampleResult ChiSquareTwoSample(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  const int64_t max_value =
      std::max(*std::max_element(a.begin(), a.end()), *std::max_element(b.begin(), b.end()));
  std::vector<int64_t> ca(max_value + 1), cb(max_value + 1);
  for (int64_t x : a) ++ca[x];
  for (int64_t x : b) ++cb[x];
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double share_min = std::min(na, nb) / (na + nb);
  std::vector<std::pair<int64_t, int64_t>> bins;  // (count in a, count in b)
  int64_t pa = 0, pb = 0;
  for (int64_t v = 0; v <= max_value; ++v) {
    pa += ca[v];
    pb += cb[v];
    if (static_cast<double>(pa + pb) * share_min >= 5) {
      bins.emplace_back(pa, pb);
      pa = pb = 0;
    }
  }
  if (pa + pb > 0) {
    if (bins.empty()) {
      bins.emplace_back(pa, pb);
    } else {
      bins.back().first += pa;
      bins.back().second += pb;
    }
  }
  TwoSampleResult r;
  r.df = static_cast<int>(bins.size()) - 1;
  REQUIRE(r.df >= 1);  // otherwise the samples carry no information to compare
  for (const auto& [xa, xb] : bins) {
    const double total = static_cast<double>(xa + xb);
    const double ea = total * na / (na + nb), eb = total * nb / (na + nb);
    r.statistic += (xa - ea) * (xa - ea) / ea + (xb - eb) * (xb - eb) / eb;
  }
  r.critical = boost::math::quantile(boost::math::chi_squared(r.df), 1.0 - kAlpha);
  return r;
}

struct MeanSe {
  double mean = 0, se = 0;
};

MeanSe SampleMean(const std::vector<int64_t>& xs) {
  const double n = static_cast<double>(xs.size());
  double sum = 0;
  for (int64_t x : xs) sum += static_cast<double>(x);
  const double mean = sum / n;
  double ss = 0;
  for (int64_t x : xs) ss += (x - mean) * (x - mean);
  return MeanSe{mean, std::sqrt(ss / (n - 1) / n)};
}

void CheckMean(const std::string& what, const std::vector<int64_t>& xs, double expected) {
  const MeanSe m = SampleMean(xs);
  INFO(what << ": sample mean " << m.mean << " (se " << m.se << ") vs closed form " << expected);
  CHECK(m.se > 0);
  CHECK(std::abs(m.mean - expected) <= 5 * m.se);
}

void CheckSameDistribution(const std::string& what, const std::vector<int64_t>& a,
                           const std::vector<int64_t>& b) {
  const TwoSampleResult t = ChiSquareTwoSample(a, b);
  INFO(what << ": chi2 = " << t.statistic << " on " << t.df << " df, critical " << t.critical);
  CHECK_FALSE(t.Rejects());
}

TEST_CASE("aggregated and per-host sampling agree: 20 hosts, p = 0.02, no faults",
          "[exact_aggregation]") {
  SignalSpec spec;
  spec.base_error_rate = 0.02;
  const int64_t hosts = 20;
  const double rate = 5;
  const Draws agg = DrawSamples(Sampler::kAggregated, spec, hosts, rate, {}, 1);
  const Draws ref = DrawSamples(Sampler::kPerHost, spec, hosts, rate, {}, 2);
  CheckSameDistribution("requests", agg.requests, ref.requests);
  CheckSameDistribution("errors", agg.errors, ref.errors);
  const double mean_requests = hosts * rate;  // 100
  for (const Draws* d : {&agg, &ref}) {
    CheckMean("requests", d->requests, mean_requests);
    CheckMean("errors", d->errors, mean_requests * 0.02);
  }
}

TEST_CASE("aggregated and per-host sampling agree: two faults and overdispersion",
          "[exact_aggregation]") {
  SignalSpec spec;
  spec.base_error_rate = 0.02;
  spec.overdispersion = 0.5;  // per-minute p is lognormal with mean 0.02 and CV 0.5
  const int64_t hosts = 20;
  const double rate = 5;
  const std::vector<FaultEffect> faults = {{0.05, 1.0}, {0.1, 1.0}};
  const Draws agg = DrawSamples(Sampler::kAggregated, spec, hosts, rate, faults, 3);
  const Draws ref = DrawSamples(Sampler::kPerHost, spec, hosts, rate, faults, 4);
  CheckSameDistribution("requests", agg.requests, ref.requests);
  CheckSameDistribution("errors", agg.errors, ref.errors);
  CheckSameDistribution("fault 1 errors", agg.fault_errors[0], ref.fault_errors[0]);
  CheckSameDistribution("fault 2 errors", agg.fault_errors[1], ref.fault_errors[1]);
  const double p = 0.02, d1 = 0.05, d2 = 0.1;
  const double r = hosts * rate;
  for (const Draws* d : {&agg, &ref}) {
    CheckMean("requests", d->requests, r);
    CheckMean("errors", d->errors, r * (1 - (1 - p) * (1 - d1) * (1 - d2)));
    CheckMean("fault 1 errors", d->fault_errors[0], r * (1 - p) * d1);
    CheckMean("fault 2 errors", d->fault_errors[1], r * (1 - p) * (1 - d1) * d2);
  }
}

TEST_CASE("aggregated and per-host sampling agree with fixed request counts",
          "[exact_aggregation]") {
  SignalSpec spec;
  spec.base_error_rate = 0.02;
  spec.poisson_requests = false;
  const std::vector<FaultEffect> faults = {{0.05, 1.0}};
  const Draws agg = DrawSamples(Sampler::kAggregated, spec, 20, 5, faults, 5);
  const Draws ref = DrawSamples(Sampler::kPerHost, spec, 20, 5, faults, 6);
  for (const Draws* d : {&agg, &ref}) {
    CHECK(std::all_of(d->requests.begin(), d->requests.end(), [](int64_t x) { return x == 100; }));
  }
  CheckSameDistribution("errors", agg.errors, ref.errors);
  CheckSameDistribution("fault errors", agg.fault_errors[0], ref.fault_errors[0]);
  // Given exactly 100 requests, errors ~ Binomial(100, 1 - 0.98 x 0.95).
  for (const Draws* d : {&agg, &ref}) CheckMean("errors", d->errors, 100 * (1 - 0.98 * 0.95));
}

// With poisson_requests = false and a non-integer rate both samplers must serve exactly
// round(hosts x rate) requests (20 x 5.5 = 110), not hosts x round(rate) = 120.
TEST_CASE("fixed request counts agree for a non-integer rate", "[exact_aggregation]") {
  SignalSpec spec;
  spec.base_error_rate = 0.02;
  spec.poisson_requests = false;
  const Draws agg = DrawSamples(Sampler::kAggregated, spec, 20, 5.5, {}, 7, 10);
  const Draws ref = DrawSamples(Sampler::kPerHost, spec, 20, 5.5, {}, 8, 10);
  CHECK(agg.requests.front() == 110);
  CHECK(ref.requests.front() == 110);
}

TEST_CASE("negative control: a per-host sampler with p = 0.03 is rejected", "[exact_aggregation]") {
  SignalSpec spec;
  spec.base_error_rate = 0.02;
  SignalSpec wrong = spec;
  wrong.base_error_rate = 0.03;
  const Draws agg = DrawSamples(Sampler::kAggregated, spec, 20, 5, {}, 1);
  const Draws ref = DrawSamples(Sampler::kPerHost, wrong, 20, 5, {}, 2);
  const TwoSampleResult t = ChiSquareTwoSample(agg.errors, ref.errors);
  INFO("chi2 = " << t.statistic << " on " << t.df << " df, critical " << t.critical);
  CHECK(t.Rejects());
  // Requests are unaffected by p: the same test does not reject them.
  CheckSameDistribution("requests", agg.requests, ref.requests);
}

TEST_CASE("negative control: a fault of 0.07 instead of 0.05 is rejected", "[exact_aggregation]") {
  SignalSpec spec;
  spec.base_error_rate = 0.02;
  spec.overdispersion = 0.5;
  const Draws agg = DrawSamples(Sampler::kAggregated, spec, 20, 5, {{0.05, 1.0}, {0.1, 1.0}}, 3);
  const Draws ref = DrawSamples(Sampler::kPerHost, spec, 20, 5, {{0.07, 1.0}, {0.1, 1.0}}, 4);
  const TwoSampleResult t = ChiSquareTwoSample(agg.fault_errors[0], ref.fault_errors[0]);
  INFO("chi2 = " << t.statistic << " on " << t.df << " df, critical " << t.critical);
  CHECK(t.Rejects());
}

TEST_CASE("negative control: 21 hosts instead of 20 is rejected on requests",
          "[exact_aggregation]") {
  SignalSpec spec;
  spec.base_error_rate = 0.02;
  const Draws agg = DrawSamples(Sampler::kAggregated, spec, 20, 5, {}, 1);
  const Draws ref = DrawSamples(Sampler::kPerHost, spec, 21, 5, {}, 2);
  const TwoSampleResult t = ChiSquareTwoSample(agg.requests, ref.requests);
  INFO("chi2 = " << t.statistic << " on " << t.df << " df, critical " << t.critical);
  CHECK(t.Rejects());
}

}  // namespace
}  // namespace fleetsim
