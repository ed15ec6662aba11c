#include "sim/commit_stream.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>

#include "sim/random_stream.h"

namespace fleetsim {
namespace {

// A uniform in the open interval (0, 1): NextUnit() can return 0, whose normal quantile is -inf.
double OpenUnit(RandomStream& rng) { return rng.NextUnit() + 0.5 / 9007199254740992.0; }

}  // namespace

double CommitRateShape(const CommitStreamSpec& spec, int start_weekday, SimTime t) {
  if (spec.regular) return 1.0;
  const double local_hours = t.hours() + spec.utc_offset + 24.0 * start_weekday;
  const double hour_of_day = std::fmod(std::fmod(local_hours, 24.0) + 24.0, 24.0);
  const double diurnal =
      1.0 + spec.diurnal_amplitude * std::cos(2.0 * M_PI * (hour_of_day - spec.peak_hour) / 24.0);
  const long day = static_cast<long>(std::floor(local_hours / 24.0));
  const int weekday = static_cast<int>(((day % 7) + 7) % 7);
  return diurnal * (weekday >= 5 ? spec.weekend_factor : 1.0);
}

std::vector<Commit> GenerateCommits(const CommitStreamSpec& spec, const FaultCatalog& catalog,
                                    int start_weekday, SimTime duration, uint64_t seed,
                                    uint32_t replica) {
  std::vector<Commit> out;
  if (spec.per_day <= 0) return out;
  std::vector<int> allowed;
  if (spec.fault_names.empty()) {
    for (size_t f = 0; f < catalog.faults.size(); ++f) {
      if (catalog.faults[f].weight > 0) allowed.push_back(static_cast<int>(f));
    }
  } else {
    for (const std::string& name : spec.fault_names) allowed.push_back(catalog.Find(name));
  }
  const double day_ms = 86'400'000.0;
  std::vector<SimTime> landings;
  if (spec.regular) {
    const double gap = day_ms / spec.per_day;
    for (int64_t k = 1;; ++k) {
      const double t = std::round(gap * static_cast<double>(k));
      if (t >= static_cast<double>(duration.millis())) break;
      landings.push_back(SimTime::Millis(static_cast<int64_t>(t)));
    }
  } else {
    // Thinning (Lewis & Shedler): candidates at the peak intensity, each kept with probability
    // shape(t) / max shape.
    const double max_shape = (1.0 + spec.diurnal_amplitude) * std::max(1.0, spec.weekend_factor);
    RandomStream rng(StreamKey::CommitArrivals(seed, replica));
    boost::random::exponential_distribution<double> gap(spec.per_day * max_shape / day_ms);
    double t = 0;
    for (;;) {
      t += gap(rng);
      if (t >= static_cast<double>(duration.millis())) break;
      const SimTime at = SimTime::Millis(static_cast<int64_t>(t));
      if (rng.NextUnit() * max_shape < CommitRateShape(spec, start_weekday, at))
        landings.push_back(at);
    }
  }
  const double d = std::sqrt(2.0) * boost::math::quantile(boost::math::normal(), spec.risk_auc);
  out.reserve(landings.size());
  for (size_t k = 0; k < landings.size(); ++k) {
    Commit c;
    c.id = static_cast<int64_t>(k);
    c.landed = landings[k];
    // Every draw is made whatever its outcome, so one setting never shifts another's draws.
    RandomStream truth(StreamKey::CommitGroundTruth(seed, replica, static_cast<int64_t>(k)));
    const double u_bad = truth.NextUnit();
    const double u_fault = truth.NextUnit();
    const double u_catch = truth.NextUnit();
    const double u_flake = truth.NextUnit();
    const double u_risk = OpenUnit(truth);
    if (!allowed.empty() && u_bad < spec.bad_fraction) {
      double total = 0;
      for (int f : allowed) total += catalog.faults[f].weight;
      double u = u_fault * total;
      c.fault = allowed.back();
      for (int f : allowed) {
        u -= catalog.faults[f].weight;
        if (u < 0) {
          c.fault = f;
          break;
        }
      }
    }
    c.tests_catch = c.bad() && u_catch < spec.test_catch_probability;
    c.flaky = !c.bad() && u_flake < spec.flake_probability;
    const double z = boost::math::quantile(boost::math::normal(), u_risk) + (c.bad() ? d : 0.0);
    c.risk = boost::math::cdf(boost::math::normal(), z);
    out.push_back(c);
  }
  return out;
}

bool CommitTestFails(const Commit& commit, double flake_probability, int attempt, uint64_t seed,
                     uint32_t replica) {
  if (commit.tests_catch) return true;
  if (attempt == 0) return commit.flaky;
  RandomStream rng(StreamKey::CommitTests(seed, replica, commit.id, attempt));
  return rng.NextUnit() < flake_probability;
}

}  // namespace fleetsim
