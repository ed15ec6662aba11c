// HealthPolicy: the interface through which the engine asks for a verdict on a change.
//
// While a change is rolling out, the engine accumulates the signals of its canary (hosts in
// scope running it) and its control group (hosts in scope not running it) and, every
// `interval` after `initial_delay`, hands both windows to Judge(). After `failure_limit`
// failing verdicts the engine takes `on_failure`. Implementations live in policies/health/,
// are immutable after construction and shared by all replicas and threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/change.h"
#include "sim/sim_time.h"

namespace fleetsim {

// Aggregated signals of a group of hosts over one evaluation window.
struct SignalWindow {
  int64_t requests = 0;
  int64_t errors = 0;
  double latency_weighted_sum = 0;  // sum over cohorts of p99 x the cohort's expected requests
  int64_t host_minutes = 0;
  int64_t other_status = 0;  // successful (non-5xx) requests answered 3xx/4xx instead of 2xx
  // Sum over cohorts of their expected requests (hosts x rate): the weights of latency_p99. The
  // expected rather than the drawn counts, so that the weights of cells summed before their
  // counts are drawn (the sampler's column path) are known; they differ by Poisson noise only.
  double latency_weight = 0;

  double error_rate() const {
    return requests > 0 ? static_cast<double>(errors) / static_cast<double>(requests) : 0.0;
  }
  // Share of requests answered 2xx (neither failed nor 3xx/4xx).
  double status_2xx_share() const {
    return requests > 0 ? static_cast<double>(requests - errors - other_status) /
                              static_cast<double>(requests)
                        : 0.0;
  }
  // Mean of the cohorts' p99 latency weighted by their expected requests (an approximation of
  // the group's p99).
  double latency_p99() const {
    return latency_weight > 0 ? latency_weighted_sum / latency_weight : 0.0;
  }
  void Add(const SignalWindow& o) {
    requests += o.requests;
    errors += o.errors;
    latency_weighted_sum += o.latency_weighted_sum;
    host_minutes += o.host_minutes;
    other_status += o.other_status;
    latency_weight += o.latency_weight;
  }
  void Subtract(const SignalWindow& o) {
    requests -= o.requests;
    errors -= o.errors;
    latency_weighted_sum -= o.latency_weighted_sum;
    host_minutes -= o.host_minutes;
    other_status -= o.other_status;
    latency_weight -= o.latency_weight;
  }
};

struct HealthObservation {
  const ChangeInfo* change = nullptr;
  int step = 0;  // index of the current rollout step
  SimTime now;
  SignalWindow canary;  // the schedule's lookback window (default: since the previous evaluation)
  SignalWindow control;
  SignalWindow canary_since_start;  // growing window: everything since the rollout began
  SignalWindow control_since_start;
  // The window split by region (control = hosts of that region not running the change), so
  // that a regression confined to one region is not averaged away; by cluster instead when the
  // schedule's group_by is kCluster. Indexed like *region_names; empty outside a simulation.
  std::vector<SignalWindow> canary_by_region;
  std::vector<SignalWindow> control_by_region;
  std::vector<SignalWindow> canary_by_region_since_start;  // growing window, per region
  std::vector<SignalWindow> control_by_region_since_start;
  const std::vector<std::string>* region_names = nullptr;
  // Per-tick series since the rollout began (one point per tick; NaN when a group served no
  // request), for judges that compare distributions (Kayenta's Mann-Whitney). The last
  // `window_ticks` points are the current sliding window. Views into engine state, valid only
  // during Judge().
  std::span<const double> canary_error_series;
  std::span<const double> control_error_series;
  std::span<const double> canary_latency_series;
  std::span<const double> control_latency_series;
  size_t window_ticks = 0;
};

enum class VerdictKind : uint8_t { kPass, kFail, kInconclusive };

inline const char* VerdictName(VerdictKind v) {
  switch (v) {
    case VerdictKind::kPass:
      return "pass";
    case VerdictKind::kFail:
      return "fail";
    case VerdictKind::kInconclusive:
      return "inconclusive";
  }
  return "?";
}

struct Verdict {
  VerdictKind kind = VerdictKind::kPass;
  std::string reason;  // which check failed and by how much; empty on pass
  // An inconclusive verdict for want of data: the canary served no request (or fewer than
  // min_requests) in the window, so a metrics provider's query would have returned nothing.
  // Vendors' counting may treat that apart from an undecided value (Argo: an empty result is a
  // measurement Error; Flagger: "no values found" is a failed check).
  bool no_data = false;
};

// What the engine does when the limits are reached: roll back at once, or pause the rollout and
// page a person, who looks after a sampled response time and rolls back if the change is
// really at fault, else resumes it (the current step is redone).
enum class FailureAction : uint8_t { kRollback, kPause };

// What an inconclusive verdict (too little traffic, no check could decide) counts as.
enum class InconclusiveAction : uint8_t { kIgnore, kFail, kPause };

struct HealthSchedule {
  SimTime interval = SimTime::Minutes(1);
  SimTime initial_delay;
  int failure_limit = 1;              // failing verdicts (cumulative) that trigger on_failure
  int consecutive_failure_limit = 0;  // > 0: also trigger after this many failures in a row
  FailureAction on_failure = FailureAction::kRollback;
  InconclusiveAction on_inconclusive = InconclusiveAction::kIgnore;
  bool dry_run = false;  // judge and report what would have happened, never act
  // The window `canary`/`control` (and their per-region splits) cover at each evaluation:
  // kInterval: since the previous evaluation (tumbling; default); kGrowing: since the rollout
  // began; kSliding: the last `lookback_window` (one tick granularity).
  enum class Lookback : uint8_t { kInterval, kGrowing, kSliding };
  Lookback lookback = Lookback::kInterval;
  SimTime lookback_window;
  // One analysis run per step (Argo's inline `analysis` step) instead of one for the whole
  // rollout: the counter starts over at every step, and a step advances only once its bake is
  // over AND its run reported success.
  bool run_per_step = false;
  // What the per-group windows (canary_by_region, control_by_region, region_names) split by:
  // regions (default), or clusters (evaluate: per_cluster).
  enum class GroupBy : uint8_t { kRegion, kCluster };
  GroupBy group_by = GroupBy::kRegion;
  // Flagger's scheduler (counting: flagger): the rollout moves only at verdicts. A step
  // advances at its n-th verdict that is not a failed check, once its move is done, with
  // n = max(1, ceil(bake / interval)): one analysed interval per weight, `iterations` of them
  // for A/B testing and blue/green. A failed check holds the step where it is and is counted;
  // once failure_limit checks failed, the next evaluation rolls back without judging (Flagger
  // checks failedChecks >= threshold before it runs the analysis). The last step with no bake
  // is the promotion, which Flagger does not analyse: it is not judged.
  bool advance_on_pass = false;
  // > 0: the analysis run begins only when the rollout starts this step (Argo's background
  // analysis `startingStep`, a blue/green postPromotionAnalysis at the switch): no verdict
  // before; the first one comes initial_delay + interval after the step started. With
  // run_per_step, the steps before it have no run and do not wait for one.
  int start_at_step = 0;
};

class VerdictCounter;

class HealthPolicy {
 public:
  virtual ~HealthPolicy() = default;
  virtual std::string_view Kind() const = 0;
  virtual HealthSchedule Schedule() const = 0;
  virtual Verdict Judge(const HealthObservation& observation) const = 0;
  // Which parts of a HealthObservation Judge() reads beyond the fleet-wide windows, so the
  // engine computes and stores only those (per-group windows cost O(groups) per change and
  // tick; the series grow by one point per tick). Parts not needed are left empty. Default:
  // everything.
  struct ObservationNeeds {
    bool group_windows = true;  // canary_by_region, control_by_region and their since-start sums
    bool series = true;         // the per-tick error and latency series
  };
  virtual ObservationNeeds Needs() const { return {}; }
  // A fresh counter for one analysis run (verdict_counter.h). Default: the schedule's rules.
  virtual std::unique_ptr<VerdictCounter> NewCounter() const;
};

}  // namespace fleetsim
