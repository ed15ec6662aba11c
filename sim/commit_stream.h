// Commit stream: the code commits that land during one replica, with their ground truth.
//
// Commits land as a non-homogeneous Poisson process whose intensity follows the working week:
//
//   rate(t) = per_day x (1 + diurnal_amplitude x cos(2 pi (h - peak_hour) / 24)) x weekly
//   weekly  = weekend_factor on Saturday and Sunday, 1 otherwise
//
// where h is the hour of day at `utc_offset` (the engineers' time zone) and t = 0 is the
// scenario's traffic.start_weekday 00:00 UTC. So a weekday sees `per_day` commits on average
// and a weekend day `per_day x weekend_factor`. `arrivals: regular` instead lands one commit
// every day / per_day (first at one gap), for closed-form tests. Arrivals are drawn by
// thinning from one keyed stream; each commit's ground truth from its own stream keyed by
// commit id, so the commits of (seed, replica) are the same under every policy.
//
// Per commit: bad with probability `bad_fraction` (fault drawn from the catalog by weight or
// from `faults`), CI tests taking `test_duration` that catch a bad commit with probability
// `test_catch_probability` and flake on a good one with `flake_probability` (what a failing
// test does is the batching policy's choice, batching_policy.h), and an observable risk score
// in (0, 1) drawn from a binormal model: latent z ~ N(0, 1) for good commits and N(d, 1) for
// bad ones with d = sqrt(2) x Phi^-1(risk_auc), reported as Phi(z). Any monotone map keeps the
// ROC curve, so the score separates good from bad with ROC AUC = Phi(d / sqrt(2)) = risk_auc.
// Plain value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/fault.h"
#include "sim/sim_time.h"

namespace fleetsim {

struct CommitStreamSpec {
  double per_day = 0;              // mean commits on a weekday; 0 = no commit stream
  bool regular = false;            // arrivals: regular (evenly spaced, no diurnal/weekly shape)
  double diurnal_amplitude = 0.6;  // in [0, 1)
  double peak_hour = 12;           // local hour when pushes peak
  double utc_offset = 0;           // engineers' time zone, hours
  double weekend_factor = 0.2;     // rate multiplier on Saturday and Sunday
  double bad_fraction = 0;         // probability that a commit is bad
  std::vector<std::string> fault_names;  // faults bad commits draw from; empty = whole catalog
  SimTime test_duration = SimTime::Minutes(5);
  double test_catch_probability = 0;  // probability that CI tests catch a bad commit
  double flake_probability = 0;       // probability that a good commit's test run fails anyway
  double risk_auc = 0.5;              // ROC AUC of the risk score (0.5 = no information)
};

struct Commit {
  int64_t id = 0;  // dense, in landing order
  SimTime landed;
  int fault = -1;            // index into the FaultCatalog; -1 = good
  bool tests_catch = false;  // bad, and its CI tests fail (every run)
  bool flaky = false;        // good, and its first CI run fails anyway
  double risk = 0.5;         // observable risk score in (0, 1)
  bool bad() const { return fault >= 0; }
};

// Commit intensity relative to `per_day` per day at time t (the shape above; 1 on average
// over a weekday). `start_weekday`: weekday of t = 0 (0 = Monday).
double CommitRateShape(const CommitStreamSpec& spec, int start_weekday, SimTime t);

// The commits landing in [0, duration), in landing order with dense ids.
std::vector<Commit> GenerateCommits(const CommitStreamSpec& spec, const FaultCatalog& catalog,
                                    int start_weekday, SimTime duration, uint64_t seed,
                                    uint32_t replica);

// Whether CI attempt `attempt` (0 = the first run) of `commit` fails.
bool CommitTestFails(const Commit& commit, double flake_probability, int attempt, uint64_t seed,
                     uint32_t replica);

}  // namespace fleetsim
