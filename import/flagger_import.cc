#include "import/flagger_import.h"

#include <algorithm>

namespace fleetsim::import {

std::vector<int> FlaggerWeights(int step_weight, const std::vector<int>& step_weights,
                                int max_weight) {
  const int total = 100;
  const int max_w = !step_weights.empty() ? std::min(total, step_weights.back())
                    : max_weight > 0      ? max_weight
                                          : total;
  auto next = [&](int w) {
    if (step_weight > 0 || step_weights.empty()) return step_weight;
    const int max_step = total - w;
    if (max_step == 0) return 1;
    if (w == 0) return std::min(max_step, step_weights[0]);
    for (size_t i = 0; i + 1 < step_weights.size(); ++i) {
      if (step_weights[i] == w) return std::min(max_step, step_weights[i + 1] - w);
    }
    return max_step;
  };
  std::vector<int> out;
  int w = 0;
  while (w < max_w && out.size() < 1000) {
    const int step = next(w);
    if (step <= 0) return {};
    w = std::min(total, w + step);
    out.push_back(w);
  }
  return out;
}

namespace {

constexpr const char* kVendor = "Flagger";

struct FlaggerCheck {
  std::string metric;
  std::optional<double> min, max;
  SpecField from;
  std::string note;
};

class CanaryImport {
 public:
  CanaryImport(const SpecField& root, const std::vector<const SpecDocument*>& templates,
               ImportContext& ctx)
      : root_(root), templates_(templates), ctx_(ctx) {}

  std::string Run() {
    root_.RequireKnownKeys({"apiVersion", "kind", "metadata", "spec", "status"}, kVendor);
    const SpecField metadata = root_.Required("metadata");
    const std::string name = metadata.Required("name").String();
    ctx_.NoEffect(metadata, "object metadata (name " + name + " becomes the policy's name)");
    if (auto s = root_.Optional("status")) ctx_.NoEffect(*s, "the object's status");
    const SpecField spec = root_.Required("spec");
    Spec(spec);
    return name;
  }

 private:
  void Spec(const SpecField& spec) {
    spec.RequireKnownKeys(
        {"provider", "metricsServer", "targetRef", "autoscalerRef", "ingressRef", "routeRef",
         "upstreamRef", "service", "analysis", "canaryAnalysis", "progressDeadlineSeconds",
         "skipAnalysis", "revertOnDeletion", "suspend"},
        kVendor);
    auto none = [&](const char* key, const std::string& why) {
      if (auto f = spec.Optional(key)) ctx_.NoEffect(*f, why);
    };
    none("provider", "which mesh or ingress shifts traffic; weights are shares of traffic");
    none("metricsServer", "where Flagger queries metrics; fleetsim reads the canary's signals");
    none("targetRef", "the Deployment being rolled out");
    none("autoscalerRef", "the HPA scaled with it: capacity is not modelled");
    none("ingressRef", "the ingress that routes traffic");
    none("routeRef", "the route that shifts traffic");
    none("upstreamRef", "the upstream that shifts traffic");
    none("service", "the Service and routing rules generated for the canary");
    none("revertOnDeletion", "what happens when the Canary object is deleted");
    if (auto f = spec.Optional("progressDeadlineSeconds"))
      ctx_.NotSimulated(*f, "a canary whose pods make no progress (not becoming ready)");
    if (auto f = spec.Optional("suspend"))
      ctx_.NotSimulated(*f, "a suspended canary is not reconciled at all");
    std::optional<SpecField> analysis = spec.Optional("analysis");
    if (!analysis) analysis = spec.Optional("canaryAnalysis");
    if (spec.Has("analysis") && spec.Has("canaryAnalysis"))
      spec.Required("canaryAnalysis").Fail("spec: expected analysis or canaryAnalysis, not both");
    if (auto skip = spec.Optional("skipAnalysis"); skip && skip->Bool()) {
      ctx_.Map(ctx_.policy().Child("rollout"), "rollout.kind", "kind", "big_bang", *skip,
               "skipAnalysis: Flagger promotes at once, without analysis");
      if (analysis) ctx_.NoEffect(*analysis, "skipped (skipAnalysis: true)");
      return;
    } else if (skip) {
      ctx_.NoEffect(*skip, "false: the analysis runs");
    }
    if (!analysis) spec.Fail("spec: a Canary without analysis never advances (expected analysis:)");
    Analysis(*analysis);
  }

  void Analysis(const SpecField& a) {
    a.RequireKnownKeys(
        {"interval", "iterations", "mirror", "mirrorWeight", "maxWeight", "stepWeight",
         "stepWeights", "stepWeightPromotion", "threshold", "primaryReadyThreshold",
         "canaryReadyThreshold", "alerts", "metrics", "webhooks", "match", "sessionAffinity"},
        kVendor);
    auto none = [&](const char* key, const std::string& why) {
      if (auto f = a.Optional(key)) ctx_.NoEffect(*f, why);
    };
    none("primaryReadyThreshold", "pods of the primary that must be ready");
    none("canaryReadyThreshold", "pods of the canary that must be ready");
    none("alerts", "notifications");
    none("sessionAffinity", "cookie stickiness keeps a user on one version");
    none("stepWeightPromotion",
         "after promotion both primary and canary run the new version: only the split between "
         "them changes, not exposure");
    // Interval: default 60 s, anything below 10 s is 10 s (GetAnalysisInterval).
    interval_ = SimTime::Seconds(60);
    std::optional<SpecField> interval_f = a.Optional("interval");
    std::string interval_note = "";
    if (interval_f) {
      std::optional<SimTime> t = ParseGoDuration(interval_f->String());
      if (!t) interval_f->Fail(interval_f->path() + ": expected a duration such as 1m or 30s");
      interval_ = *t;
      if (interval_ < SimTime::Seconds(10)) {
        interval_ = SimTime::Seconds(10);
        interval_note = "Flagger raises intervals below 10s to 10s";
      }
    }
    analysis_interval_ = interval_f;
    DraftNode& rollout = ctx_.policy().Child("rollout");
    DraftNode& health = ctx_.policy().Child("health");
    // The health section: every interval, all metrics; threshold failed checks roll back.
    if (interval_f) {
      if (interval_note.empty())
        ctx_.Map(health, "health.interval", "interval", FormatDuration(interval_), *interval_f,
                 "the analysis runs every interval");
      else
        ctx_.Approximate(health, "health.interval", "interval", FormatDuration(interval_),
                         *interval_f, interval_note);
    } else {
      ctx_.Default(health, "health.interval", "interval", "1m", "Flagger's default interval");
    }

    const int iterations =
        a.Has("iterations") ? static_cast<int>(a.Required("iterations").Int()) : 0;
    if (iterations < 0) a.Required("iterations").Fail("analysis.iterations: expected >= 0");
    const bool match = a.Has("match");
    if (iterations > 0 && match) {
      AB(a, rollout, iterations);
    } else if (iterations > 0) {
      BlueGreen(a, rollout, iterations);
    } else {
      if (match) ctx_.NotSimulated(a.Required("match"), "a header match without iterations");
      Canary(a, rollout);
    }
    Threshold(a, health);
    Metrics(a, health);
    Webhooks(a);
  }

  void Canary(const SpecField& a, DraftNode& rollout) {
    std::optional<SpecField> step_f = a.Optional("stepWeight");
    std::optional<SpecField> steps_f = a.Optional("stepWeights");
    std::optional<SpecField> max_f = a.Optional("maxWeight");
    const int step = step_f ? static_cast<int>(step_f->Int()) : 0;
    std::vector<int> steps;
    if (steps_f) {
      int previous = 0;
      for (const SpecField& w : steps_f->Items()) {
        const int v = static_cast<int>(w.Int());
        if (v <= previous || v > 100)
          w.Fail(w.path() + ": expected increasing weights in (0, 100]");
        previous = v;
        steps.push_back(v);
      }
    }
    const int max = max_f ? static_cast<int>(max_f->Int()) : 0;
    if (max_f && (max <= 0 || max > 100)) max_f->Fail(max_f->path() + ": expected (0, 100]");
    if (step_f && (step < 0 || step > 100)) step_f->Fail(step_f->path() + ": expected [0, 100]");
    const std::vector<int> weights = FlaggerWeights(step, steps, max);
    if (weights.empty()) {
      a.Fail(a.path() +
             ": with no stepWeight, stepWeights or iterations the canary never "
             "advances");
    }
    if (steps_f && step_f && step > 0)
      ctx_.NoEffect(*steps_f,
                    "stepWeight is set, so Flagger steps by it (stepWeights only sets "
                    "maxWeight)");
    const bool reaches_full = weights.back() >= 100;
    const SpecField& from = step > 0 ? *step_f : *steps_f;
    const int max_w = !steps.empty() ? std::min(100, steps.back()) : max > 0 ? max : 100;
    const bool multiple = step > 0 && max_w % step == 0;
    if (multiple) {
      ctx_.Map(rollout, "rollout.kind", "kind", "linear", from,
               "Flagger's canary: +stepWeight every interval while the checks pass");
      ctx_.Map(rollout, "rollout.step", "step", std::to_string(step), *step_f);
      if (max_f)
        ctx_.Map(rollout, "rollout.max", "max", std::to_string(max), *max_f,
                 "promotion after the interval at maxWeight");
      else
        ctx_.Default(rollout, "rollout.max", "max", "100", "Flagger's default maxWeight (100%)");
      if (interval_f())
        ctx_.Map(rollout, "rollout.interval", "interval", FormatDuration(interval_), *interval_f(),
                 "one weight per interval");
      else
        ctx_.Default(rollout, "rollout.interval", "interval", FormatDuration(interval_),
                     "Flagger's default interval");
      if (reaches_full) {
        ctx_.Derived(rollout, "rollout.final_bake", "final_bake", FormatDuration(interval_),
                     "at weight 100 the canary takes all traffic for one more analysed "
                     "interval before promotion",
                     from.Where());
      }
      return;
    }
    ctx_.Map(rollout, "rollout.kind", "kind", "stages", from,
             "Flagger's weights, one interval each while the checks pass");
    DraftNode& list = rollout.Child("stages");
    for (size_t i = 0; i < weights.size(); ++i) {
      const std::string p = "rollout.stages[" + std::to_string(i) + "]";
      DraftNode& item = list.Append();
      const int w = weights[i];
      item.Set("name", "w" + std::to_string(w));
      const std::string note = step > 0 ? "weight " + std::to_string(i + 1) + " x stepWeight" +
                                              (w == 100 || (i + 1 == weights.size() && w != max_w)
                                                   ? " (Flagger overshoots maxWeight " +
                                                         std::to_string(max_w) + " and caps at 100)"
                                                   : "")
                                        : "stepWeights[" + std::to_string(i) + "]";
      ctx_.Map(item, p + ".percent", "percent", std::to_string(w), from, note);
      ctx_.Derived(item, p + ".bake", "bake", FormatDuration(interval_),
                   "one analysis interval at this weight",
                   interval_f() ? interval_f()->Where() : "");
    }
    if (!reaches_full) {
      const std::string p = "rollout.stages[" + std::to_string(weights.size()) + "]";
      DraftNode& item = list.Append();
      item.Annotate("promotion: the primary gets the new version");
      item.Set("name", "promoted");
      ctx_.Derived(item, p + ".percent", "percent", "100", "after the last weight passed", "");
      ctx_.Derived(item, p + ".bake", "bake", "0s", "", "");
    }
  }

  const std::optional<SpecField>& interval_f() const { return analysis_interval_; }

  void AB(const SpecField& a, DraftNode& rollout, int iterations) {
    const SpecField match = a.Required("match");
    if (!ctx_.options().match_share) {
      match.Fail(
          "analysis.match: A/B testing sends only the requests this match selects to the "
          "canary, and fleetsim needs to know their share: pass --match-share PERCENT "
          "(e.g. --match-share 5%)");
    }
    const double share = *ctx_.options().match_share * 100;
    ctx_.Map(rollout, "rollout.kind", "kind", "stages", match,
             "A/B testing: the matched requests go to the canary for `iterations` intervals");
    DraftNode& list = rollout.Child("stages");
    DraftNode& ab = list.Append();
    ab.Set("name", "ab");
    ctx_.Approximate(ab, "rollout.stages[0].percent", "percent", FormatNumber(share), match,
                     "the matched share of requests (--match-share), served by that share of "
                     "hosts");
    const SpecField it = a.Required("iterations");
    ctx_.Map(ab, "rollout.stages[0].bake", "bake",
             FormatDuration(SimTime::Millis(interval_.millis() * iterations)), it,
             "iterations x interval");
    DraftNode& all = list.Append();
    all.Set("name", "promoted");
    ctx_.Derived(all, "rollout.stages[1].percent", "percent", "100", "", "");
    ctx_.Derived(all, "rollout.stages[1].bake", "bake", "0s", "", "");
    for (const char* key : {"maxWeight", "stepWeight", "stepWeights"}) {
      if (auto f = a.Optional(key)) ctx_.NoEffect(*f, "ignored by Flagger with A/B testing");
    }
  }

  void BlueGreen(const SpecField& a, DraftNode& rollout, int iterations) {
    const SpecField it = a.Required("iterations");
    ctx_.Map(rollout, "rollout.kind", "kind", "blue_green", it,
             "Flagger blue/green: iterations without a match");
    ctx_.Map(rollout, "rollout.auto_promotion_seconds", "auto_promotion_seconds",
             FormatDuration(SimTime::Millis(interval_.millis() * iterations)), it,
             "the canary runs `iterations` intervals without production traffic");
    ctx_.Derived(rollout, "rollout.post_promotion_bake", "post_promotion_bake",
                 FormatDuration(interval_),
                 "then all traffic goes to the canary for one analysed interval before the "
                 "primary is promoted",
                 it.Where());
    ctx_.Derived(rollout, "rollout.scale_down_delay", "scale_down_delay", "0s",
                 "after promotion the primary runs the new version", it.Where());
    DraftNode& health = ctx_.policy().Child("health");
    ctx_.Derived(health, "health.on_inconclusive", "on_inconclusive", "ignore",
                 "before the switch the canary serves only load-test traffic, which is not "
                 "simulated: those verdicts have no data and are not counted",
                 it.Where());
    if (auto f = a.Optional("mirror"))
      ctx_.NotSimulated(*f, "mirrored traffic to the canary before the switch has no users");
    if (auto f = a.Optional("mirrorWeight")) ctx_.NotSimulated(*f, "share of mirrored traffic");
    for (const char* key : {"maxWeight", "stepWeight", "stepWeights"}) {
      if (auto f = a.Optional(key)) ctx_.NoEffect(*f, "ignored by Flagger with iterations");
    }
  }

  void Threshold(const SpecField& a, DraftNode& health) {
    ctx_.Derived(health, "health.counting", "counting", "flagger",
                 "Flagger's scheduler: a failed check holds the weight and is counted, a passing "
                 "one advances; rollback at the tick after `threshold` failed checks",
                 a.Where());
    if (auto t = a.Optional("threshold")) {
      const int64_t v = t->Int();
      const int64_t limit = v > 0 ? v : 1;
      ctx_.Map(health, "health.failure_limit", "failure_limit", std::to_string(limit), *t,
               v > 0 ? "failed checks before rollback (cumulative, Flagger's failedChecks)"
                     : "Flagger reads a threshold <= 0 as 1");
    } else {
      ctx_.Default(health, "health.failure_limit", "failure_limit", "1",
                   "Flagger's default threshold");
    }
    ctx_.Derived(health, "health.on_failure", "on_failure", "rollback",
                 "Flagger routes all traffic back to the primary", "");
  }

  void Metrics(const SpecField& a, DraftNode& health) {
    std::vector<FlaggerCheck> checks;
    std::vector<std::pair<SimTime, SpecField>> windows;
    if (auto list = a.Optional("metrics")) {
      for (const SpecField& m : list->Items()) Metric(m, checks, windows);
    }
    if (checks.empty()) {
      ctx_.policy().Erase("health");
      if (a.Has("metrics"))
        ctx_.NotSimulated(a.Required("metrics"), "no simulated metric: no automated checks");
      return;
    }
    // A metric's interval is the range its query covers: the window each verdict judges.
    SimTime window = windows.front().first;
    bool same = true;
    for (const auto& [w, f] : windows) {
      same = same && w == window;
      window = std::max(window, w);
    }
    const SpecField& wf = windows.front().second;
    if (window != interval_ || !same) {
      const std::string value = FormatDuration(window);
      if (same)
        ctx_.Map(health, "health.lookback", "lookback", value, wf,
                 "each check reads the last " + value + " (the metric's query range)");
      else
        ctx_.Approximate(health, "health.lookback", "lookback", value, wf,
                         "the metrics' query ranges differ; fleetsim judges every check over "
                         "the longest one (" +
                             value + ")");
    } else {
      ctx_.MappedElsewhere(wf, "health.lookback", "interval",
                           "the query range equals the analysis interval (fleetsim's default)");
    }
    if (!health.Has("on_inconclusive")) {
      // pkg/controller/scheduler_metrics.go: a query with no values ("Halt advancement no values
      // found ... probably ... is not receiving traffic") fails runAnalysis, which counts a
      // failed check (scheduler.go). Blue/green set its own above: its pre-switch checks would
      // read load-test traffic, which is not simulated.
      ctx_.Derived(health, "health.on_inconclusive", "on_inconclusive", "fail",
                   "a metric query without values (a canary that served no request) is a "
                   "failed check in Flagger",
                   a.Where());
    }
    DraftNode& out = health.Child("checks");
    for (size_t i = 0; i < checks.size(); ++i) {
      const FlaggerCheck& c = checks[i];
      const std::string p = "health.checks[" + std::to_string(i) + "]";
      DraftNode& item = out.Append();
      item.Annotate(ImportContext::CommentFor(c.from), c.from.Where());
      ctx_.Derived(item, p + ".kind", "kind", "threshold", "Flagger's checks are absolute bounds",
                   c.from.Where());
      ctx_.Derived(item, p + ".metric", "metric", c.metric, c.note, c.from.Where());
      if (c.min) ctx_.Map(item, p + ".min", "min", FormatNumber(*c.min), c.from, c.note);
      if (c.max) ctx_.Map(item, p + ".max", "max", FormatNumber(*c.max), c.from, c.note);
    }
  }

  // thresholdRange {min, max} (inclusive: Flagger fails below min or above max) or the older
  // single `threshold`.
  ValueBound Range(const SpecField& m, bool legacy_is_min, SpecField* from) {
    ValueBound b;
    if (auto r = m.Optional("thresholdRange")) {
      r->RequireKnownKeys({"min", "max"}, kVendor);
      if (auto lo = r->Optional("min")) b.min = lo->Number();
      if (auto hi = r->Optional("max")) b.max = hi->Number();
      *from = *r;
      if (m.Has("threshold")) ctx_.NoEffect(m.Required("threshold"), "thresholdRange wins");
    } else if (auto t = m.Optional("threshold")) {
      if (legacy_is_min)
        b.min = t->Number();
      else
        b.max = t->Number();
      *from = *t;
    } else {
      m.Fail(m.path() + ": expected thresholdRange (or threshold)");
    }
    return b;
  }

  void Metric(const SpecField& m, std::vector<FlaggerCheck>& checks,
              std::vector<std::pair<SimTime, SpecField>>& windows) {
    m.RequireKnownKeys({"name", "interval", "threshold", "thresholdRange", "query", "templateRef",
                        "templateVariables"},
                       kVendor);
    const std::string name = m.Required("name").String();
    SimTime window = SimTime::Minutes(1);  // Flagger's default metric interval
    std::optional<SpecField> window_f = m.Optional("interval");
    if (window_f) {
      std::optional<SimTime> t = ParseGoDuration(window_f->String());
      if (!t || *t <= SimTime::Zero()) window_f->Fail(window_f->path() + ": expected a duration");
      window = *t;
    }
    if (auto v = m.Optional("templateVariables"))
      ctx_.NoEffect(*v, "values filled into the template's query");
    SpecField from = m;
    FlaggerCheck c{"", std::nullopt, std::nullopt, m, ""};
    if (name == "request-success-rate" && !m.Has("templateRef") && !m.Has("query")) {
      // Percent of non-5xx responses: min 99 means an error rate of at most 1%.
      const ValueBound b = Range(m, true, &from);
      MetricMapping pct;
      pct.quantity = Quantity::kSuccessRate;
      pct.scale = 0.01;
      const NativeThreshold t = ToNative(pct, b);
      c = FlaggerCheck{t.metric, t.min, t.max, from,
                       "builtin request-success-rate (% of non-5xx): error rate = 1 - value/100"};
    } else if (name == "request-duration" && !m.Has("templateRef") && !m.Has("query")) {
      const ValueBound b = Range(m, false, &from);
      c = FlaggerCheck{"latency_p99", b.min, b.max, from,
                       "builtin request-duration: the P99 latency in ms"};
    } else {
      std::string query;
      std::string tname;
      if (auto q = m.Optional("query")) query = q->String();
      if (auto ref = m.Optional("templateRef")) {
        ref->RequireKnownKeys({"name", "namespace"}, kVendor);
        tname = ref->Required("name").String();
        const SpecDocument* t = nullptr;
        for (const SpecDocument* d : templates_) {
          const YAML::Node n = d->root.node["metadata"]["name"];
          if (n && n.IsScalar() && n.Scalar() == tname) t = d;
        }
        if (!t) {
          ref->Required("name").Fail("MetricTemplate '" + tname +
                                     "' is not in the given files; give the file that defines "
                                     "it, or leave the metric out with --ignore-metric " +
                                     name);
        }
        const SpecField tspec =
            SpecField(t->root, "MetricTemplate(" + tname + ")").Required("spec");
        if (auto q = tspec.Optional("query")) query = q->String();
        if (auto p = tspec.Optional("provider"))
          ctx_.NoEffect(*p, "the metrics provider; the query is replaced by the canary's signal");
      }
      const MetricMapping* map = ctx_.options().metrics.Find(name, query);
      if (!map && !tname.empty()) map = ctx_.options().metrics.Find(tname, query);
      if (!map) {
        m.Required("name").Fail(
            "Flagger metric '" + name + "'" +
            (tname.empty() ? "" : " (MetricTemplate " + tname + ")") +
            " has no meaning in the simulation yet: say what its query measures with --metric " +
            name +
            "=error_rate (or success_rate, latency_p99, status_2xx; a --metrics FILE entry), or "
            "leave it out with --ignore-metric " +
            name);
      }
      if (map->ignore) {
        ctx_.NotSimulated(m, "metric '" + name + "' left out (" + map->origin + ")");
        return;
      }
      // A custom metric fails when its value is outside thresholdRange; the legacy threshold
      // is a maximum.
      const ValueBound b = Range(m, false, &from);
      const NativeThreshold t = ToNative(*map, b);
      c = FlaggerCheck{t.metric, t.min, t.max, from,
                       "metric '" + name + "' measures " + map->Describe()};
    }
    if (!c.min && !c.max) {
      ctx_.NotSimulated(from, "metric '" + name + "': the range excludes no value");
      return;
    }
    checks.push_back(c);
    windows.emplace_back(window, window_f ? *window_f : m);
  }

  void Webhooks(const SpecField& a) {
    auto list = a.Optional("webhooks");
    if (!list) return;
    for (const SpecField& w : list->Items()) {
      w.RequireKnownKeys(
          {"type", "name", "url", "muteAlert", "timeout", "metadata", "retries", "disableTLS"},
          kVendor);
      const std::string type = w.Has("type") ? w.Required("type").String() : "rollout";
      const std::string name = w.Has("name") ? w.Required("name").String() : "";
      const std::string label = "webhook '" + name + "' (" + type + ")";
      if (type == "rollout" || type == "pre-rollout") {
        ctx_.NotSimulated(w,
                          label + " calls an external test (" +
                              (type == "rollout" ? "before each analysis" : "before any traffic") +
                              "); taken as passing, and its load-test traffic is not "
                              "simulated");
      } else if (type == "confirm-rollout" || type == "confirm-traffic-increase" ||
                 type == "confirm-promotion") {
        ctx_.NotSimulated(w, label + " is a gate an external system opens; taken as open at once");
      } else if (type == "rollback") {
        ctx_.NotSimulated(w, label + " lets an external system request a rollback");
      } else if (type == "post-rollout" || type == "event") {
        ctx_.NoEffect(w, label + " is called after the fact");
      } else {
        w.Required("type").Fail("unknown Flagger webhook type '" + type + "'");
      }
    }
  }

  const SpecField root_;
  const std::vector<const SpecDocument*>& templates_;
  ImportContext& ctx_;
  SimTime interval_ = SimTime::Seconds(60);
  std::optional<SpecField> analysis_interval_;
};

}  // namespace

std::string ImportFlaggerCanary(const SpecDocument& canary,
                                const std::vector<const SpecDocument*>& templates,
                                ImportContext& ctx) {
  const SpecField root(canary.root, "");
  return CanaryImport(root, templates, ctx).Run();
}

}  // namespace fleetsim::import
