// kayenta: Spinnaker/Kayenta canary analysis (NetflixACAJudge) as a health check. Each listed
// metric's per-minute canary series is compared with the control group's series by a
// Mann–Whitney test (confidence 0.98, tolerance 0.25, effect size; kayenta_judge.h), metrics
// are scored by group weights (critical failure -> 0, >= 50% no data -> 0), and the score maps
// to a verdict: >= pass -> pass, >= marginal -> inconclusive (Kayenta's "marginal"; count it as a
// failure or a pause with on_inconclusive), below marginal -> fail (Kayenta fails early).
// `lookback: growing` (Kayenta's default lookbackMins 0) judges every minute since the rollout
// began; `lookback: interval` only the current window.
#include <cmath>
#include <map>
#include <sstream>

#include "policies/health/health_registry.h"
#include "policies/health/kayenta_judge.h"

namespace fleetsim {
namespace {

struct KayentaMetricSpec {
  HealthMetric metric = HealthMetric::kErrorRate;
  std::string group;
  KayentaMetricConfig config;
};

class KayentaCheck : public HealthCheck {
 public:
  struct Params {
    std::vector<KayentaMetricSpec> metrics;
    std::map<std::string, double> weights;  // empty: equal
    double pass = KayentaThresholds{}.pass;
    double marginal = KayentaThresholds{}.marginal;
    bool growing = true;  // lookback: growing (every minute since the start) or interval
  };
  explicit KayentaCheck(Params p)
      : metrics_(std::move(p.metrics)),
        weights_(std::move(p.weights)),
        thresholds_{p.pass, p.marginal},
        growing_(p.growing) {}
  std::string_view Kind() const override { return "kayenta"; }
  bool ReadsSeries() const override { return true; }

  Verdict Evaluate(const HealthObservation& o) const override {
    std::vector<KayentaScoredMetric> scored;
    std::ostringstream detail;
    for (const KayentaMetricSpec& m : metrics_) {
      const bool errors = m.metric == HealthMetric::kErrorRate;
      const KayentaMetricResult r = ClassifyMetric(
          Points(errors ? o.canary_error_series : o.canary_latency_series, o),
          Points(errors ? o.control_error_series : o.control_latency_series, o), m.config);
      scored.push_back(KayentaScoredMetric{r.label, r.critical, false, {m.group}});
      detail << (detail.tellp() > 0 ? ", " : "") << HealthMetricName(m.metric) << " "
             << KayentaMetricClassName(r.label);
    }
    const KayentaScore score = ScoreMetrics(scored, weights_);
    std::ostringstream why;
    why << "kayenta: score " << score.score << " (" << detail.str() << ")";
    if (!score.reason.empty()) why << "; " << score.reason;
    switch (ClassifyScore(score.score, thresholds_)) {
      case KayentaScoreClass::kPass:
        return Verdict{};
      case KayentaScoreClass::kMarginal:
        return Verdict{VerdictKind::kInconclusive, why.str() + ", marginal"};
      case KayentaScoreClass::kFail:
        return Verdict{VerdictKind::kFail, why.str()};
    }
    return Verdict{};
  }

 private:
  std::vector<double> Points(std::span<const double> series, const HealthObservation& o) const {
    const size_t n = growing_ ? series.size() : std::min(series.size(), o.window_ticks);
    std::vector<double> out;
    for (size_t i = series.size() - n; i < series.size(); ++i) {
      if (!std::isnan(series[i])) out.push_back(series[i]);
    }
    return out;
  }

  std::vector<KayentaMetricSpec> metrics_;
  std::map<std::string, double> weights_;
  KayentaThresholds thresholds_;
  bool growing_;
};

KayentaMetricSpec ReadMetricSpec(const ConfigNode& node) {
  YamlMap spec(node, "kayenta.metrics[]");
  KayentaMetricSpec s;
  s.metric = ReadMetric(spec);
  s.group = spec.String("group", HealthMetricName(s.metric));
  const std::string direction = spec.String("direction", "either");
  if (direction == "increase")
    s.config.direction = KayentaDirection::kIncrease;
  else if (direction == "decrease")
    s.config.direction = KayentaDirection::kDecrease;
  else if (direction != "either")
    spec.Required("direction").Fail("direction: expected increase, decrease or either");
  s.config.critical = spec.Bool("critical", s.config.critical);
  s.config.must_have_data = spec.Bool("must_have_data", s.config.must_have_data);
  if (spec.Has("allowed_increase"))
    s.config.allowed_increase = spec.DoubleIn("allowed_increase", 1, 0, 1e6);
  if (spec.Has("allowed_decrease"))
    s.config.allowed_decrease = spec.DoubleIn("allowed_decrease", 1, 0, 1e6);
  spec.Finish();
  return s;
}

KayentaCheck::Params ReadKayenta(YamlMap& m) {
  KayentaCheck::Params p;
  ConfigNode list = m.Required("metrics");
  for (const ConfigNode& node : list.AsSequence("kayenta.metrics"))
    p.metrics.push_back(ReadMetricSpec(node));
  if (p.metrics.empty()) list.Fail("kayenta.metrics: expected at least one metric");
  if (auto w = m.Optional("weights")) {
    YamlMap wm(*w, "kayenta.weights");
    double total = 0;
    std::string groups;  // of the metrics, quoted: a weight for another group is a typo
    for (const KayentaMetricSpec& spec : p.metrics) {
      if (groups.find("'" + spec.group + "'") == std::string::npos)
        groups += (groups.empty() ? "'" : ", '") + spec.group + "'";
    }
    for (const auto& entry : w->node) {
      const std::string group = entry.first.Scalar();
      if (groups.find("'" + group + "'") == std::string::npos) {
        ConfigNode{entry.first, w->file}.Fail(
            "unknown key '" + group +
            "' in kayenta.weights: no metric is in that group; expected one of: " + groups);
      }
      p.weights[group] = wm.DoubleIn(group, 0, 0, 100);
      total += p.weights[group];
    }
    if (total > 100 + 1e-9) w->Fail("kayenta.weights: expected weights summing to at most 100");
    wm.Finish();
  }
  p.pass = m.DoubleIn("pass", p.pass, 0, 100);
  p.marginal = m.DoubleIn("marginal", p.marginal, 0, p.pass);
  const std::string lookback = m.String("lookback", p.growing ? "growing" : "interval");
  if (lookback != "growing" && lookback != "interval") {
    m.Required("lookback")
        .Fail("kayenta.lookback: expected growing or interval, got '" + lookback + "'");
  }
  p.growing = lookback == "growing";
  return p;
}

KindDef<HealthCheck, KayentaCheck::Params> KayentaKind() {
  using P = KayentaCheck::Params;
  return {
      .summary =
          "Kayenta canary analysis: Mann-Whitney per metric on per-minute canary vs "
          "control series, weighted group score, pass/marginal thresholds.",
      .params = {RequiredParam("metrics",
                               "list of {metric, group, direction, critical, must_have_data, "
                               "allowed_increase, allowed_decrease}",
                               "direction increase | decrease | either (default either); "
                               "allowed_* are meanRatio effect sizes (default 1.0)"),
                 OptionalParam("weights", "{group: weight}", "equal",
                               "group weights summing to at most 100; the rest share the "
                               "remainder"),
                 Param("pass", "score", &P::pass, "score at or above which the judgement passes"),
                 Param("marginal", "score", &P::marginal,
                       "below it the judgement fails; between is inconclusive (marginal)"),
                 Param("lookback", "growing | interval", &P::growing,
                       "judge every minute since the start, or the window only",
                       [](bool growing) { return std::string(growing ? "growing" : "interval"); })},
      .example =
          "{kind: kayenta, metrics: [{metric: error_rate, group: errors, direction: "
          "increase, critical: true}, {metric: latency_p99, group: latency, direction: "
          "increase}], weights: {errors: 60, latency: 40}}",
      .read = ReadKayenta,
      .make = New<KayentaCheck>{}};
}

}  // namespace

FLEETSIM_REGISTER_HEALTH_CHECK_KIND(kayenta, KayentaKind);

}  // namespace fleetsim
