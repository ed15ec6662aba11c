// conveyor: Meta Conveyor's push plan (shared/reference/seeds/facebook-conveyor-continuous-
// deployment.txt): phases of {scope, amount, bake}. `scope` names the units pushed in the phase —
// a region, a cluster (our unit), or "*" for all — and `amount` is the percent of sub-units
// (hosts, bucket by bucket) updated within each unit in scope. Phases are cumulative, and Push
// always appends an implicit completion phase (scope "*", amount 100%) so that a misconfigured
// plan can never leave the service partially pushed.
#include <algorithm>

#include "policies/rollout/rollout_registry.h"
#include "policies/rollout/scoped_steps.h"

namespace fleetsim {
namespace {

struct Phase {
  std::string name;
  Scope scope;
  double amount = 100;
  SimTime bake;
  double fault_tolerance = -1;  // < 0: the deploy system's
};

class Conveyor : public RolloutPolicy {
 public:
  struct Params {
    std::vector<Phase> phases;
    SimTime completion_bake;  // bake of the implicit completion phase
  };
  explicit Conveyor(Params p) : phases_(std::move(p.phases)), completion_bake_(p.completion_bake) {}
  std::string_view Kind() const override { return "conveyor"; }

  Status Validate(const Fleet& fleet) const override {
    for (const Phase& p : phases_) {
      if (Status st = p.scope.Validate(fleet); !st.ok())
        return Status::Error("phase '" + p.name + "': " + st.message());
    }
    return Status::Ok();
  }

  RolloutPlan MakePlan(const ChangeInfo&, const PlanContext& context) const override {
    RolloutPlan plan;
    if (!context.fleet) return plan;
    std::vector<double> current(context.fleet->clusters().size(), 0.0);
    for (const Phase& p : phases_) {
      const std::vector<double> mask = p.scope.Mask(*context.fleet);
      for (size_t k = 0; k < current.size(); ++k)
        current[k] = std::max(current[k], mask[k] * p.amount / 100.0);
      RolloutStep step{p.name, 0.0, p.bake, current};
      step.fault_tolerance = p.fault_tolerance;
      plan.steps.push_back(std::move(step));
    }
    plan.steps.push_back(RolloutStep{"completion", 1.0, completion_bake_, {}});
    return plan;
  }

 private:
  std::vector<Phase> phases_;
  SimTime completion_bake_;
};

Conveyor::Params ReadConveyor(YamlMap& m) {
  Conveyor::Params params;
  ConfigNode list = m.Required("phases");
  for (const ConfigNode& pn : list.AsSequence("rollout.phases")) {
    YamlMap p(pn, "rollout.phases[]");
    Phase phase;
    phase.name = p.String("name", "phase" + std::to_string(params.phases.size() + 1));
    ConfigNode scope = p.Required("scope");
    std::vector<std::string> names;
    if (scope.IsScalar()) {
      const std::string s = scope.AsString("rollout.phases[].scope");
      if (s == "*")
        phase.scope.everything = true;
      else
        names.push_back(s);
    } else {
      for (const ConfigNode& n : scope.AsSequence("rollout.phases[].scope"))
        names.push_back(n.AsString("scope[]"));
    }
    // A name may be a region or a cluster; the fleet decides which (Validate checks both).
    phase.scope.regions = names;
    phase.scope.clusters = names;
    phase.scope.lenient = true;
    phase.amount = p.DoubleIn("amount", phase.amount, 1e-9, 100);
    phase.bake = p.RequiredDuration("bake");
    if (p.Has("fault_tolerance")) phase.fault_tolerance = p.Fraction("fault_tolerance", 1.0);
    p.Finish();
    params.phases.push_back(phase);
  }
  if (params.phases.empty())
    list.Fail("rollout.phases: expected at least one phase (the completion phase is implicit)");
  params.completion_bake = m.Duration("completion_bake", params.completion_bake);
  return params;
}

KindDef<RolloutPolicy, Conveyor::Params> ConveyorKind() {
  using P = Conveyor::Params;
  return {.summary =
              "Meta Conveyor push plan: phases of scope (region, cluster or *) x amount (% of "
              "each unit), then an implicit completion phase at 100%.",
          .params = {RequiredParam("phases", "list of {name, scope, amount, bake, fault_tolerance}",
                                   "scope: a region or cluster name, a list of them, or \"*\"; "
                                   "amount: percent of hosts of every cluster in scope (default " +
                                       FormatDefault(Phase{}.amount) +
                                       "); fault_tolerance: share of the phase's host updates "
                                       "allowed to fail (default: the deploy system's "
                                       "fault_tolerance)"),
                     Param("completion_bake", "duration", &P::completion_bake,
                           "bake of the implicit completion phase (scope *, 100%)")},
          .example =
              "{kind: conveyor, phases: [{name: p1, scope: \"*\", amount: 1, bake: 30m}, "
              "{name: region, scope: us-east, amount: 100, bake: 1h}]}",
          .read = ReadConveyor,
          .make = New<Conveyor>{}};
}

}  // namespace

FLEETSIM_REGISTER_ROLLOUT_KIND(conveyor, ConveyorKind);

}  // namespace fleetsim
