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
  Rings(std::vector<Ring> rings, double growth, SimTime min_gap)
      : rings_(std::move(rings)), growth_(growth), min_gap_(min_gap) {}
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

}  // namespace

void RegisterRings(RolloutRegistry& registry) {
  registry.Register(
      KindDoc{"rings",
              "Named rings (canary hosts, region sets, clusters, global) one after another, "
              "cumulative.",
              {{"rings", "list of {name, regions, clusters, percent, hosts, bake}", "required",
                "regions/clusters: names or \"*\" (omit both = every cluster), or regions: "
                "{smallest: N}; percent of each cluster in "
                "the ring (default 100); hosts: N instead, for a first ring of exactly N "
                "canary/dogfood hosts that "
                "later rings keep; the last ring must be everything at 100%"},
               {"bake_growth", "number >= 1", "1", "ring i bakes bake x bake_growth^i"},
               {"min_gap", "duration", "0s",
                "minimum bake of every ring (Azure SDP: 24h between phases)"}},
              "{kind: rings, rings: [{name: canary, percent: 1, bake: 30m}, {name: first-region, "
              "regions: [us-east], "
              "bake: 1h}, {name: global, bake: 1h}]}"},
      [](YamlMap& m) -> std::unique_ptr<RolloutPolicy> {
        ConfigNode list = m.Required("rings");
        std::vector<Ring> rings;
        for (const ConfigNode& rn : list.AsSequence("rollout.rings")) {
          YamlMap r(rn, "rollout.rings[]");
          Ring ring;
          ring.name = r.String("name", "ring" + std::to_string(rings.size() + 1));
          if (r.Has("hosts")) {
            for (const char* other : {"regions", "clusters", "percent"}) {
              if (r.Has(other))
                r.Required(other).Fail(std::string("rollout.rings[].") + other +
                                       ": not with hosts");
            }
            if (!rings.empty())
              r.Required("hosts").Fail(
                  "rollout.rings[].hosts: only the first ring can be a host count");
            ring.hosts = r.Int("hosts", 1);
            r.RequireAtLeast("hosts", static_cast<double>(ring.hosts), 1);
          }
          ring.scope = Scope::Parse(r);
          ring.percent = r.DoubleIn("percent", 100, 1e-9, 100);
          ring.bake = r.RequiredDuration("bake");
          r.Finish();
          rings.push_back(ring);
        }
        if (rings.empty()) list.Fail("rollout.rings: expected at least one ring");
        if (!rings.back().scope.everything || rings.back().percent < 100 ||
            rings.back().hosts > 0) {
          list.Fail(
              "rollout.rings: expected the last ring to cover everything at 100% (omit "
              "regions/clusters)");
        }
        const double growth = m.DoubleIn("bake_growth", 1.0, 1.0, 100.0);
        const SimTime min_gap = m.Duration("min_gap", SimTime::Zero());
        return std::make_unique<Rings>(std::move(rings), growth, min_gap);
      });
}

}  // namespace fleetsim
