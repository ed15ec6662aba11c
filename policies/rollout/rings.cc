// rings: named groups of the fleet that receive a change one after another (Azure SDP, Meta's
// employees -> 2% -> 100%): canary hosts (a percent of every cluster), region sets, named
// clusters, and finally everything. Rings are cumulative: a cluster keeps the largest exposure
// any earlier ring gave it. Each ring bakes `bake` (times `bake_growth`^i for ring i), and never
// less than `min_gap` (Azure's "at least 24 h between phases"). The last ring must cover
// everything at 100%.
#include <algorithm>
#include <cmath>

#include "policies/rollout/rollout_registry.h"
#include "policies/rollout/scoped_steps.h"

namespace fleetsim {
namespace {

struct Ring {
  std::string name;
  Scope scope;
  double percent = 100;
  int64_t hosts = 0;  // a ring of exactly this many hosts (first ring only)
  SimTime bake;
};

class Rings : public RolloutPolicy {
 public:
  struct Params {
    std::vector<Ring> rings;
    double bake_growth = 1;  // ring i bakes bake x bake_growth^i
    SimTime min_gap;         // minimum bake of every ring
  };
  explicit Rings(Params p)
      : rings_(std::move(p.rings)), growth_(p.bake_growth), min_gap_(p.min_gap) {}
  std::string_view Kind() const override { return "rings"; }

  Status Validate(const Fleet& fleet) const override {
    for (const Ring& r : rings_) {
      if (Status st = r.scope.Validate(fleet); !st.ok())
        return Status::Error("ring '" + r.name + "': " + st.message());
    }
    return Status::Ok();
  }

  RolloutPlan MakePlan(const ChangeInfo&, const PlanContext& context) const override {
    RolloutPlan plan;
    if (!context.fleet) return plan;
    std::vector<double> current(context.fleet->clusters().size(), 0.0);
    double factor = 1.0;
    const int64_t canary_hosts = rings_.front().hosts;  // kept by every later ring
    for (const Ring& r : rings_) {
      SimTime bake = SimTime::Millis(std::llround(static_cast<double>(r.bake.millis()) * factor));
      bake = std::max(bake, min_gap_);
      factor *= growth_;
      if (r.hosts > 0) {
        RolloutStep step;
        step.name = r.name;
        step.hosts = r.hosts;
        step.bake = bake;
        plan.steps.push_back(step);
        continue;
      }
      const std::vector<double> mask = r.scope.Mask(*context.fleet);
      for (size_t k = 0; k < current.size(); ++k)
        current[k] = std::max(current[k], mask[k] * r.percent / 100.0);
      RolloutStep step{r.name, 0.0, bake, current};
      step.hosts = canary_hosts;
      plan.steps.push_back(step);
    }
    return plan;
  }

 private:
  std::vector<Ring> rings_;
  double growth_;
  SimTime min_gap_;
};

Rings::Params ReadRings(YamlMap& m) {
  Rings::Params p;
  ConfigNode list = m.Required("rings");
  for (const ConfigNode& rn : list.AsSequence("rollout.rings")) {
    YamlMap r(rn, "rollout.rings[]");
    Ring ring;
    ring.name = r.String("name", "ring" + std::to_string(p.rings.size() + 1));
    if (r.Has("hosts")) {
      for (const char* other : {"regions", "clusters", "percent"}) {
        if (r.Has(other))
          r.Required(other).Fail(std::string("rollout.rings[].") + other + ": not with hosts");
      }
      if (!p.rings.empty())
        r.Required("hosts").Fail("rollout.rings[].hosts: only the first ring can be a host count");
      ring.hosts = r.IntIn("hosts", 1, 1, 10'000'000'000);
    }
    ring.scope = Scope::Parse(r);
    ring.percent = r.DoubleIn("percent", ring.percent, 1e-9, 100);
    ring.bake = r.RequiredDuration("bake");
    r.Finish();
    p.rings.push_back(ring);
  }
  if (p.rings.empty()) list.Fail("rollout.rings: expected at least one ring");
  const Ring& last = p.rings.back();
  if (!last.scope.everything || last.percent < 100 || last.hosts > 0) {
    list.Fail(
        "rollout.rings: expected the last ring to cover everything at 100% (omit "
        "regions/clusters)");
  }
  p.bake_growth = m.DoubleIn("bake_growth", p.bake_growth, 1.0, 100.0);
  p.min_gap = m.Duration("min_gap", p.min_gap);
  return p;
}

KindDef<RolloutPolicy, Rings::Params> RingsKind() {
  using P = Rings::Params;
  return {
      .summary =
          "Named rings (canary hosts, region sets, clusters, global) one after another, "
          "cumulative.",
      .params = {RequiredParam("rings", "list of {name, regions, clusters, percent, hosts, bake}",
                               "regions/clusters: names or \"*\" (omit both = every cluster), or "
                               "regions: {smallest: N}; percent of each cluster in the ring "
                               "(default " +
                                   FormatDefault(Ring{}.percent) +
                                   "); hosts: N instead, for a first ring of exactly N "
                                   "canary/dogfood hosts that later rings keep; the last ring "
                                   "must be everything at 100%"),
                 Param("bake_growth", "number >= 1", &P::bake_growth,
                       "ring i bakes bake x bake_growth^i"),
                 Param("min_gap", "duration", &P::min_gap,
                       "minimum bake of every ring (Azure SDP: 24h between phases)")},
      .example =
          "{kind: rings, rings: [{name: canary, percent: 1, bake: 30m}, {name: "
          "first-region, regions: [us-east], bake: 1h}, {name: global, bake: 1h}]}",
      .read = ReadRings,
      .make = New<Rings>{}};
}

}  // namespace

FLEETSIM_REGISTER_ROLLOUT_KIND(rings, RingsKind);

}  // namespace fleetsim
