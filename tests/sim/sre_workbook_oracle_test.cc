// DESIGN §8 oracle from the Google SRE Workbook ("Canarying Releases"): a canary on 5% of the
// hosts serving 20% errors shows up as 0.05 x 0.2 = 1% errors overall when load is uniform.
// A fleet of one cluster of 2000 hosts in 100 buckets (20 hosts per cell) runs a fault with
// error_rate_increase 0.2 on the cells that ForEachExposedCell selects for fraction 0.05
// (exactly 100 hosts), base error rate 0, uniform traffic (no diurnal curve). Every cell is
// sampled with SignalSampler (Poisson requests) for many minutes. By Poisson thinning, given
// the total request count N, total errors ~ Binomial(N, 0.01) exactly, so the overall error
// fraction must be within 5 standard errors sqrt(0.01 x 0.99 / N) of 0.01, and the canary's
// own error fraction within 5 x sqrt(0.2 x 0.8 / N_canary) of 0.2. A 6% canary (1.2% overall)
// is rejected by the same check (negative control).
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/deploy_actuator.h"
#include "sim/fleet.h"
#include "sim/random_stream.h"
#include "sim/signal_sampler.h"
#include "sim/traffic.h"

namespace fleetsim {
namespace {

constexpr int kMinutes = 240;
constexpr double kRatePerHost = 100;

Fleet BuildFleet() {
  FleetSpec spec;
  spec.buckets = 100;
  spec.regions.push_back(RegionSpec{"us-east", 0, -1, {ClusterSpec{"use1", 2000}}});
  Result<Fleet> fleet = Fleet::Build(spec);
  REQUIRE(fleet.ok());
  return std::move(fleet).value();
}

struct Totals {
  int64_t exposed_hosts = 0;
  int64_t requests = 0, errors = 0;
  int64_t canary_requests = 0, canary_errors = 0;
};

Totals RunCanary(const Fleet& fleet, double fraction, uint32_t replica) {
  TrafficSpec traffic_spec;
  traffic_spec.requests_per_host_per_minute = kRatePerHost;
  traffic_spec.diurnal_amplitude = 0;  // uniform load
  traffic_spec.weekend_factor = 1;
  const TrafficModel traffic(traffic_spec, fleet);

  SignalSpec signal_spec;
  signal_spec.base_error_rate = 0;
  signal_spec.poisson_requests = true;
  const SignalSampler sampler(signal_spec);
  const std::vector<CellProfile> profiles = sampler.DrawCellProfiles(fleet, 1, replica);

  Totals t;
  std::vector<int64_t> exposed(fleet.cells().size(), 0);
  ForEachExposedCell(fleet, fraction, 0.0, [&](int cell, int64_t hosts) { exposed[cell] = hosts; });
  t.exposed_hosts = ExposedHosts(fleet, fraction, 0.0);

  const FaultEffect fault{0.2, 1.0};
  int64_t fault_errors[1] = {0};
  for (int minute = 0; minute < kMinutes; ++minute) {
    const SimTime now = SimTime::Minutes(minute);
    for (size_t c = 0; c < fleet.cells().size(); ++c) {
      const Cell& cell = fleet.cells()[c];
      const double rate = traffic.RatePerHostMinute(cell.region, now);
      RandomStream rng(StreamKey{0x5e1, replica, StreamPurpose::kTest,
                                 (static_cast<uint64_t>(minute) << 32) | c});
      const CellMinute cm = sampler.DrawCellMinute(rng, profiles[c]);
      if (exposed[c] > 0) {
        const SegmentSample s = sampler.SampleSegment(rng, exposed[c], rate, cm, profiles[c],
                                                      std::span(&fault, 1), fault_errors);
        t.canary_requests += s.requests;
        t.canary_errors += s.errors;
        t.requests += s.requests;
        t.errors += s.errors;
      }
      if (cell.hosts - exposed[c] > 0) {
        const SegmentSample s =
            sampler.SampleSegment(rng, cell.hosts - exposed[c], rate, cm, profiles[c], {}, {});
        t.requests += s.requests;
        t.errors += s.errors;
      }
    }
  }
  return t;
}

TEST_CASE("5% canary x 20% errors = 1% errors overall (SRE Workbook)", "[oracle][sre_workbook]") {
  const Fleet fleet = BuildFleet();
  REQUIRE(fleet.cells().size() == 100);
  const Totals t = RunCanary(fleet, 0.05, 1);
  CHECK(t.exposed_hosts == 100);

  // Uniform load: E[requests] = 2000 hosts x 100 x kMinutes, Poisson so sd = sqrt(mean).
  const double expected_requests = 2000.0 * kRatePerHost * kMinutes;
  CHECK(std::abs(t.requests - expected_requests) <= 5 * std::sqrt(expected_requests));

  const double overall = static_cast<double>(t.errors) / static_cast<double>(t.requests);
  const double se = std::sqrt(0.01 * 0.99 / static_cast<double>(t.requests));
  INFO("overall error fraction " << overall << " (se " << se << ")");
  CHECK(std::abs(overall - 0.01) <= 5 * se);

  const double canary =
      static_cast<double>(t.canary_errors) / static_cast<double>(t.canary_requests);
  const double canary_se = std::sqrt(0.2 * 0.8 / static_cast<double>(t.canary_requests));
  INFO("canary error fraction " << canary << " (se " << canary_se << ")");
  CHECK(std::abs(canary - 0.2) <= 5 * canary_se);
}

TEST_CASE("negative control: a 6% canary is not 1% overall", "[oracle][sre_workbook]") {
  const Fleet fleet = BuildFleet();
  const Totals t = RunCanary(fleet, 0.06, 2);
  CHECK(t.exposed_hosts == 120);
  const double overall = static_cast<double>(t.errors) / static_cast<double>(t.requests);
  const double se = std::sqrt(0.01 * 0.99 / static_cast<double>(t.requests));
  INFO("overall error fraction " << overall << " (se " << se << ")");
  CHECK(std::abs(overall - 0.01) > 5 * se);
}

}  // namespace
}  // namespace fleetsim
