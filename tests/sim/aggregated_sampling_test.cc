// The aggregated sampling fast paths against the per-cell reference path on the same world
// (same cell heterogeneity draws, same placements): per-tick canary and control counts must
// have the same distribution — Poisson with the closed-form means where one exists — and the
// fault's ground-truth damage must agree. Two fast paths: whole runs of cells
// (ClusterSampler, no per-minute noise) and, with per-minute noise, the column
// path (plain cells draw their own conditions, their counts are drawn summed per region and
// bucket).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "analysis/monte_carlo.h"
#include "sim/simulation.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

class RecordingHealth : public HealthPolicy {
 public:
  std::string_view Kind() const override { return "recording"; }
  HealthSchedule Schedule() const override {
    return HealthSchedule{};
  }  // every minute, interval window
  Verdict Judge(const HealthObservation& o) const override {
    canary.push_back(o.canary);
    control.push_back(o.control);
    return Verdict{};
  }
  mutable std::vector<SignalWindow> canary;
  mutable std::vector<SignalWindow> control;
};

// 30,000 hosts in 3 regions x 2 clusters (600 cells), strong persistent per-cell error
// heterogeneity, no per-minute noise: the fast path is exact here. One change carrying a +2%
// fault is held at 10% for 10 hours from 10m.
std::string World(const std::string& sampling,
                  const std::string& noise = "overdispersion: 0, latency_noise: 0",
                  const std::string& heterogeneity = "0.8") {
  return R"(
name: aggregation
duration: 10h
fleet: {hosts: 30000, clusters_per_region: 2, regions: [{name: a}, {name: b}, {name: c}]}
traffic: {requests_per_host_per_minute: 20, diurnal_amplitude: 0}
signals: {base_error_rate: 0.01, cell_heterogeneity: )" +
         heterogeneity + ", " + noise + R"(, sampling: )" + sampling + R"(}
deploy: {hosts_per_minute: 100000}
faults: [{name: f, error_rate_increase: 0.02}]
humans: {enabled: false}
changes: {injected: [{at: 10m, fault: f}]}
)";
}

struct Series {
  double canary_requests = 0, canary_errors = 0, control_errors = 0, fleet_requests = 0;
  double canary_errors_sq = 0, control_errors_sq = 0;
  double control_latency = 0, control_latency_sq = 0;  // per-tick control p99, summed
  std::vector<int64_t> control_requests;
  int ticks = 0;
  int64_t failed_requests = 0;
  int64_t canary_hosts = 0;
};

Series Run(const std::string& sampling,
           const std::string& noise = "overdispersion: 0, latency_noise: 0",
           const std::string& heterogeneity = "0.8") {
  const Scenario scenario = testing::ScenarioFromYaml(World(sampling, noise, heterogeneity));
  const Policy rollout = testing::PolicyFromYaml(
      "rollout: {kind: stages, stages: [{percent: 10, bake: 20h}, {percent: 100, bake: 0s}]}\n");
  RecordingHealth health;
  Simulation sim(scenario, PolicySet{rollout.rollout.get(), &health}, 0, nullptr);
  sim.Run();
  Series s;
  for (size_t i = 1; i < health.canary.size(); ++i) {  // skip the tick the change arrived in
    s.canary_requests += static_cast<double>(health.canary[i].requests);
    s.canary_errors += static_cast<double>(health.canary[i].errors);
    s.canary_errors_sq +=
        static_cast<double>(health.canary[i].errors) * static_cast<double>(health.canary[i].errors);
    s.control_errors += static_cast<double>(health.control[i].errors);
    s.control_errors_sq += static_cast<double>(health.control[i].errors) *
                           static_cast<double>(health.control[i].errors);
    s.control_latency += health.control[i].latency_p99();
    s.control_latency_sq += health.control[i].latency_p99() * health.control[i].latency_p99();
    s.control_requests.push_back(health.control[i].requests);
    s.fleet_requests += static_cast<double>(health.canary[i].requests + health.control[i].requests);
    s.canary_hosts = health.canary[i].host_minutes;
    ++s.ticks;
  }
  s.failed_requests =
      RunReplica(scenario, rollout, scenario.seed, 0).outcomes.at(0).failed_requests;
  return s;
}

TEST_CASE("aggregated and per-cell sampling agree in distribution", "[aggregation][exact]") {
  const Series fast = Run("auto");
  const Series slow = Run("per_cell");
  REQUIRE(fast.ticks == slow.ticks);
  REQUIRE(fast.ticks > 500);
  const double n = fast.ticks;
  // Closed forms: fleet requests per tick ~ Poisson(30,000 x 20); canary requests ~ Poisson(hosts x
  // 20).
  for (const Series* s : {&fast, &slow}) {
    CHECK(s->canary_hosts == 3000);
    CHECK(std::abs(s->fleet_requests - 600'000 * n) < 5 * std::sqrt(600'000 * n));
    CHECK(std::abs(s->canary_requests - 60'000 * n) < 5 * std::sqrt(60'000 * n));
    // Poisson: the variance of the per-tick canary errors equals their mean (index of
    // dispersion 1; its sd over n ticks is sqrt(2 / n)).
    const double mean = s->canary_errors / n;
    const double variance = s->canary_errors_sq / n - mean * mean;
    CHECK(std::abs(variance / mean - 1.0) < 5 * std::sqrt(2.0 / n));
  }
  // Same heterogeneity draws, same placement: the same Poisson means, so totals over n ticks
  // differ by at most 5 sd of the difference of two Poisson sums.
  auto agree = [](double a, double b) { return std::abs(a - b) < 5 * std::sqrt(a + b); };
  CHECK(agree(fast.canary_errors, slow.canary_errors));
  CHECK(agree(fast.control_errors, slow.control_errors));
  CHECK(
      agree(static_cast<double>(fast.failed_requests), static_cast<double>(slow.failed_requests)));
  // The fault (+2% of the canary's otherwise successful requests) is visible in both.
  CHECK(fast.canary_errors / fast.canary_requests >
        slow.control_errors / (slow.fleet_requests - slow.canary_requests) + 0.015);
}

TEST_CASE("column sums and per-cell sampling agree in distribution under per-minute noise",
          "[aggregation][exact]") {
  // Overdispersion and latency noise per (cell, minute): the control group's cells are plain
  // (the faulty change's canary cells are not), so "auto" sums them by column.
  const std::string noise = "overdispersion: 0.5, latency_noise: 0.1";
  const Series fast = Run("auto", noise);
  const Series slow = Run("per_cell", noise);
  REQUIRE(fast.ticks == slow.ticks);
  REQUIRE(fast.ticks > 500);
  const double n = fast.ticks;
  // The two paths draw from different streams: a different path really ran.
  CHECK(fast.control_requests != slow.control_requests);
  auto mean_var = [n](double sum, double sum_sq) {
    const double mean = sum / n;
    return std::pair{mean, sum_sq / n - mean * mean};
  };
  const auto [fast_mean, fast_var] = mean_var(fast.control_errors, fast.control_errors_sq);
  const auto [slow_mean, slow_var] = mean_var(slow.control_errors, slow.control_errors_sq);
  // Per-minute overdispersion makes the per-tick control errors over-dispersed in both.
  CHECK(fast_var / fast_mean > 1.0 + 5 * std::sqrt(2.0 / n));
  CHECK(slow_var / slow_mean > 1.0 + 5 * std::sqrt(2.0 / n));
  // Same means: totals over n independent ticks differ by less than 5 sd of their difference.
  CHECK(std::abs(fast.control_errors - slow.control_errors) <
        5 * std::sqrt(n * (fast_var + slow_var)));
  // Same variance: the sample variances of n roughly normal ticks have sd ~ var sqrt(2 / (n - 1)).
  CHECK(std::abs(fast_var - slow_var) <
        5 * std::sqrt(2.0 / (n - 1)) * std::hypot(fast_var, slow_var));
  // Same request totals (Poisson, known mean: 27,000 control hosts x 20 a minute).
  CHECK(std::abs(fast.fleet_requests - fast.canary_requests - 540'000 * n) <
        5 * std::sqrt(540'000 * n));
  // Same latency: the control p99 per tick, averaged over the run.
  const auto [fast_p99, fast_p99_var] = mean_var(fast.control_latency, fast.control_latency_sq);
  const auto [slow_p99, slow_p99_var] = mean_var(slow.control_latency, slow.control_latency_sq);
  CHECK(fast_p99_var > 0);
  CHECK(std::abs(fast_p99 - slow_p99) < 5 * std::sqrt((fast_p99_var + slow_p99_var) / n));
  // The faulty canary is sampled cell by cell in both: the same fault damage.
  auto agree = [](double a, double b) { return std::abs(a - b) < 5 * std::sqrt(a + b); };
  CHECK(fast.canary_hosts == 3000);
  CHECK(agree(fast.canary_requests, slow.canary_requests));
}

TEST_CASE("table draws and per-cell sampling agree with the closed form under per-minute noise",
          "[aggregation][exact][table]") {
  // requests: expected, homogeneous cells: each plain cell-minute's error count is drawn from
  // the exact mixture table (sim/mixed_binomial_table) under "auto", from a normal deviate and
  // a Binomial under "per_cell". Each control cell has n = 50 hosts x 20 = 1,000 requests and
  // P = 0.01 exp(sigma Z - sigma^2 / 2) with e^{sigma^2} = 1 + 0.5^2, so a tick's control
  // errors over C cells have mean C n mu and variance C (n mu - n mu^2 e^{s2} + n^2 mu^2
  // (e^{s2} - 1)) (independent cells). A planted 5% bias in mu (45 standard errors here) must
  // be rejected by the same test.
  const std::string noise = "overdispersion: 0.5, latency_noise: 0.1, requests: expected";
  const Series fast = Run("auto", noise, "0");
  const Series slow = Run("per_cell", noise, "0");
  REQUIRE(fast.ticks == slow.ticks);
  REQUIRE(fast.ticks > 500);
  CHECK(fast.control_errors != slow.control_errors);  // a different path really ran
  const double n = fast.ticks;
  const double e = 1.0 + 0.25;
  auto fits = [n, e](const Series& s, double mu) {
    const double cells = static_cast<double>(s.control_requests.front()) / 1000.0;
    const double mean = cells * 1000.0 * mu;
    const double variance =
        cells * (1000.0 * mu - 1000.0 * mu * mu * e + 1e6 * mu * mu * (e - 1.0));
    const double observed_mean = s.control_errors / n;
    const double observed_variance = s.control_errors_sq / n - observed_mean * observed_mean;
    // The mean of n ticks: sd sqrt(variance / n). The sample variance of n ticks (a sum of
    // hundreds of cells, close to normal): sd ~ variance sqrt(2 / (n - 1)).
    return std::abs(observed_mean - mean) < 5 * std::sqrt(variance / n) &&
           std::abs(observed_variance - variance) < 5 * variance * std::sqrt(2.0 / (n - 1));
  };
  for (const Series* s : {&fast, &slow}) {
    // Requests are exact: the same control cells every tick.
    CHECK(std::all_of(s->control_requests.begin(), s->control_requests.end(),
                      [&](int64_t r) { return r == s->control_requests.front(); }));
    CHECK(s->control_requests.front() % 1000 == 0);
    CHECK(fits(*s, 0.01));
    CHECK_FALSE(fits(*s, 0.0105));
  }
  auto agree = [](double a, double b) { return std::abs(a - b) < 5 * std::sqrt(a + b); };
  CHECK(agree(fast.canary_requests, slow.canary_requests));
}

TEST_CASE("the fast path is used only where it is exact", "[aggregation]") {
  SignalSpec spec;
  spec.overdispersion = 0;
  spec.latency_noise = 0;
  CHECK(spec.AggregationExact());
  spec.cell_heterogeneity = 1.0;  // persistent heterogeneity is summed exactly
  CHECK(spec.AggregationExact());
  SignalSpec noisy = spec;
  noisy.overdispersion = 0.1;
  CHECK_FALSE(noisy.AggregationExact());
  SignalSpec latency = spec;
  latency.latency_noise = 0.05;
  CHECK_FALSE(latency.AggregationExact());
  SignalSpec expected = spec;
  expected.poisson_requests = false;
  CHECK_FALSE(expected.AggregationExact());
}

}  // namespace
}  // namespace fleetsim
