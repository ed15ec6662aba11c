// SeedReplay: an outage replayed on many seeds (`fleetsim replay OUTAGE --seeds 1-20`), so that a
// match with the published timeline is a property of the model and not of one lucky seed.
//
// Each seed is one ReplayOutage (outage_replay.h: replica 0 of that seed, every policy on the
// same seed). Per policy and key moment it keeps how many seeds the moment happened in, its spread
// (min / median / max of T+), and, for the policy of the day, how many seeds landed within the
// published tolerance. A tolerance is meant to cover the moment's central 95% over seeds
// (scenarios/outages/README.md: a response's sigma x median must fit inside it), so the share
// within is the number to read, and the outage tests require it.
//
// Pure functions of their inputs; deterministic (seeds in the order given).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/outage_replay.h"
#include "sim/status.h"

namespace fleetsim {

// "1-20", "7", "1,4,9" or "1-5,9": the seeds in that order (a range inclusive, ascending); at
// most 10,000; every seed at least 1. The error names the text and says what was expected.
Result<std::vector<uint64_t>> ParseSeeds(const std::string& text);

struct MomentSpread {
  int happened = 0;  // seeds in which the moment happened
  int within = 0;    // of those, within the published tolerance (0 when nothing is published)
  std::optional<SimTime> min, median, max;  // median: the lower middle one for an even count
};

struct SeedReplayRun {
  std::string name;  // ReplayRun::Name()
  bool counterfactual = false;
  std::array<MomentSpread, kOutageMomentCount> moments;
  std::optional<double> peak_exposed_min, peak_exposed_max;  // the culprit's blast radius
  const MomentSpread& Moment(OutageMoment m) const { return moments[static_cast<size_t>(m)]; }
};

struct SeedReplay {
  const Scenario* scenario = nullptr;
  std::vector<uint64_t> seeds;
  std::vector<SeedReplayRun> runs;  // first: the policy of the day
};

// ReplayOutage for each seed, reduced. Requires CheckReplayable(scenario).ok() and seeds not
// empty; policies and stage_pushes as for ReplayOutage.
SeedReplay ReplaySeeds(const Scenario& scenario, const std::vector<Policy>& policies,
                       const std::vector<uint64_t>& seeds,
                       const std::vector<bool>& stage_pushes = {});

// The readable report: per policy, per moment: published time and tolerance, seeds within
// tolerance (count and share), and min / median / max.
std::string RenderSeedReplayText(const SeedReplay& replay);

// The same as JSON (schema_version 1, "seeds" report).
std::string RenderSeedReplayJson(const SeedReplay& replay);

}  // namespace fleetsim
