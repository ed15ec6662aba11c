// Golden tests of Wald's Bernoulli SPRT (policies/health/sprt.h):
//   * closed forms: A = ln((1-beta)/alpha), B = ln(beta/(1-alpha)), ln(p1/p0) per error and
//     ln((1-p1)/(1-p0)) per success, for p0 = 0.01, p1 = 0.05, alpha = 0.05, beta = 0.1:
//     A = ln 18 = 2.890372, B = ln(0.1/0.95) = -2.251292, e = ln 5 = 1.609438,
//     s = ln(0.95/0.99) = -0.041243 (hand values to 6 decimals);
//   * the acceptance line at zero errors: accept iff n·s <= B, i.e. n >= B/s = 54.586, so 54
//     clean requests continue and 55 accept;
//   * a hand-computed sequence of cumulative checkpoints (0/20, 1/40, 2/60, 4/80) with
//     LLR = -0.824859, 0.000963, 0.826784, 3.303287: the fourth crosses A and rejects H0;
//   * Monte Carlo (p0 = 0.01, p1 = 0.02, alpha = 0.05, beta = 0.2, checkpoints every 100
//     requests with Binomial(100, p) errors drawn by boost::random from a fixed-seed
//     RandomStream). Tolerance derivation: on the rejection event the likelihood ratio is
//     >= e^A, so P0(reject) = E1[LR^-1; reject] <= e^-A·P1(reject) <= alpha/(1-beta) = 0.0625,
//     for checkpointed (overshooting) and truncated runs alike; symmetrically
//     P1(accept) <= e^B·P0(accept) <= beta/(1-alpha) = 0.2105, so the power is at least
//     1 - beta/(1-alpha) = 0.7895 (the "roughly 1 - beta = 0.8" of the brief, loosened by
//     beta·alpha/(1-alpha)) when every run decides within the horizon. The empirical rates
//     must be consistent with these bounds: the 99.9% Wilson interval's lower end at most the
//     false-alarm bound, its upper end at least the power bound.
// The two-sample rate-ratio variant gets the same treatment: hand-derived per-error weights
// (ln(4/3), ln(2/3) for an even split) and a Monte Carlo check of the same bounds.
#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/random/binomial_distribution.hpp>
#include <catch2/catch.hpp>

#include "analysis/statistics.h"
#include "policies/health/sprt.h"
#include "sim/random_stream.h"

namespace fleetsim {
namespace {

SprtParams HandParams() {
  SprtParams p;
  p.p0 = 0.01;
  p.p1 = 0.05;
  p.alpha = 0.05;
  p.beta = 0.1;
  return p;
}

TEST_CASE("sprt: closed-form thresholds and per-observation log-likelihood ratios") {
  const BernoulliSprt t(HandParams());
  CHECK(t.upper() == Approx(2.890372).margin(1e-6));
  CHECK(t.lower() == Approx(-2.251292).margin(1e-6));
  CHECK(t.llr_per_error() == Approx(1.609438).margin(1e-6));
  CHECK(t.llr_per_success() == Approx(-0.041243).margin(1e-6));
  CHECK(t.LogLikelihoodRatio(3, 10) ==
        Approx(3 * t.llr_per_error() + 7 * t.llr_per_success()).epsilon(1e-15));
  CHECK(t.LogLikelihoodRatio(0, 0) == 0);
  CHECK(t.Decide(0, 0) == SprtDecision::kContinue);
}

TEST_CASE("sprt: decision boundaries in error counts") {
  const BernoulliSprt t(HandParams());
  CHECK(t.AcceptLine(54) < 0);  // accept iff 0 errors <= AcceptLine(n)
  CHECK(t.AcceptLine(55) > 0);
  CHECK(t.Decide(0, 54) == SprtDecision::kContinue);
  CHECK(t.Decide(0, 55) == SprtDecision::kAcceptH0);
  // RejectLine(0) = A/(e - s) = 1.751: two errors in two requests reject, one does not.
  CHECK(t.RejectLine(0) == Approx(1.751018).margin(1e-6));
  CHECK(t.Decide(1, 1) == SprtDecision::kContinue);
  CHECK(t.Decide(2, 2) == SprtDecision::kRejectH0);
  // The lines bracket the decisions for every count at n = 500.
  for (int64_t k = 0; k <= 40; ++k) {
    const SprtDecision d = t.Decide(k, 500);
    INFO("k = " << k);
    if (k >= t.RejectLine(500)) {
      CHECK(d == SprtDecision::kRejectH0);
    } else if (k <= t.AcceptLine(500)) {
      CHECK(d == SprtDecision::kAcceptH0);
    } else {
      CHECK(d == SprtDecision::kContinue);
    }
  }
  // Slope of both lines: -s/(e - s), strictly between p0 and p1.
  const double slope = t.RejectLine(1001) - t.RejectLine(1);
  CHECK(slope / 1000 > 0.01);
  CHECK(slope / 1000 < 0.05);
}

TEST_CASE("sprt: hand-computed sequence rejects at the fourth checkpoint") {
  const BernoulliSprt t(HandParams());
  const std::vector<SprtCheckpoint> seq = {{0, 20}, {1, 40}, {2, 60}, {4, 80}, {4, 2000}};
  const std::vector<double> llr = {-0.824859, 0.000963, 0.826784, 3.303287};
  for (size_t i = 0; i < llr.size(); ++i) {
    CHECK(t.LogLikelihoodRatio(seq[i].errors, seq[i].requests) == Approx(llr[i]).margin(1e-6));
  }
  const SprtOutcome out = RunSprt(t, seq);
  CHECK(out.decision == SprtDecision::kRejectH0);
  CHECK(out.index == 3);  // the later accept-level checkpoint is never reached
  const std::vector<SprtCheckpoint> first3(seq.begin(), seq.begin() + 3);
  const SprtOutcome open = RunSprt(t, first3);
  CHECK(open.decision == SprtDecision::kContinue);
  CHECK(open.index == 3);
  CHECK(RunSprt(t, {{0, 30}, {0, 60}}).decision == SprtDecision::kAcceptH0);
}

TEST_CASE("sprt: parameter validation") {
  SprtParams p;
  CHECK(BernoulliSprt::Valid(p));
  p.p1 = p.p0;
  CHECK_FALSE(BernoulliSprt::Valid(p));
  p = SprtParams{};
  p.alpha = 0.6;
  p.beta = 0.5;
  CHECK_FALSE(BernoulliSprt::Valid(p));
}

struct MonteCarlo {
  int64_t rejected = 0, accepted = 0, undecided = 0;
};

MonteCarlo Simulate(const BernoulliSprt& t, double p, uint64_t entity_base, int runs) {
  constexpr int64_t kWindow = 100;
  constexpr int kHorizon = 2000;  // checkpoints; the expected run length is about 5
  MonteCarlo mc;
  for (int run = 0; run < runs; ++run) {
    RandomStream rng(StreamKey{77, 0, StreamPurpose::kTest, entity_base + run});
    boost::random::binomial_distribution<int64_t> errors(kWindow, p);
    int64_t k = 0, n = 0;
    SprtDecision d = SprtDecision::kContinue;
    for (int w = 0; w < kHorizon && d == SprtDecision::kContinue; ++w) {
      k += errors(rng);
      n += kWindow;
      d = t.Decide(k, n);
    }
    if (d == SprtDecision::kRejectH0) ++mc.rejected;
    if (d == SprtDecision::kAcceptH0) ++mc.accepted;
    if (d == SprtDecision::kContinue) ++mc.undecided;
  }
  return mc;
}

TEST_CASE("sprt: Monte Carlo error rates respect Wald's bounds") {
  SprtParams params;  // p0 0.01, p1 0.02, alpha 0.05, beta 0.2
  const BernoulliSprt t(params);
  constexpr int kRuns = 20'000;
  const double false_alarm_bound = params.alpha / (1 - params.beta);  // 0.0625
  const double power_bound = 1 - params.beta / (1 - params.alpha);    // 0.7895

  const MonteCarlo h0 = Simulate(t, params.p0, 0, kRuns);
  CHECK(h0.undecided == 0);
  const Interval fa = WilsonInterval(h0.rejected, kRuns, 0.999);
  INFO("false alarms " << h0.rejected << " of " << kRuns);
  CHECK(fa.lo <= false_alarm_bound);
  CHECK(h0.rejected > 0);  // the bound is not met vacuously

  const MonteCarlo h1 = Simulate(t, params.p1, 1'000'000, kRuns);
  CHECK(h1.undecided == 0);
  const Interval power = WilsonInterval(h1.rejected, kRuns, 0.999);
  INFO("detections " << h1.rejected << " of " << kRuns);
  CHECK(power.hi >= power_bound);
}

TEST_CASE("sprt: rate-ratio variant per-error weights in closed form") {
  RateRatioSprtParams p;  // ratio 1 against 2
  const RateRatioSprt t(p);
  CHECK(t.upper() == Approx(std::log(0.8 / 0.05)).epsilon(1e-15));
  CHECK(t.lower() == Approx(std::log(0.2 / 0.95)).epsilon(1e-15));
  // Equal split: pi0 = 1/2, pi1 = 2/3, so a canary error adds ln(4/3), a control one ln(2/3).
  CHECK(t.WindowLlr(1, 500, 0, 500) == Approx(0.287682).margin(1e-6));
  CHECK(t.WindowLlr(0, 500, 1, 500) == Approx(-0.405465).margin(1e-6));
  // 10% canary split: pi0 = 0.1, pi1 = 200/1100: ln(2/1.1) and ln((900/1100)/0.9) = ln(1/1.1).
  CHECK(t.WindowLlr(3, 100, 5, 900) == Approx(3 * 0.597837 + 5 * -0.0953102).margin(1e-5));
  CHECK(t.WindowLlr(3, 100, 5, 0) == 0);  // no control traffic: no information
  CHECK(t.Decide(t.upper()) == SprtDecision::kRejectH0);
  CHECK(t.Decide(t.lower()) == SprtDecision::kAcceptH0);
  CHECK(t.Decide(0) == SprtDecision::kContinue);
  CHECK_FALSE(RateRatioSprt::Valid(RateRatioSprtParams{2.0, 1.0, 0.05, 0.2}));
}

MonteCarlo SimulateRatio(const RateRatioSprt& t, double p_canary, double p_control,
                         uint64_t entity_base, int runs) {
  constexpr int64_t kCanary = 200, kControl = 1800;  // a 10% canary
  constexpr int kHorizon = 2000;
  MonteCarlo mc;
  for (int run = 0; run < runs; ++run) {
    RandomStream rng(StreamKey{78, 0, StreamPurpose::kTest, entity_base + run});
    boost::random::binomial_distribution<int64_t> canary(kCanary, p_canary);
    boost::random::binomial_distribution<int64_t> control(kControl, p_control);
    double llr = 0;
    SprtDecision d = SprtDecision::kContinue;
    for (int w = 0; w < kHorizon && d == SprtDecision::kContinue; ++w) {
      const int64_t kc = canary(rng);
      const int64_t kb = control(rng);
      llr += t.WindowLlr(kc, kCanary, kb, kControl);
      d = t.Decide(llr);
    }
    if (d == SprtDecision::kRejectH0) ++mc.rejected;
    if (d == SprtDecision::kAcceptH0) ++mc.accepted;
    if (d == SprtDecision::kContinue) ++mc.undecided;
  }
  return mc;
}

// Same bounds as the one-sample test (Wald's inequalities hold for the conditional likelihood
// ratio); Binomial rather than Poisson errors at p = 1-2% only perturb them slightly.
TEST_CASE("sprt: rate-ratio variant Monte Carlo error rates respect Wald's bounds") {
  const RateRatioSprtParams params;  // ratio 1 vs 2, alpha 0.05, beta 0.2
  const RateRatioSprt t(params);
  constexpr int kRuns = 10'000;
  const MonteCarlo h0 = SimulateRatio(t, 0.01, 0.01, 0, kRuns);
  CHECK(h0.undecided == 0);
  INFO("false alarms " << h0.rejected << " of " << kRuns);
  CHECK(WilsonInterval(h0.rejected, kRuns, 0.999).lo <= params.alpha / (1 - params.beta));
  const MonteCarlo h1 = SimulateRatio(t, 0.02, 0.01, 1'000'000, kRuns);
  CHECK(h1.undecided == 0);
  INFO("detections " << h1.rejected << " of " << kRuns);
  CHECK(WilsonInterval(h1.rejected, kRuns, 0.999).hi >= 1 - params.beta / (1 - params.alpha));
}

}  // namespace
}  // namespace fleetsim
