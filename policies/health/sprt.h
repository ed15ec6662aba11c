// Wald's sequential probability ratio test (SPRT) for a Bernoulli error rate, evaluated on
// cumulative (errors, requests) counts, as a sequential health judge would see them window by
// window.
//
// Hypotheses: H0: p = p0 (healthy) against H1: p = p1 > p0 (bad change). After k errors in n
// requests the log-likelihood ratio is
//   LLR(k, n) = k·ln(p1/p0) + (n - k)·ln((1 - p1)/(1 - p0)),
// each error adding llr_per_error() > 0 and each success llr_per_success() < 0. With Wald's
// thresholds A = ln((1 - beta)/alpha) and B = ln(beta/(1 - alpha)):
//   LLR >= A: reject H0 (the change fails);  LLR <= B: accept H0;  otherwise continue.
// Equivalently, in error counts: reject iff k >= RejectLine(n) = (A - n·s)/(e - s) and accept
// iff k <= AcceptLine(n) = (B - n·s)/(e - s), with e = ln(p1/p0), s = ln((1-p1)/(1-p0)).
//
// Error guarantees (Wald 1945): whenever the test rejects only at LLR >= A and accepts only at
// LLR <= B — in particular when it is evaluated only at checkpoints (several requests per
// window, so the LLR overshoots the thresholds) or truncated — the realized error rates obey
//   P(reject | H0) <= alpha/(1 - beta)   and   P(accept | H1) <= beta/(1 - alpha),
// because on the rejection event the likelihood ratio is at least e^A (and symmetrically).
// alpha and beta themselves are the design targets, approximately met.
//
// Two-sample variant (RateRatioSprt): canary against control in the same windows. Treating
// errors as rare (Poisson), given a window's total errors K = k_c + k_b the canary's share is
// Binomial(K, pi(r)) with pi(r) = r·n_c/(r·n_c + n_b), r = canary rate / control rate. The test
// of H0: r = ratio0 against H1: r = ratio1 > ratio0 sums, over windows, the conditional LLR
//   k_c·ln(pi1/pi0) + k_b·ln((1 - pi1)/(1 - pi0)),
// and compares the sum with the same A and B. It needs no baseline error rate (the control
// absorbs diurnal drift) and the request split may change between windows. Wald's bounds hold
// exactly under the Poisson model and approximately for Binomial errors with small rates.
//
// Contract: immutable after construction, thread-safe, deterministic. Requires
// 0 < p0 < p1 < 1, alpha > 0, beta > 0, alpha + beta < 1 (asserted; Valid() checks without
// asserting), and 0 <= errors <= requests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleetsim {

struct SprtParams {
  double p0 = 0.01;     // acceptable error rate (H0)
  double p1 = 0.02;     // error rate to detect (H1), > p0
  double alpha = 0.05;  // target false-alarm probability (reject H0 when it is true)
  double beta = 0.2;    // target miss probability (accept H0 when H1 is true)
};

enum class SprtDecision : uint8_t { kContinue, kAcceptH0, kRejectH0 };

const char* SprtDecisionName(SprtDecision d);

class BernoulliSprt {
 public:
  explicit BernoulliSprt(const SprtParams& params);

  static bool Valid(const SprtParams& params);

  const SprtParams& params() const { return params_; }
  double upper() const { return upper_; }                  // A = ln((1 - beta)/alpha) > 0
  double lower() const { return lower_; }                  // B = ln(beta/(1 - alpha)) < 0
  double llr_per_error() const { return per_error_; }      // ln(p1/p0)
  double llr_per_success() const { return per_success_; }  // ln((1 - p1)/(1 - p0))

  double LogLikelihoodRatio(int64_t errors, int64_t requests) const;
  // The decision for cumulative counts (not sticky; see RunSprt).
  SprtDecision Decide(int64_t errors, int64_t requests) const;
  // Error counts at which, after `requests` requests, the test rejects (k >= RejectLine) or
  // accepts (k <= AcceptLine). Real-valued lines of slope -s/(e - s), in (0, 1).
  double RejectLine(int64_t requests) const;
  double AcceptLine(int64_t requests) const;

 private:
  SprtParams params_;
  double upper_, lower_, per_error_, per_success_;
};

struct RateRatioSprtParams {
  double ratio0 = 1.0;  // canary/control error-rate ratio under H0 (> 0)
  double ratio1 = 2.0;  // ratio to detect under H1 (> ratio0)
  double alpha = 0.05;
  double beta = 0.2;
};

class RateRatioSprt {
 public:
  explicit RateRatioSprt(const RateRatioSprtParams& params);

  static bool Valid(const RateRatioSprtParams& params);

  double upper() const { return upper_; }  // A
  double lower() const { return lower_; }  // B
  // The conditional LLR of one window; 0 when either side served no request.
  double WindowLlr(int64_t canary_errors, int64_t canary_requests, int64_t control_errors,
                   int64_t control_requests) const;
  // The decision for a cumulative LLR (the sum of WindowLlr over the windows so far).
  SprtDecision Decide(double cumulative_llr) const;

 private:
  RateRatioSprtParams params_;
  double upper_, lower_;
};

// Cumulative counts at one evaluation (both non-decreasing over a run).
struct SprtCheckpoint {
  int64_t errors = 0;
  int64_t requests = 0;
};

struct SprtOutcome {
  SprtDecision decision = SprtDecision::kContinue;
  size_t index = 0;  // checkpoint that decided; checkpoints.size() when still continuing
};

// Runs the test over successive cumulative checkpoints and stops at the first decision.
SprtOutcome RunSprt(const BernoulliSprt& sprt, const std::vector<SprtCheckpoint>& checkpoints);

}  // namespace fleetsim
