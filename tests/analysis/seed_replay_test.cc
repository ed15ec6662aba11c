// SeedReplay (analysis/seed_replay.h): `fleetsim replay OUTAGE --seeds LIST` parses its list and
// reduces one ReplayOutage per seed to the seeds within tolerance and the min / median / max of
// each key moment; the reduction is checked against the per-seed replays themselves.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "analysis/experiment.h"
#include "analysis/seed_replay.h"
#include "tests/scenarios/outage_replay_support.h"

namespace fleetsim {
namespace {

TEST_CASE("seed lists parse as ranges and lists, in order", "[seed_replay]") {
  CHECK(ParseSeeds("1-5").value() == std::vector<uint64_t>{1, 2, 3, 4, 5});
  CHECK(ParseSeeds("7").value() == std::vector<uint64_t>{7});
  CHECK(ParseSeeds("9,1,4").value() == std::vector<uint64_t>{9, 1, 4});
  CHECK(ParseSeeds("1-3,9").value() == std::vector<uint64_t>{1, 2, 3, 9});
  CHECK(ParseSeeds("1-10000").value().size() == 10000);
  for (const char* bad : {"", "0", "0-3", "a", "1-", "-3", "5-1", "1,,2", "1,", "1.5", "1-10001"}) {
    INFO(bad);
    const Result<std::vector<uint64_t>> r = ParseSeeds(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::StartsWith(std::string("--seeds '") + bad + "'"));
  }
}

TEST_CASE("the seed reduction is the per-seed replays' count, min, median and max",
          "[seed_replay]") {
  Result<Experiment> e = LoadExperiment(testing::OutagePath("cloudflare-2019-waf"), {});
  REQUIRE(e.ok());
  const Scenario& s = e.value().scenario;
  const std::vector<uint64_t> seeds{3, 1, 4, 5, 9, 2};
  const SeedReplay reduced = ReplaySeeds(s, e.value().policies, seeds);
  REQUIRE(reduced.runs.size() == 1);
  for (int m = 0; m < kOutageMomentCount; ++m) {
    const auto moment = static_cast<OutageMoment>(m);
    INFO(OutageMomentKey(moment));
    std::vector<SimTime> times;
    int within = 0;
    for (uint64_t seed : seeds) {
      const OutageReplay one = ReplayOutage(s, e.value().policies, seed);
      const ReplayMoment& at = one.runs.front().Moment(moment);
      if (!at.at) continue;
      times.push_back(*at.at);
      const std::optional<PublishedTime>& p = s.outage->Published(moment);
      if (p && p->Within(*at.at)) ++within;
    }
    const MomentSpread& spread = reduced.runs.front().Moment(moment);
    CHECK(spread.happened == static_cast<int>(times.size()));
    CHECK(spread.within == within);
    if (times.empty()) continue;
    std::sort(times.begin(), times.end());
    CHECK(spread.min == times.front());
    CHECK(spread.median == times[2]);  // the lower middle of six
    CHECK(spread.max == times.back());
  }
  // The people's response is random: the mitigation differs across these seeds.
  const MomentSpread& mitigation = reduced.runs.front().Moment(OutageMoment::kMitigationStart);
  CHECK(*mitigation.min < *mitigation.max);
}

TEST_CASE("the share of seeds an outage test requires follows from the binomial", "[seed_replay]") {
  // p = 2 Phi(1) - 1 on 20 seeds: P(X < 9) = 0.0085 <= 0.01 < P(X < 10) = 0.026.
  const double p0 = std::erf(1.0 / std::sqrt(2.0));
  CHECK(testing::RequiredWithin(20, p0, 0.01) == 9);
  CHECK(testing::RequiredWithin(20, p0, 0.001) == 7);
  CHECK(testing::RequiredWithin(20, 1.0 - 1e-12, 0.01) == 20);
  CHECK(testing::RequiredWithin(20, 0.5, 0.5) == 10);  // P(X < 10) = 0.41, P(X < 11) = 0.59
}

}  // namespace
}  // namespace fleetsim
