// SignalSampler: per-cohort health signals drawn from their exact aggregate distributions.
//
// A cohort ("segment") is a set of hosts of one cell that share the same changes. Per simulated
// minute it yields
//   requests ~ Poisson(hosts x rate)                 (sum of independent per-host Poissons)
//   errors   = base + sum_i fault_i, where
//     base    ~ Binomial(requests, p_cell_minute)
//     fault_i ~ Binomial(requests - base - fault_1 - ... - fault_{i-1}, increase_i)
// so that errors ~ Binomial(requests, 1 - (1-p) prod(1-increase_i)), exactly what one Bernoulli
// per request would give, and each fault's share (the ground truth "failed because of change
// c") is known. With Poisson requests the same joint law is drawn as independent Poisson
// counts (base errors, each fault's errors, successes: Poisson splitting), which is cheaper.
// Realistic noise, which is what produces false positives:
//   - host heterogeneity: a persistent per-cell error-rate multiplier (lognormal, mean 1);
//   - overdispersion: per (cell, minute) the error probability is lognormal around the cell's
//     rate with the configured coefficient of variation (a bad rack, a noisy neighbour), capped
//     at 1; all segments of the cell share it, so it acts like a random effect per cell-minute;
//   - latency p99: base x per-cell multiplier x per-(cell, minute) lognormal noise x faults.
// PerHostReferenceSampler draws the same quantities host by host, request by request, and
// tests check that both have the same distribution.
//
// Stateless apart from its spec; thread-safe. Randomness comes from the caller's stream.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/fleet.h"
#include "sim/mixed_binomial_table.h"
#include "sim/random_stream.h"

namespace fleetsim {

struct SignalSpec {
  double base_error_rate = 0.001;
  double cell_heterogeneity = 0.0;  // lognormal sigma of the persistent per-cell error multiplier
  double overdispersion = 0.0;      // coefficient of variation of the per-minute error probability
  double latency_p99_ms = 200;
  double latency_heterogeneity = 0.0;  // lognormal sigma of the per-cell latency multiplier
  double latency_noise = 0.05;         // lognormal sigma of per-(cell, minute) latency noise
  bool poisson_requests = true;        // false: requests = round(hosts x rate) exactly
  // Share of the requests that do not fail (no 5xx) answered 3xx/4xx rather than 2xx: each such
  // request independently (the engine thins each group's successes; the status_2xx metric).
  double other_status_share = 0.0;
  // auto: sample whole runs of cells at once when that is exact (Poisson requests, no
  // per-minute overdispersion, no latency noise or latency heterogeneity; the per-cell error
  // heterogeneity is kept exactly), and otherwise draw the counts of the cells no change splits
  // summed per region and bucket (Poisson requests; SampleSummed); per_cell: always cell by
  // cell, cohort by cohort (the reference path).
  bool allow_aggregation = true;

  // True when the aggregated path has the same distribution as the per-cell one.
  bool AggregationExact() const {
    return poisson_requests && overdispersion == 0 && latency_noise == 0 &&
           latency_heterogeneity == 0;
  }
};

// Persistent properties of one cell for one replica.
struct CellProfile {
  double error_rate = 0;
  double latency_multiplier = 1;
};

// Conditions of one cell during one minute, shared by all its segments.
struct CellMinute {
  double error_probability = 0;
  double latency_noise = 1;
};

struct FaultEffect {
  double error_increase = 0;  // absolute increase of the per-request failure probability
  double latency_factor = 1;
};

struct SegmentSample {
  int64_t requests = 0;
  int64_t errors = 0;            // base + all fault errors
  double latency_p99 = 0;        // milliseconds
  double expected_requests = 0;  // hosts x rate: the weight of its p99 (SignalWindow)
};

// Expected counts of a cohort no fault acts on during one minute: its base errors and its
// successes (the means of the independent Poisson counts SampleSegment draws), its requests
// (the weight of its p99) and its p99 latency.
struct CohortMeans {
  double errors = 0;
  double successes = 0;
  double requests = 0;
  double latency_p99 = 0;
};

class SignalSampler {
 public:
  explicit SignalSampler(const SignalSpec& spec);

  const SignalSpec& spec() const { return spec_; }
  // The lognormal shape of the per-minute error-probability multiplier (0: none).
  double overdispersion_sigma() const { return overdispersion_sigma_; }

  // One profile per cell of `fleet`, drawn from the replica's kCellProfile streams.
  std::vector<CellProfile> DrawCellProfiles(const Fleet& fleet, uint64_t seed,
                                            uint32_t replica) const;

  CellMinute DrawCellMinute(RandomStream& rng, const CellProfile& profile) const;

  CohortMeans MeansWithoutFaults(int64_t hosts, double rate_per_host_minute,
                                 const CellMinute& minute, const CellProfile& profile) const;

  // The counts of several cohorts no fault acts on, summed, given the sums of their means
  // (`errors`, `successes`; Poisson requests only): errors ~ Poisson(sum of error means),
  // requests = errors + Poisson(sum of success means). A sum of independent Poisson counts is
  // the Poisson count of the summed mean, so this is exactly the sum SampleSegment would give
  // cohort by cohort, in two draws instead of two per cohort. Latency is left to the caller.
  SegmentSample SampleSummed(RandomStream& rng, const CohortMeans& sum) const;

  // One cell no fault acts on, with `requests: expected`, whose error count has the law
  // `table` holds (MixedBinomialTable: the cell-minute's error probability integrated out):
  // the same law as DrawCellMinute then SampleSegment, with the uniform 64-bit word `u` for the
  // errors (and one normal from `latency_rng` for the latency noise, if any). `table` must be
  // the one of (round(hosts x rate), profile.error_rate, overdispersion_sigma()).
  SegmentSample SampleFromTable(uint64_t u, const MixedBinomialTable& table, int64_t hosts,
                                double rate_per_host_minute, const CellProfile& profile,
                                RandomStream& latency_rng) const;

  // Samples one segment. `fault_errors` (same length as `faults`) receives each fault's errors.
  SegmentSample SampleSegment(RandomStream& rng, int64_t hosts, double rate_per_host_minute,
                              const CellMinute& minute, const CellProfile& profile,
                              std::span<const FaultEffect> faults,
                              std::span<int64_t> fault_errors) const;

 private:
  SignalSpec spec_;
  double overdispersion_sigma_ = 0;  // lognormal sigma for the per-minute CV, sqrt(log(1 + cv^2))
};

// Host-by-host, request-by-request reference for small fleets; same distribution as
// SignalSampler::SampleSegment (requests and errors), used only by tests and to validate the
// aggregated fast path. Cost O(hosts + requests).
SegmentSample SampleSegmentPerHost(const SignalSpec& spec, RandomStream& rng, int64_t hosts,
                                   double rate_per_host_minute, const CellMinute& minute,
                                   std::span<const FaultEffect> faults,
                                   std::span<int64_t> fault_errors);

}  // namespace fleetsim
