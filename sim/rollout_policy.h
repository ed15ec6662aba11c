// RolloutPolicy: the interface through which the engine asks a rollout strategy what to do.
//
// A policy never touches the fleet. For each change it returns a RolloutPlan: an ordered list
// of steps, each a target exposure and a bake time. A target is either one fraction for every
// cluster ("5% of the fleet") or a fraction per cluster (rings, canary regions). The engine
// moves exposure to each target at the actuator's speed, bakes, keeps judging health, and
// advances; the plan's last step must put every cluster at 1.0. Implementations live in
// policies/rollout/ and must be immutable after construction: one instance is shared by all
// replicas and threads. PlanContext gives what a plan may depend on (topology, traffic, time).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <memory>

#include "sim/change.h"
#include "sim/health_policy.h"
#include "sim/sim_time.h"
#include "sim/status.h"

namespace fleetsim {

struct RolloutStep {
  std::string name;       // "canary", "p10", ...
  double fraction = 1.0;  // uniform target exposure in [0, 1] (when cluster_fractions is empty)
  SimTime bake;           // time to hold at the target before the next step (or completion)
  std::vector<double> cluster_fractions;  // per-cluster targets; overrides `fraction`
  // A manual gate (Argo `pause: {}`, Spinnaker manual judgment): after `bake`, a person must
  // promote; they do so after the scenario's human response time.
  bool manual_gate = false;
  // Share of this step's host updates allowed to fail (Conveyor's per-phase fault tolerance);
  // < 0: the deploy system's fault_tolerance (deploy_spec.h).
  double fault_tolerance = -1;
  // > 0: the target is exactly this many hosts (Instagram's one-machine canary), placed from
  // the change's placement offset on (deploy_actuator.h StepTargets); overrides `fraction`.
  // With cluster_fractions too, the target is the union (rings keep their canary hosts).
  int64_t hosts = 0;
  // Blue/green: `provision` brings up a parallel copy of every host running the change with no
  // traffic (takes the deploy system's time for the whole fleet; exposure stays as it was);
  // `instant` moves traffic to the target at once (a load-balancer switch); `instant_rollback`
  // keeps the old fleet while this step holds, so a rollback is a switch back, not a redeploy.
  bool provision = false;
  bool instant = false;
  bool instant_rollback = false;
  // Extra checks judged only while this step is active, on the health policy's schedule (a
  // stricter canary SLO); a failure counts like the health policy's own. Null: none.
  std::shared_ptr<const HealthPolicy> checks{};

  bool operator==(const RolloutStep&) const = default;

  // Target of every cluster of a fleet with `clusters` clusters.
  std::vector<double> Targets(size_t clusters) const {
    return cluster_fractions.empty() ? std::vector<double>(clusters, fraction) : cluster_fractions;
  }
  bool Full() const {
    if (cluster_fractions.empty()) return hosts <= 0 && fraction >= 1.0;
    for (double f : cluster_fractions) {
      if (f < 1.0) return false;
    }
    return true;
  }
};

// What a step's fraction is a share of. kHosts: hosts running the change (placed by bucket, see
// deploy_actuator.h). kTrafficShare: the change is already on every host behind a feature flag
// and the fraction is the share of requests (users) that take the new path — on every host, so
// canary and control share hosts; flips reach the fleet after `flag_propagation` and the
// kill switch (rollback) is a flip to 0.
enum class ExposureUnit : uint8_t { kHosts, kTrafficShare };

struct RolloutPlan {
  RolloutPlan() = default;
  explicit RolloutPlan(std::vector<RolloutStep> s) : steps(std::move(s)) {}

  std::vector<RolloutStep> steps;
  ExposureUnit unit = ExposureUnit::kHosts;
  SimTime flag_propagation;  // kTrafficShare: time for a flip to reach every host

  bool operator==(const RolloutPlan&) const = default;
};

class Fleet;
class TrafficModel;

// What a plan may depend on. Pointers are borrowed for the duration of the call; `fleet` and
// `traffic` are null when a plan is inspected outside a simulation (then per-cluster kinds
// cannot plan and return an empty plan).
struct PlanContext {
  const Fleet* fleet = nullptr;
  const TrafficModel* traffic = nullptr;
  SimTime now;
  // Incidents per region so far: the fleet's failure_history plus every bad change that has
  // impacted the region during this run. Null outside a simulation (then failure_history only).
  const std::vector<int64_t>* region_incidents = nullptr;
};

class RolloutPolicy {
 public:
  virtual ~RolloutPolicy() = default;
  virtual std::string_view Kind() const = 0;
  virtual RolloutPlan MakePlan(const ChangeInfo& change, const PlanContext& context) const = 0;
  // Checks that the policy fits `fleet` (named regions and clusters exist, ...) before a run.
  virtual Status Validate(const Fleet& /*fleet*/) const { return Status::Ok(); }
  // Convenience for plans that need no context.
  RolloutPlan Plan(const ChangeInfo& change) const { return MakePlan(change, PlanContext{}); }
};

}  // namespace fleetsim
