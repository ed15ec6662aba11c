// Helpers of the outage-library tests: load an outage scenario from scenarios/outages/, replay
// it under its policy of the day and counterfactual policies, and hold its published times.
// Header-only (the test build compiles *_test.cc files); call from inside a TEST_CASE (they
// use Catch2 assertions).
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/experiment.h"
#include "analysis/outage_replay.h"
#include "analysis/seed_replay.h"
#include "policies/policy_loader.h"
#include "sim/scenario.h"

namespace fleetsim::testing {

// A loaded outage with its policy of the day and counterfactuals, replayed on its own seed.
// Not movable: the replay points into the scenario and the policies.
struct Replayed {
  Scenario scenario;
  std::vector<Policy> policies;
  OutageReplay replay;
  Replayed() = default;
  Replayed(const Replayed&) = delete;
  Replayed& operator=(const Replayed&) = delete;

  const ReplayRun& actual() const { return replay.runs.front(); }
  const ReplayRun& counterfactual(size_t i = 0) const { return replay.runs.at(1 + i); }
};

inline std::string ReplayMinutes(const std::optional<SimTime>& t) {
  return t ? std::to_string(t->minutes()) : "none";
}

// scenarios/outages/NAME.yaml under the source directory.
inline std::string OutagePath(const std::string& name) {
  return (std::filesystem::path(FLEETSIM_SOURCE_DIR) / "scenarios" / "outages" / (name + ".yaml"))
      .string();
}

// Replays NAME under its own policy, then each counterfactual (a policy name or file); with
// stage_pushes, the counterfactuals also roll out the scenario's bypass pushes (`fleetsim replay
// --stage-push`). REQUIREs that everything loads.
inline std::unique_ptr<Replayed> ReplayOutage(const std::string& name,
                                              const std::vector<std::string>& counterfactuals = {},
                                              bool stage_pushes = false) {
  auto r = std::make_unique<Replayed>();
  Result<Experiment> e = LoadExperiment(OutagePath(name), {});
  INFO(name << ": " << (e.ok() ? "" : e.status().message()));
  REQUIRE(e.ok());
  r->scenario = std::move(e.value().scenario);
  r->policies = std::move(e.value().policies);
  for (const std::string& c : counterfactuals) {
    Result<Policy> p = ResolvePolicy(c, r->scenario);
    INFO(c << ": " << (p.ok() ? "" : p.status().message()));
    REQUIRE(p.ok());
    r->policies.push_back(std::move(p).value());
  }
  REQUIRE(CheckReplayable(r->scenario).ok());
  std::vector<bool> staged(r->policies.size(), stage_pushes);
  staged.front() = false;  // the policy of the day: the pushes as they happened
  r->replay = fleetsim::ReplayOutage(r->scenario, r->policies, r->scenario.seed, staged);
  return r;
}

// The least number of `n` seeds within tolerance that a file meeting its contract reaches with
// probability at least 1 - alpha, when each seed is within with probability `p`: the largest k
// with P(X < k) <= alpha, X ~ Bin(n, p).
inline int RequiredWithin(int n, double p, double alpha) {
  double below = 0;  // P(X < k)
  for (int k = 0; k <= n; ++k) {
    const double pk =
        std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                 k * std::log(p) + (n - k) * std::log1p(-p));
    if (below + pk > alpha) return k;
    below += pk;
  }
  return n;
}

// The outage on seeds 1..n (fleetsim replay NAME --seeds 1-n): every published key time within
// its tolerance on enough seeds, so that the match is the model's and not one lucky seed's.
// The share required follows from the tolerance's contract (scenarios/outages/README.md: the
// response's sigma x median fits inside the tolerance): a moment spread lognormally around the
// published time with sigma x median <= tolerance lands within it with probability at least
// 2 Phi(1) - 1 = 0.683 per seed; on 20 seeds at alpha = 0.01 that is 9 seeds (P(X < 9) = 0.0085).
// The file's own seed is still required within (RequirePublishedTimes).
inline void RequireSeedShare(const std::string& name, int n = 20) {
  Result<Experiment> e = LoadExperiment(OutagePath(name), {});
  REQUIRE(e.ok());
  const Scenario& scenario = e.value().scenario;
  std::vector<uint64_t> seeds;
  for (int s = 1; s <= n; ++s) seeds.push_back(static_cast<uint64_t>(s));
  const SeedReplay replay = ReplaySeeds(scenario, e.value().policies, seeds);
  const double p0 = std::erf(1.0 / std::sqrt(2.0));
  const int required = RequiredWithin(n, p0, 0.01);
  const OutageSpec& outage = *scenario.outage;
  for (int i = 0; i < kOutageMomentCount; ++i) {
    const auto moment = static_cast<OutageMoment>(i);
    const std::optional<PublishedTime>& published = outage.Published(moment);
    if (!published) continue;
    const MomentSpread& s = replay.runs.front().Moment(moment);
    INFO(name << " " << OutageMomentKey(moment) << " on seeds 1-" << n << ": published T+"
              << published->at.minutes() << " +/- " << published->tolerance.minutes()
              << " min, within on " << s.within << " seeds (required " << required
              << "), happened on " << s.happened << ", min/median/max T+" << ReplayMinutes(s.min)
              << " / " << ReplayMinutes(s.median) << " / " << ReplayMinutes(s.max));
    CHECK(s.within >= required);
  }
}

// Every published (or assumed) key time of the file, and every blast-radius value stated with a
// tolerance, reproduced by the policy of the day within the file's tolerance. Detection and
// mitigation start must be stated by every outage file.
inline void RequirePublishedTimes(const std::string& name) {
  const auto r = ReplayOutage(name);
  REQUIRE(r->scenario.outage.has_value());
  const OutageSpec& outage = *r->scenario.outage;
  REQUIRE(outage.Published(OutageMoment::kDetection).has_value());
  REQUIRE(outage.Published(OutageMoment::kMitigationStart).has_value());
  for (int i = 0; i < kOutageMomentCount; ++i) {
    const auto moment = static_cast<OutageMoment>(i);
    const std::optional<PublishedTime>& published = outage.Published(moment);
    if (!published) continue;
    const ReplayMoment& simulated = r->actual().Moment(moment);
    INFO(name << " " << OutageMomentKey(moment) << ": published T+" << published->at.minutes()
              << " +/- " << published->tolerance.minutes() << " min, simulated T+"
              << ReplayMinutes(simulated.at) << " (" << simulated.by << ")");
    REQUIRE(simulated.at.has_value());
    CHECK(published->Within(*simulated.at));
  }
  // Blast-radius values the file states with a tolerance (without one they are shown only).
  const ChangeOutcome& o = r->actual().outcome;
  const auto check = [&](const char* what, const std::optional<PublishedValue>& v,
                         double simulated) {
    if (!v || !v->tolerance) return;
    INFO(name << " " << what << ": published " << v->value << " +/- " << *v->tolerance
              << ", simulated " << simulated);
    CHECK(std::abs(simulated - v->value) <= *v->tolerance);
  };
  check("peak_exposed_fraction", outage.peak_exposed_fraction, o.peak_exposed_fraction);
  check("impacted_traffic_peak", outage.impacted_traffic_peak, o.impacted_traffic_peak);
  check("failed_traffic_peak", outage.failed_traffic_peak, o.failed_traffic_peak);
  check("regions_impacted", outage.regions_impacted, o.regions_impacted);
  // ...and not by one lucky seed.
  RequireSeedShare(name);
}

}  // namespace fleetsim::testing
