#include "sim/signal_sampler.h"

#include <algorithm>
#include <cmath>

#include <boost/random/normal_distribution.hpp>

#include "sim/random_draws.h"

namespace fleetsim {
namespace {

double MeanOneLognormal(RandomStream& rng, double sigma) {
  if (sigma <= 0) return 1.0;
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  return std::exp(sigma * normal(rng) - 0.5 * sigma * sigma);
}

}  // namespace

SignalSampler::SignalSampler(const SignalSpec& spec)
    : spec_(spec),
      overdispersion_sigma_(std::sqrt(std::log1p(spec.overdispersion * spec.overdispersion))) {}

std::vector<CellProfile> SignalSampler::DrawCellProfiles(const Fleet& fleet, uint64_t seed,
                                                         uint32_t replica) const {
  std::vector<CellProfile> profiles(fleet.cells().size());
  for (size_t c = 0; c < profiles.size(); ++c) {
    RandomStream rng(StreamKey::CellProfile(seed, replica, c));
    const double error_mult = MeanOneLognormal(rng, spec_.cell_heterogeneity);
    const double latency_mult = MeanOneLognormal(rng, spec_.latency_heterogeneity);
    // A service's own base error rate, if it has one (fleet.h).
    double base = spec_.base_error_rate;
    if (!fleet.services().empty()) {
      const Service& service =
          fleet.services()[static_cast<size_t>(fleet.clusters()[fleet.cells()[c].cluster].service)];
      if (service.base_error_rate >= 0) base = service.base_error_rate;
    }
    profiles[c].error_rate = std::min(1.0, base * error_mult);
    profiles[c].latency_multiplier = latency_mult;
  }
  return profiles;
}

CellMinute SignalSampler::DrawCellMinute(RandomStream& rng, const CellProfile& profile) const {
  CellMinute minute;
  const double mu = profile.error_rate;
  const double cv = spec_.overdispersion;
  if (cv > 0 && mu > 0) {
    // Lognormal with mean mu and coefficient of variation cv: sigma^2 = log(1 + cv^2).
    const double sigma = overdispersion_sigma_;
    boost::random::normal_distribution<double> normal(0.0, 1.0);
    minute.error_probability =
        std::min(1.0, mu * std::exp(sigma * normal(rng) - 0.5 * sigma * sigma));
  } else {
    minute.error_probability = mu;
  }
  if (spec_.latency_noise > 0) {
    boost::random::normal_distribution<double> normal(0.0, spec_.latency_noise);
    minute.latency_noise = std::exp(normal(rng));
  }
  return minute;
}

CohortMeans SignalSampler::MeansWithoutFaults(int64_t hosts, double rate_per_host_minute,
                                              const CellMinute& minute,
                                              const CellProfile& profile) const {
  CohortMeans m;
  m.requests = static_cast<double>(hosts) * rate_per_host_minute;
  m.errors = m.requests * minute.error_probability;
  m.successes = m.requests * (1.0 - minute.error_probability);
  m.latency_p99 = spec_.latency_p99_ms * profile.latency_multiplier * minute.latency_noise;
  return m;
}

SegmentSample SignalSampler::SampleSummed(RandomStream& rng, const CohortMeans& sum) const {
  SegmentSample s;
  s.errors = DrawPoisson(rng, sum.errors);
  s.requests = s.errors + DrawPoisson(rng, sum.successes);
  s.expected_requests = sum.requests;
  return s;
}

SegmentSample SignalSampler::SampleFromTable(uint64_t u, const MixedBinomialTable& table,
                                             int64_t hosts, double rate_per_host_minute,
                                             const CellProfile& profile,
                                             RandomStream& latency_rng) const {
  SegmentSample s;
  s.expected_requests = static_cast<double>(hosts) * rate_per_host_minute;
  s.requests = table.n();
  s.errors = table.Draw(u);
  double noise = 1;
  if (spec_.latency_noise > 0) {
    boost::random::normal_distribution<double> normal(0.0, spec_.latency_noise);
    noise = std::exp(normal(latency_rng));
  }
  s.latency_p99 = spec_.latency_p99_ms * profile.latency_multiplier * noise;
  return s;
}

SegmentSample SignalSampler::SampleSegment(RandomStream& rng, int64_t hosts,
                                           double rate_per_host_minute, const CellMinute& minute,
                                           const CellProfile& profile,
                                           std::span<const FaultEffect> faults,
                                           std::span<int64_t> fault_errors) const {
  SegmentSample s;
  const CohortMeans means = MeansWithoutFaults(hosts, rate_per_host_minute, minute, profile);
  const double mean = means.requests;
  s.expected_requests = mean;
  double latency = means.latency_p99;
  if (spec_.poisson_requests) {
    // Poisson splitting: with Poisson requests, the requests that fail for the base reason,
    // those each fault fails (among the ones nothing earlier failed) and the successes are
    // independent Poisson counts; the same joint law as the binomial chain below.
    s.errors = DrawPoisson(rng, means.errors);
    double ok_mean = means.successes;
    for (size_t i = 0; i < faults.size(); ++i) {
      fault_errors[i] = DrawPoisson(rng, ok_mean * faults[i].error_increase);
      ok_mean *= 1.0 - faults[i].error_increase;
      s.errors += fault_errors[i];
      latency *= faults[i].latency_factor;
    }
    s.requests = s.errors + DrawPoisson(rng, ok_mean);
    s.latency_p99 = latency;
    return s;
  }
  s.requests = std::llround(mean);
  int64_t remaining = s.requests;
  const int64_t base = DrawBinomial(rng, remaining, minute.error_probability);
  remaining -= base;
  s.errors = base;
  for (size_t i = 0; i < faults.size(); ++i) {
    const int64_t e = DrawBinomial(rng, remaining, faults[i].error_increase);
    fault_errors[i] = e;
    remaining -= e;
    s.errors += e;
    latency *= faults[i].latency_factor;
  }
  s.latency_p99 = latency;
  return s;
}

SegmentSample SampleSegmentPerHost(const SignalSpec& spec, RandomStream& rng, int64_t hosts,
                                   double rate_per_host_minute, const CellMinute& minute,
                                   std::span<const FaultEffect> faults,
                                   std::span<int64_t> fault_errors) {
  SegmentSample s;
  std::fill(fault_errors.begin(), fault_errors.end(), 0);
  for (int64_t h = 0; h < hosts; ++h) {
    // Without Poisson noise each host gets its share of round(hosts x rate), so the total is
    // exactly what the aggregated sampler uses.
    const int64_t requests = spec.poisson_requests
                                 ? DrawPoisson(rng, rate_per_host_minute)
                                 : std::llround(static_cast<double>(h + 1) * rate_per_host_minute) -
                                       std::llround(static_cast<double>(h) * rate_per_host_minute);
    s.requests += requests;
    for (int64_t r = 0; r < requests; ++r) {
      // One request: fails for the base reason, else for the first fault that hits it.
      if (rng.NextUnit() < minute.error_probability) {
        ++s.errors;
        continue;
      }
      for (size_t i = 0; i < faults.size(); ++i) {
        if (rng.NextUnit() < faults[i].error_increase) {
          ++fault_errors[i];
          ++s.errors;
          break;
        }
      }
    }
  }
  return s;
}

}  // namespace fleetsim
