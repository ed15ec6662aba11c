// sprt: Wald's sequential probability ratio test on the canary's error counts since the rollout
// began (a growing window): fail when H1 (error rate p1) is accepted over H0 (p0), pass when H0
// is accepted, inconclusive while the evidence is still between the two thresholds. The test
// and its error guarantees are in sprt.h; with checks every interval the realized false-alarm
// probability per rollout is at most alpha / (1 - beta).
#include <sstream>

#include "policies/health/health_registry.h"
#include "policies/health/sprt.h"

namespace fleetsim {
namespace {

class SprtCheck : public HealthCheck {
 public:
  explicit SprtCheck(const SprtParams& params) : sprt_(params) {}
  std::string_view Kind() const override { return "sprt"; }
  Verdict Evaluate(const HealthObservation& o) const override {
    const SignalWindow& w = o.canary_since_start;
    if (w.requests == 0) return Verdict{VerdictKind::kInconclusive, "no canary traffic", true};
    const SprtDecision d = sprt_.Decide(w.errors, w.requests);
    if (d == SprtDecision::kAcceptH0) return Verdict{};
    std::ostringstream why;
    why << "sprt: " << w.errors << " errors in " << w.requests << " requests, LLR "
        << sprt_.LogLikelihoodRatio(w.errors, w.requests) << " vs [" << sprt_.lower() << ", "
        << sprt_.upper() << "]";
    if (d == SprtDecision::kRejectH0) return Verdict{VerdictKind::kFail, why.str()};
    return Verdict{VerdictKind::kInconclusive, why.str()};
  }

 private:
  BernoulliSprt sprt_;
};

SprtParams ReadSprt(YamlMap& m) {
  if (ReadMetric(m) != HealthMetric::kErrorRate)
    m.Required("metric").Fail("sprt: expected metric: error_rate");
  SprtParams p;
  p.p0 = m.Fraction("p0", -1);
  if (!m.Has("p0")) m.Required("p0");
  p.p1 = m.Fraction("p1", -1);
  if (!m.Has("p1")) m.Required("p1");
  p.alpha = m.DoubleIn("alpha", p.alpha, 1e-9, 0.5);
  p.beta = m.DoubleIn("beta", p.beta, 1e-9, 0.5);
  if (!(p.p0 > 0 && p.p1 > p.p0 && p.p1 < 1))
    m.Required("p1").Fail("sprt: expected 0 < p0 < p1 < 1");
  return p;
}

KindDef<HealthCheck, SprtParams> SprtKind() {
  using P = SprtParams;
  return {
      .summary =
          "Sequential probability ratio test on the canary's error rate since the "
          "rollout began: fail on evidence for p1 over p0.",
      .params = {RequiredParam("metric", "error_rate", "only error_rate"),
                 RequiredParam("p0", "fraction", "acceptable error rate (H0)"),
                 RequiredParam("p1", "fraction", "error rate to detect (H1), above p0"),
                 Param("alpha", "fraction", &P::alpha, "target false-alarm probability"),
                 Param("beta", "fraction", &P::beta, "target miss probability")},
      .example = "{kind: sprt, metric: error_rate, p0: 0.002, p1: 0.004, alpha: 0.01, beta: 0.1}",
      .read = ReadSprt,
      .make = New<SprtCheck>{}};
}

}  // namespace

FLEETSIM_REGISTER_HEALTH_CHECK_KIND(sprt, SprtKind);

}  // namespace fleetsim
