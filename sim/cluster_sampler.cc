#include "sim/cluster_sampler.h"

#include <algorithm>
#include <cassert>

#include "sim/deploy_actuator.h"
#include "sim/random_draws.h"

namespace fleetsim {

ClusterSampler::ClusterSampler(const Fleet& fleet, const SignalSpec& spec, uint64_t seed,
                               uint32_t replica, const HealthEvaluator& groups)
    : fleet_(fleet),
      latency_p99_ms_(spec.latency_p99_ms),
      seed_(seed),
      replica_(replica),
      groups_(groups) {}

void ClusterSampler::Start(std::span<const CellProfile> profiles) {
  profiles_ = profiles;
  const size_t n = fleet_.cells().size() + fleet_.clusters().size();
  position_hosts_.assign(n, 0);
  position_error_.assign(n, 0.0);
  for (size_t k = 0; k < fleet_.clusters().size(); ++k) {
    const Cluster& cluster = fleet_.clusters()[k];
    const size_t base = static_cast<size_t>(cluster.first_cell) + k;
    for (int j = 0; j < cluster.cell_count; ++j) {
      const int64_t hosts = fleet_.cells()[cluster.first_cell + j].hosts;
      position_hosts_[base + j + 1] = position_hosts_[base + j] + hosts;
      position_error_[base + j + 1] =
          position_error_[base + j] +
          static_cast<double>(hosts) * profiles_[cluster.first_cell + j].error_rate;
    }
  }
}

void ClusterSampler::Sample(SimTime now, int64_t tick, const RolloutTable& rollouts,
                            std::span<const double> region_rate, TickTotals& out) {
  assert(rollouts.active_count() < (size_t{1} << 23));  // Boundary packs the slot into 23 bits
  for (size_t k = 0; k < fleet_.clusters().size(); ++k) {
    CollectBoundaries(now, k, rollouts);
    const Cluster& cluster = fleet_.clusters()[k];
    const double factor =
        fleet_.services().empty()
            ? 1.0
            : fleet_.services()[static_cast<size_t>(cluster.service)].traffic_factor;
    SampleRuns(tick, k, region_rate[cluster.region] * factor, rollouts, out);
    AddCanaries(k, rollouts.active_count(), out);
  }
}

void ClusterSampler::CollectBoundaries(SimTime now, size_t k, const RolloutTable& rollouts) {
  const Cluster& cluster = fleet_.clusters()[k];
  const size_t base = static_cast<size_t>(cluster.first_cell) + k;
  const int b = cluster.cell_count;
  const int64_t total = position_hosts_[base + b];
  assert(total < (int64_t{1} << 40));  // Boundary packs host positions into 40 bits
  // Host positions run through the buckets in order; a change covers the ring interval that
  // starts at its first bucket (whole buckets, then a prefix of the boundary bucket).
  bounds_.clear();
  for (size_t s = 0; s < rollouts.active_count(); ++s) {
    const Rollout& r = rollouts.Active(s);
    if (r.Flag()) continue;
    const ClusterExposure e = ExposureInCluster(fleet_, cluster, r.motion.At(k, now), r.offset);
    const int64_t start = position_hosts_[base + e.start];
    int64_t length = 0;
    if (e.full > 0) {
      const int end_bucket = e.start + e.full;
      length = end_bucket <= b ? position_hosts_[base + end_bucket] - start
                               : total - start + position_hosts_[base + (end_bucket - b)];
    }
    length += e.partial_hosts;
    if (length <= 0) continue;
    const int64_t end = start + length;
    const int32_t slot = static_cast<int32_t>(s);
    if (end <= total) {
      bounds_.push_back(Boundary::Make(start, slot, +1));
      bounds_.push_back(Boundary::Make(end, slot, -1));
    } else {
      bounds_.push_back(Boundary::Make(start, slot, +1));
      bounds_.push_back(Boundary::Make(total, slot, -1));
      bounds_.push_back(Boundary::Make(0, slot, +1));
      bounds_.push_back(Boundary::Make(end - total, slot, -1));
    }
  }
  // Ties: a change's interval that ends where its other (wrapped) interval starts closes first.
  std::sort(bounds_.begin(), bounds_.end());
}

void ClusterSampler::SampleRuns(int64_t tick, size_t k, double rate, const RolloutTable& rollouts,
                                TickTotals& out) {
  const Cluster& cluster = fleet_.clusters()[k];
  const size_t base = static_cast<size_t>(cluster.first_cell) + k;
  const int b = cluster.cell_count;
  const int64_t total = position_hosts_[base + b];
  // Sum of hosts x error probability over host positions [0, x).
  auto error_mass = [&](int64_t x) {
    const int64_t* first = &position_hosts_[base];
    const int j = static_cast<int>(std::upper_bound(first, first + b + 1, x) - first) - 1;
    if (j >= b) return position_error_[base + b];
    return position_error_[base + j] +
           static_cast<double>(x - first[j]) * profiles_[cluster.first_cell + j].error_rate;
  };
  RandomStream rng(StreamKey::ClusterSignals(seed_, replica_, tick, k));
  const int region = cluster.region;
  const int group = groups_.GroupOf(k);
  // `covering_` holds only the manifesting changes over the current run (their faults are
  // drawn run by run); every change's canary is a range of runs, summed from `run_prefix_`
  // (AddCanaries), so a tick costs O(runs + changes) per cluster rather than O(runs x changes).
  covering_.clear();
  run_prefix_.assign(1, CellTotals{});
  bound_run_.resize(bounds_.size());
  int64_t from = 0;
  size_t next = 0;
  while (from < total) {
    while (next < bounds_.size() && bounds_[next].position() <= from) {
      bound_run_[next] = static_cast<int32_t>(run_prefix_.size() - 1);
      const Boundary& bd = bounds_[next++];
      if (!rollouts.Active(static_cast<size_t>(bd.slot())).Manifesting()) continue;
      if (bd.delta() > 0) {
        covering_.insert(std::lower_bound(covering_.begin(), covering_.end(), bd.slot()),
                         bd.slot());
      } else {
        covering_.erase(std::lower_bound(covering_.begin(), covering_.end(), bd.slot()));
      }
    }
    const int64_t to = next < bounds_.size() ? std::min(total, bounds_[next].position()) : total;
    const int64_t hosts = to - from;
    // Poisson splitting: base errors, each manifesting fault's errors (in change order, on
    // the requests nothing earlier failed) and successes are independent Poisson counts.
    const double error_mean = rate * (error_mass(to) - error_mass(from));
    double ok_mean = rate * static_cast<double>(hosts) - error_mean;
    int64_t errors = DrawPoisson(rng, error_mean);
    int64_t caused_total = 0;
    double segment_latency = latency_p99_ms_;
    fault_errors_.clear();
    for (int32_t s : covering_) {
      const Rollout& r = rollouts.Active(static_cast<size_t>(s));
      const int64_t caused = DrawPoisson(rng, ok_mean * r.effect.error_increase);
      ok_mean *= 1.0 - r.effect.error_increase;
      segment_latency *= r.effect.latency_factor;
      fault_errors_.push_back(caused);
      caused_total += caused;
    }
    errors += caused_total;
    const int64_t requests = errors + DrawPoisson(rng, ok_mean);
    const double expected_requests = rate * static_cast<double>(hosts);
    const SignalWindow window{requests, errors, segment_latency * expected_requests,
                              hosts,    0,      expected_requests};
    out.AddFleet(window, group);
    out.AddFleetFaults(caused_total, group);
    run_prefix_.push_back(run_prefix_.back());
    run_prefix_.back().Add(CellTotals{window, caused_total});
    for (size_t i = 0; i < covering_.size(); ++i) {
      const int32_t s = covering_[i];
      ChangeTickSample& sample = out.samples[static_cast<size_t>(s)];
      sample.fault_errors += fault_errors_[i];
      sample.manifesting_hosts += hosts;
      sample.manifesting_requests += requests;
      if (!rollouts.Active(static_cast<size_t>(s)).region_seen[region]) out.NoteImpact(s, region);
    }
    from = to;
  }
  for (; next < bounds_.size(); ++next)
    bound_run_[next] = static_cast<int32_t>(run_prefix_.size() - 1);
}

void ClusterSampler::AddCanaries(size_t k, size_t n_active, TickTotals& out) {
  // A change's interval runs from its +1 boundary to its -1 boundary (a wrapped change has
  // two intervals); bounds of one slot alternate +1, -1 in sorted order.
  const int group = groups_.GroupOf(k);
  open_run_.resize(n_active);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    const Boundary& bd = bounds_[i];
    if (bd.delta() > 0) {
      open_run_[bd.slot()] = bound_run_[i];
      continue;
    }
    CellTotals range = run_prefix_[bound_run_[i]];
    range.Subtract(run_prefix_[open_run_[bd.slot()]]);
    out.AddCanary(static_cast<size_t>(bd.slot()), group, range);
  }
}

}  // namespace fleetsim
