#include "sim/change_stream.h"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>

#include "sim/random_stream.h"

namespace fleetsim {
namespace {

int DrawFault(RandomStream& rng, const FaultCatalog& catalog, const std::vector<int>& allowed) {
  double total = 0;
  for (int f : allowed) total += catalog.faults[f].weight;
  double u = rng.NextUnit() * total;
  for (int f : allowed) {
    u -= catalog.faults[f].weight;
    if (u < 0) return f;
  }
  return allowed.back();
}

}  // namespace

std::vector<Change> GenerateChanges(const ChangeStreamsSpec& spec, const FaultCatalog& catalog,
                                    SimTime duration, uint64_t seed, uint32_t replica) {
  struct Pending {
    Change change;
    int source;  // 0 = injected, 1 = stream
    int64_t order;
  };
  std::vector<Pending> pending;
  for (size_t i = 0; i < spec.injected.size(); ++i) {
    const InjectedChange& inj = spec.injected[i];
    if (inj.at >= duration) continue;
    Change c;
    c.info.arrival = inj.at;
    c.info.label = inj.label;
    c.info.target = inj.target;
    c.truth.fault = inj.fault.empty() ? -1 : catalog.Find(inj.fault);
    c.truth.injected = true;
    c.truth.injected_index = static_cast<int>(i);
    pending.push_back({c, 0, static_cast<int64_t>(i)});
  }
  std::vector<int> allowed;
  if (spec.config.fault_names.empty()) {
    for (size_t f = 0; f < catalog.faults.size(); ++f) {
      if (catalog.faults[f].weight > 0) allowed.push_back(static_cast<int>(f));
    }
  } else {
    for (const std::string& name : spec.config.fault_names) allowed.push_back(catalog.Find(name));
  }
  // Cumulative service weights: a change's service is one uniform draw, found by bisection.
  std::vector<double> cumulative;
  for (double w : spec.config.service_weights)
    cumulative.push_back((cumulative.empty() ? 0.0 : cumulative.back()) + w);
  if (spec.config.per_day > 0) {
    RandomStream arrivals(StreamKey::ChangeArrivals(seed, replica));
    const double mean_gap_ms = 86'400'000.0 / spec.config.per_day;
    boost::random::exponential_distribution<double> gap(1.0 / mean_gap_ms);
    double t = 0;
    for (int64_t k = 0;; ++k) {
      t += gap(arrivals);
      if (t >= static_cast<double>(duration.millis())) break;
      Change c;
      c.info.arrival = SimTime::Millis(static_cast<int64_t>(t));
      c.info.target = spec.config.target;
      if (!cumulative.empty()) {
        RandomStream service(StreamKey::ChangeService(seed, replica, k));
        const double u = service.NextUnit() * cumulative.back();
        const auto i = static_cast<size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
        c.info.target = spec.config.service_targets[std::min(i, cumulative.size() - 1)];
      }
      RandomStream truth(StreamKey::ChangeGroundTruth(seed, replica, k));
      if (!allowed.empty() && truth.NextUnit() < spec.config.bad_fraction) {
        c.truth.fault = DrawFault(truth, catalog, allowed);
      }
      pending.push_back({c, 1, k});
    }
  }
  std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    if (a.change.info.arrival != b.change.info.arrival) {
      return a.change.info.arrival < b.change.info.arrival;
    }
    if (a.source != b.source) return a.source < b.source;
    return a.order < b.order;
  });
  std::vector<Change> out;
  out.reserve(pending.size());
  for (size_t i = 0; i < pending.size(); ++i) {
    Change c = pending[i].change;
    c.info.id = static_cast<int64_t>(i);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace fleetsim
