// The commit stream against closed forms (sim/commit_stream.h):
//  - counts: a week starting Monday has per_day x (5 + 2 x weekend_factor) commits on average
//    (Poisson), the weekend per_day x 2 x weekend_factor;
//  - diurnal shape: the share of weekday commits within 6 hours of the peak hour is
//    (1/24) x integral_{-6}^{6} (1 + A cos(2 pi x / 24)) dx = 1/2 + A/pi;
//  - ground truth: bad share and CI catch share are Binomial with the configured probabilities;
//  - risk scores: the empirical ROC AUC equals risk_auc within sampling error (Hanley-McNeil);
//  - keyed randomness: changing the CI probabilities moves no landing time or fault;
//  - regular arrivals land exactly every day / per_day.
// Tolerances are 4 standard errors of the statistic (a false alarm rate below 1e-4 per check).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "sim/commit_stream.h"
#include "sim/scenario.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

FaultCatalog TwoFaults() {
  FaultCatalog c;
  FaultProfile a;
  a.name = "a";
  a.weight = 1.0;
  a.error_rate_increase = 0.1;
  FaultProfile b = a;
  b.name = "b";
  b.weight = 3.0;
  b.error_rate_increase = 0.2;
  c.faults.push_back(a);
  c.faults.push_back(b);
  return c;
}

CommitStreamSpec WeekSpec() {
  CommitStreamSpec s;
  s.per_day = 200;
  s.diurnal_amplitude = 0.6;
  s.peak_hour = 12;
  s.weekend_factor = 0.2;
  return s;
}

TEST_CASE("commit counts per week and weekend match per_day and weekend_factor",
          "[commits][stream]") {
  const CommitStreamSpec spec = WeekSpec();
  const FaultCatalog catalog = TwoFaults();
  constexpr int kReplicas = 20;
  double total = 0, weekend = 0;
  for (uint32_t r = 0; r < kReplicas; ++r) {
    for (const Commit& c : GenerateCommits(spec, catalog, 0, SimTime::Days(7), 11, r)) {
      ++total;
      if (c.landed >= SimTime::Days(5)) ++weekend;
    }
  }
  // Poisson totals: mean 20 x 200 x 5.4 = 21,600 (sd 147); weekend 20 x 200 x 0.4 = 1,600 (sd 40).
  const double expected_total = kReplicas * 200.0 * (5 + 2 * 0.2);
  const double expected_weekend = kReplicas * 200.0 * 2 * 0.2;
  CHECK(std::abs(total - expected_total) < 4 * std::sqrt(expected_total));
  CHECK(std::abs(weekend - expected_weekend) < 4 * std::sqrt(expected_weekend));
}

TEST_CASE("weekday commits peak around the peak hour as the diurnal closed form says",
          "[commits][stream]") {
  const CommitStreamSpec spec = WeekSpec();
  const FaultCatalog catalog = TwoFaults();
  double n = 0, near_peak = 0;
  for (uint32_t r = 0; r < 20; ++r) {
    for (const Commit& c : GenerateCommits(spec, catalog, 0, SimTime::Days(5), 12, r)) {
      ++n;
      const double hour = std::fmod(c.landed.hours(), 24.0);
      if (hour >= 6 && hour < 18) ++near_peak;
    }
  }
  const double p = 0.5 + 0.6 / M_PI;
  const double se = std::sqrt(p * (1 - p) / n);
  CHECK(std::abs(near_peak / n - p) < 4 * se);
}

TEST_CASE("commit ground truth: bad share and CI catch share are the configured probabilities",
          "[commits][stream]") {
  CommitStreamSpec spec = WeekSpec();
  spec.bad_fraction = 0.1;
  spec.test_catch_probability = 0.6;
  spec.flake_probability = 0.05;
  const FaultCatalog catalog = TwoFaults();
  double n = 0, bad = 0, caught = 0, good = 0, flaky = 0, fault_b = 0;
  for (uint32_t r = 0; r < 10; ++r) {
    for (const Commit& c : GenerateCommits(spec, catalog, 0, SimTime::Days(7), 13, r)) {
      ++n;
      if (c.bad()) {
        ++bad;
        caught += c.tests_catch ? 1 : 0;
        fault_b += c.fault == 1 ? 1 : 0;
        CHECK_FALSE(c.flaky);
      } else {
        ++good;
        flaky += c.flaky ? 1 : 0;
        CHECK_FALSE(c.tests_catch);
      }
    }
  }
  auto within = [](double k, double trials, double p) {
    return std::abs(k / trials - p) < 4 * std::sqrt(p * (1 - p) / trials);
  };
  CHECK(within(bad, n, 0.1));
  CHECK(within(caught, bad, 0.6));
  CHECK(within(flaky, good, 0.05));
  CHECK(within(fault_b, bad, 0.75));  // weights 1 : 3
}

// Empirical AUC: the Mann-Whitney statistic P(score_bad > score_good), ties counting 1/2.
double EmpiricalAuc(std::vector<double> good, std::vector<double> bad) {
  std::sort(good.begin(), good.end());
  double wins = 0;
  for (double b : bad) {
    const auto lo = std::lower_bound(good.begin(), good.end(), b);
    const auto hi = std::upper_bound(good.begin(), good.end(), b);
    wins += static_cast<double>(lo - good.begin()) + 0.5 * static_cast<double>(hi - lo);
  }
  return wins / (static_cast<double>(good.size()) * static_cast<double>(bad.size()));
}

TEST_CASE("generated risk scores separate bad from good commits with the configured ROC AUC",
          "[commits][risk]") {
  for (double auc : {0.5, 0.7, 0.9}) {
    CommitStreamSpec spec = WeekSpec();
    spec.per_day = 2000;
    spec.bad_fraction = 0.2;
    spec.risk_auc = auc;
    std::vector<double> good, bad;
    for (const Commit& c : GenerateCommits(spec, TwoFaults(), 0, SimTime::Days(5), 14, 0)) {
      (c.bad() ? bad : good).push_back(c.risk);
      CHECK(c.risk > 0.0);
      CHECK(c.risk < 1.0);
    }
    // Hanley & McNeil (1982): SE^2 = [A(1-A) + (n_b - 1)(Q1 - A^2) + (n_g - 1)(Q2 - A^2)] / (n_b
    // n_g) with Q1 = A / (2 - A), Q2 = 2 A^2 / (1 + A).
    const double nb = static_cast<double>(bad.size()), ng = static_cast<double>(good.size());
    const double q1 = auc / (2 - auc), q2 = 2 * auc * auc / (1 + auc);
    const double se = std::sqrt(
        (auc * (1 - auc) + (nb - 1) * (q1 - auc * auc) + (ng - 1) * (q2 - auc * auc)) / (nb * ng));
    INFO("configured AUC " << auc << ", " << nb << " bad, " << ng << " good, SE " << se);
    CHECK(std::abs(EmpiricalAuc(good, bad) - auc) < 4 * se);
  }
}

TEST_CASE("CI probabilities do not move commit landings or faults (keyed streams)",
          "[commits][stream]") {
  CommitStreamSpec a = WeekSpec();
  a.bad_fraction = 0.2;
  CommitStreamSpec b = a;
  b.test_catch_probability = 0.9;
  b.flake_probability = 0.3;
  b.risk_auc = 0.8;
  const auto x = GenerateCommits(a, TwoFaults(), 0, SimTime::Days(2), 15, 3);
  const auto y = GenerateCommits(b, TwoFaults(), 0, SimTime::Days(2), 15, 3);
  REQUIRE(x.size() == y.size());
  REQUIRE(!x.empty());
  for (size_t i = 0; i < x.size(); ++i) {
    CHECK(x[i].landed == y[i].landed);
    CHECK(x[i].fault == y[i].fault);
  }
}

TEST_CASE("regular commit arrivals land every day / per_day", "[commits][stream]") {
  CommitStreamSpec spec;
  spec.per_day = 48;  // every 30 minutes
  spec.regular = true;
  const auto commits = GenerateCommits(spec, FaultCatalog{}, 0, SimTime::Hours(5), 1, 0);
  REQUIRE(commits.size() == 9);  // 30m, 1h, ..., 4h30m
  for (size_t i = 0; i < commits.size(); ++i)
    CHECK(commits[i].landed == SimTime::Minutes(30) * static_cast<int64_t>(i + 1));
}

}  // namespace
}  // namespace fleetsim
