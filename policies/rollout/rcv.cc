// rcv (regional config validation): whole regions serve as the canary. The change first goes to
// 100% of the canary regions and bakes there; then a nested rollout policy (`then`) takes the
// rest of the fleet, while the canary regions stay at 100%. Canary regions are chosen per
// change, when it arrives:
//   fixed            the listed regions;
//   highest_traffic  the `count` regions serving the most requests right now (diurnal, local time);
//   local_time       among regions whose local hour is in [from_hour, to_hour), the `count` with
//                    the most traffic (people awake to respond); if none is, the busiest ones;
//   lowest_failure_history  the `count` regions with the fewest incidents so far (the fleet's
//                    failure_history plus bad changes that hit the region during the run), the
//                    busiest first among equals.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "policies/rollout/rollout_registry.h"
#include "policies/rollout/scoped_steps.h"
#include "sim/traffic.h"

namespace fleetsim {
namespace {

enum class Choice : uint8_t { kFixed, kHighestTraffic, kLocalTime, kLowestFailureHistory };

class Rcv : public RolloutPolicy {
 public:
  struct Params {
    Choice choice = Choice::kFixed;
    Scope fixed;
    int count = 1;
    double from_hour = 9;
    double to_hour = 17;
    SimTime bake;
    std::shared_ptr<const RolloutPolicy> then;
  };
  explicit Rcv(Params p) : p_(std::move(p)) {}
  std::string_view Kind() const override { return "rcv"; }

  Status Validate(const Fleet& fleet) const override {
    if (Status st = p_.fixed.Validate(fleet); !st.ok()) return st;
    if (p_.choice != Choice::kFixed && p_.count >= static_cast<int>(fleet.regions().size())) {
      return Status::Error("canary_regions.count " + std::to_string(p_.count) +
                           " leaves no region for the rest");
    }
    return p_.then->Validate(fleet);
  }

  RolloutPlan MakePlan(const ChangeInfo& change, const PlanContext& context) const override {
    RolloutPlan plan;
    if (!context.fleet) return plan;
    const Fleet& fleet = *context.fleet;
    const std::vector<double> canary = CanaryMask(fleet, context);
    plan.steps.push_back(RolloutStep{"canary-regions", 0.0, p_.bake, canary});
    const RolloutPlan rest = p_.then->MakePlan(change, context);
    for (const RolloutStep& step : rest.steps) {
      std::vector<double> targets = step.Targets(fleet.clusters().size());
      for (size_t k = 0; k < targets.size(); ++k) targets[k] = std::max(targets[k], canary[k]);
      plan.steps.push_back(RolloutStep{step.name, 0.0, step.bake, std::move(targets)});
    }
    return plan;
  }

 private:
  std::vector<double> CanaryMask(const Fleet& fleet, const PlanContext& context) const {
    if (p_.choice == Choice::kFixed) return p_.fixed.Mask(fleet);
    const size_t n = fleet.regions().size();
    std::vector<double> load(n, 0.0);
    std::vector<bool> eligible(n, true);
    for (size_t r = 0; r < n; ++r) {
      const Region& region = fleet.regions()[r];
      load[r] = context.traffic
                    ? context.traffic->RatePerHostMinute(static_cast<int>(r), context.now) *
                          static_cast<double>(region.hosts)
                    : region.traffic_share;
      if (p_.choice == Choice::kLocalTime) {
        const double hour =
            std::fmod(std::fmod(context.now.hours() + region.utc_offset_hours, 24.0) + 24.0, 24.0);
        eligible[r] = p_.from_hour <= p_.to_hour ? (hour >= p_.from_hour && hour < p_.to_hour)
                                                 : (hour >= p_.from_hour || hour < p_.to_hour);
      }
    }
    if (std::none_of(eligible.begin(), eligible.end(), [](bool e) { return e; }))
      eligible.assign(n, true);
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::vector<int64_t> incidents(n, 0);
    for (size_t r = 0; r < n; ++r) {
      incidents[r] = context.region_incidents ? (*context.region_incidents)[r]
                                              : fleet.regions()[r].failure_history;
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      if (eligible[a] != eligible[b]) return static_cast<bool>(eligible[a]);
      if (p_.choice == Choice::kLowestFailureHistory && incidents[a] != incidents[b])
        return incidents[a] < incidents[b];
      return load[a] > load[b];
    });
    std::vector<bool> chosen(n, false);
    for (int i = 0; i < p_.count && i < static_cast<int>(n); ++i) chosen[order[i]] = true;
    std::vector<double> mask(fleet.clusters().size(), 0.0);
    for (size_t k = 0; k < mask.size(); ++k)
      mask[k] = chosen[fleet.clusters()[k].region] ? 1.0 : 0.0;
    return mask;
  }

  Params p_;
};

Rcv::Params ReadRcv(YamlMap& m) {
  Rcv::Params p;
  YamlMap c(m.Required("canary_regions"), "rollout.canary_regions");
  ConfigNode choose = c.Required("choose");
  const std::string how = choose.AsString("rollout.canary_regions.choose");
  if (how == "fixed") {
    p.choice = Choice::kFixed;
    p.fixed = Scope::Parse(c);
    if (p.fixed.everything)
      choose.Fail("rollout.canary_regions: choose: fixed needs regions: [names]");
  } else if (how == "highest_traffic" || how == "local_time" || how == "lowest_failure_history") {
    p.choice = how == "highest_traffic" ? Choice::kHighestTraffic
               : how == "local_time"    ? Choice::kLocalTime
                                        : Choice::kLowestFailureHistory;
    p.count = static_cast<int>(c.IntIn("count", p.count, 1, 1000));
    if (p.choice == Choice::kLocalTime) {
      p.from_hour = c.DoubleIn("from_hour", p.from_hour, 0, 24);
      p.to_hour = c.DoubleIn("to_hour", p.to_hour, 0, 24);
    }
  } else {
    choose.Fail(
        "rollout.canary_regions.choose: expected fixed, highest_traffic, local_time or "
        "lowest_failure_history, got '" +
        how + "'");
  }
  c.Finish();
  p.bake = m.RequiredDuration("bake");
  p.then = ParseRolloutPolicy(m.Required("then"), "rollout.then");
  return p;
}

KindDef<RolloutPolicy, Rcv::Params> RcvKind() {
  return {
      .summary =
          "Regional config validation: whole canary regions first, then a nested policy for the "
          "rest.",
      .params = {RequiredParam("canary_regions", "{choose, regions | count, from_hour, to_hour}",
                               "choose: fixed (regions: [...]), highest_traffic (count), "
                               "local_time (count, from_hour, to_hour: local hours when the "
                               "region is eligible) or lowest_failure_history (count: fewest "
                               "incidents so far, from fleet.regions[].failure_history plus "
                               "this run's)"),
                 RequiredParam("bake", "duration", "time the canary regions run the change alone"),
                 RequiredParam("then", "rollout policy",
                               "how the rest of the fleet gets it, e.g. {kind: stages, ...}")},
      .example =
          "{kind: rcv, canary_regions: {choose: highest_traffic, count: 1}, bake: 1h, "
          "then: {kind: stages, stages: [{name: p10, percent: 10, bake: 30m}, {name: all, "
          "percent: 100, bake: 30m}]}}",
      .read = ReadRcv,
      .make = New<Rcv>{}};
}

}  // namespace

FLEETSIM_REGISTER_ROLLOUT_KIND(rcv, RcvKind);

}  // namespace fleetsim
