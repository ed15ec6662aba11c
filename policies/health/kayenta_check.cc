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
  KayentaCheck(std::vector<KayentaMetricSpec> metrics, std::map<std::string, double> weights,
               KayentaThresholds thresholds, bool growing)
      : metrics_(std::move(metrics)),
        weights_(std::move(weights)),
        thresholds_(thresholds),
        growing_(growing) {}
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

}  // namespace

void RegisterKayentaCheck(HealthCheckRegistry& registry) {
  registry.Register(
      KindDoc{"kayenta",
              "Kayenta canary analysis: Mann-Whitney per metric on per-minute canary vs control "
              "series, "
              "weighted group score, pass/marginal thresholds.",
              {{"metrics",
                "list of {metric, group, direction, critical, must_have_data, allowed_increase, "
                "allowed_decrease}",
                "required",
                "direction increase | decrease | either (default either); allowed_* are meanRatio "
                "effect sizes "
                "(default 1.0)"},
               {"weights", "{group: weight}", "equal",
                "group weights summing to at most 100; the rest share the remainder"},
               {"pass", "score", "95", "score at or above which the judgement passes"},
               {"marginal", "score", "75",
                "below it the judgement fails; between is inconclusive (marginal)"},
               {"lookback", "growing | interval", "growing",
                "judge every minute since the start, or the window only"}},
              "{kind: kayenta, metrics: [{metric: error_rate, group: errors, direction: increase, "
              "critical: true}, "
              "{metric: latency_p99, group: latency, direction: increase}], weights: {errors: 60, "
              "latency: 40}}"},
      [](YamlMap& m) -> std::unique_ptr<HealthCheck> {
        std::vector<KayentaMetricSpec> metrics;
        ConfigNode list = m.Required("metrics");
        for (const ConfigNode& node : list.AsSequence("kayenta.metrics")) {
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
          s.config.critical = spec.Bool("critical", false);
          s.config.must_have_data = spec.Bool("must_have_data", false);
          if (spec.Has("allowed_increase"))
            s.config.allowed_increase = spec.DoubleIn("allowed_increase", 1, 0, 1e6);
          if (spec.Has("allowed_decrease"))
            s.config.allowed_decrease = spec.DoubleIn("allowed_decrease", 1, 0, 1e6);
          spec.Finish();
          metrics.push_back(s);
        }
        if (metrics.empty()) list.Fail("kayenta.metrics: expected at least one metric");
        std::map<std::string, double> weights;
        if (auto w = m.Optional("weights")) {
          YamlMap wm(*w, "kayenta.weights");
          double total = 0;
          for (const auto& entry : w->node) {
            const std::string group = entry.first.Scalar();
            weights[group] = wm.DoubleIn(group, 0, 0, 100);
            total += weights[group];
          }
          if (total > 100 + 1e-9)
            w->Fail("kayenta.weights: expected weights summing to at most 100");
          wm.Finish();
        }
        KayentaThresholds t;
        t.pass = m.DoubleIn("pass", t.pass, 0, 100);
        t.marginal = m.DoubleIn("marginal", t.marginal, 0, t.pass);
        const std::string lookback = m.String("lookback", "growing");
        if (lookback != "growing" && lookback != "interval") {
          m.Required("lookback")
              .Fail("kayenta.lookback: expected growing or interval, got '" + lookback + "'");
        }
        return std::make_unique<KayentaCheck>(std::move(metrics), std::move(weights), t,
                                              lookback == "growing");
      });
}

}  // namespace fleetsim
