// ExposureMotion: the exposure path of one change, per cluster, as a piecewise-linear function
// of time (deploy_actuator.h explains the moves that make it).
//
// One motion takes every cluster linearly from `from` to `to` between `start` and `end` (an
// instant move when they are equal). That is the path the deploy system *pushes*. With a
// configuration propagation delay (infrastructure.propagation_delay, infrastructure_spec.h),
// the hosts of cluster k run what was pushed `lag[k]` earlier: At(k, t) = Pushed(k, t - lag[k]).
// Because a delayed cluster still follows the moves pushed before the current one, a motion
// with a lag keeps the motion it replaced (`before`, used for times before `issued`), trimmed
// to what the longest lag can still reach (Follow). Without a lag (`lag` null) the pushed path
// is the path the hosts run and nothing is kept: the original single-move behaviour.
//
// Cost: At is O(1) without a lag, and O(moves issued within the longest lag) with one (a few).
// Plain value type; the shared parts are immutable.
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "sim/cluster_fractions.h"
#include "sim/sim_time.h"

namespace fleetsim {

struct ExposureMotion {
  ClusterFractions from;  // per cluster (one value when uniform)
  ClusterFractions to;
  SimTime start;
  SimTime end;  // == start for an instant move
  // Propagation delay of each cluster; null: none.
  std::shared_ptr<const std::vector<SimTime>> lag = nullptr;
  // The pushed path before `issued` (the moment this motion replaced it); null: `from` before
  // `start` (no earlier move matters any more).
  std::shared_ptr<const ExposureMotion> before = nullptr;
  SimTime issued = SimTime::Zero();

  // The deploy system's (pushed) exposure of cluster k at time t.
  double Pushed(size_t k, SimTime t) const {
    if (before && t < issued) return before->Pushed(k, t);
    return Linear(k, t);
  }
  // Exposure of cluster k at time t: the share of its hosts running the change.
  double At(size_t k, SimTime t) const { return lag ? Pushed(k, t - (*lag)[k]) : Linear(k, t); }
  // Every cluster's exposure (AllAt) or pushed exposure (AllPushedAt) at time t; O(1) for a
  // uniform move without a lag, O(clusters) otherwise.
  ClusterFractions AllAt(SimTime t) const {
    if (Uniform()) return ClusterFractions(to.size(), Linear(0, t));
    std::vector<double> out(to.size());
    for (size_t k = 0; k < to.size(); ++k) out[k] = At(k, t);
    return out;
  }
  ClusterFractions AllPushedAt(SimTime t) const {
    if (Uniform()) return ClusterFractions(to.size(), Linear(0, t));
    std::vector<double> out(to.size());
    for (size_t k = 0; k < to.size(); ++k) out[k] = Pushed(k, t);
    return out;
  }
  // Every cluster follows the same path: no lag, and the same start and target everywhere (an
  // emptied `from`, which Rollout::ReleaseTickState leaves once the move is over, counts as
  // uniform: the path is at `to` from then on).
  bool Uniform() const {
    return !lag && !before && (from.uniform() || from.empty()) && to.uniform();
  }
  bool Moving(SimTime t) const { return t < end; }

  // The motion that replaces this one at `now` with the same lag: it keeps this one's pushed
  // path for the times before `now` that a lag of at most `max_lag` can still reach.
  ExposureMotion Follow(ClusterFractions next_from, ClusterFractions next_to, SimTime next_start,
                        SimTime next_end, SimTime now, SimTime max_lag) const {
    ExposureMotion m{
        std::move(next_from), std::move(next_to), next_start, next_end, lag, nullptr, now};
    if (lag) m.before = Trimmed(*this, now - max_lag);
    return m;
  }

  // Whether the pushed exposure of cluster k is positive anywhere in [t0, t1] (exact: the path
  // is piecewise linear, so it is checked at the ends and the breakpoints inside).
  bool PushedAnyIn(size_t k, SimTime t0, SimTime t1) const {
    // Each motion rules over [its issue, the next one's issue): closed for the newest motion,
    // open at the right for the older ones (there only the left limit counts).
    SimTime domain_end = SimTime::Max();
    for (const ExposureMotion* p = this; p != nullptr; p = p->before.get()) {
      const SimTime lo = p->before ? std::max(t0, p->issued) : t0;
      const bool open_right = domain_end <= t1;
      const SimTime hi = open_right ? domain_end : t1;
      if (open_right ? lo < hi : lo <= hi) {
        const double at_hi = open_right && hi <= p->start ? p->from[k] : p->Linear(k, hi);
        if (p->Linear(k, lo) > 0 || at_hi > 0) return true;
        if (p->start > lo && p->start < hi && p->from[k] > 0) return true;
        if (p->end > lo && p->end < hi && p->to[k] > 0) return true;
      }
      if (!p->before) break;
      domain_end = p->issued;
    }
    return false;
  }

 private:
  double Linear(size_t k, SimTime t) const {
    if (t >= end) return to[k];
    if (t <= start) return from[k];
    const double u =
        static_cast<double>((t - start).millis()) / static_cast<double>((end - start).millis());
    return from[k] + (to[k] - from[k]) * u;
  }
  // A copy of `m` that answers every time >= earliest, dropping older moves.
  static std::shared_ptr<const ExposureMotion> Trimmed(const ExposureMotion& m, SimTime earliest) {
    auto copy = std::make_shared<ExposureMotion>(m);
    if (copy->before) {
      copy->before = copy->issued <= earliest ? nullptr : Trimmed(*copy->before, earliest);
    }
    return copy;
  }
};

}  // namespace fleetsim
