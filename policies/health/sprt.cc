// Wald's SPRT for a Bernoulli error rate and its two-sample rate-ratio variant. See sprt.h.
#include "policies/health/sprt.h"

#include <cassert>
#include <cmath>

namespace fleetsim {

const char* SprtDecisionName(SprtDecision d) {
  switch (d) {
    case SprtDecision::kContinue:
      return "continue";
    case SprtDecision::kAcceptH0:
      return "accept_h0";
    case SprtDecision::kRejectH0:
      return "reject_h0";
  }
  return "?";
}

bool BernoulliSprt::Valid(const SprtParams& p) {
  return p.p0 > 0 && p.p0 < p.p1 && p.p1 < 1 && p.alpha > 0 && p.beta > 0 && p.alpha + p.beta < 1;
}

BernoulliSprt::BernoulliSprt(const SprtParams& params) : params_(params) {
  assert(Valid(params));
  upper_ = std::log((1 - params.beta) / params.alpha);
  lower_ = std::log(params.beta / (1 - params.alpha));
  per_error_ = std::log(params.p1) - std::log(params.p0);
  per_success_ = std::log1p(-params.p1) - std::log1p(-params.p0);
}

double BernoulliSprt::LogLikelihoodRatio(int64_t errors, int64_t requests) const {
  assert(errors >= 0 && errors <= requests);
  return static_cast<double>(errors) * per_error_ +
         static_cast<double>(requests - errors) * per_success_;
}

SprtDecision BernoulliSprt::Decide(int64_t errors, int64_t requests) const {
  const double llr = LogLikelihoodRatio(errors, requests);
  if (llr >= upper_) return SprtDecision::kRejectH0;
  if (llr <= lower_) return SprtDecision::kAcceptH0;
  return SprtDecision::kContinue;
}

double BernoulliSprt::RejectLine(int64_t requests) const {
  return (upper_ - static_cast<double>(requests) * per_success_) / (per_error_ - per_success_);
}

double BernoulliSprt::AcceptLine(int64_t requests) const {
  return (lower_ - static_cast<double>(requests) * per_success_) / (per_error_ - per_success_);
}

bool RateRatioSprt::Valid(const RateRatioSprtParams& p) {
  return p.ratio0 > 0 && p.ratio0 < p.ratio1 && std::isfinite(p.ratio1) && p.alpha > 0 &&
         p.beta > 0 && p.alpha + p.beta < 1;
}

RateRatioSprt::RateRatioSprt(const RateRatioSprtParams& params) : params_(params) {
  assert(Valid(params));
  upper_ = std::log((1 - params.beta) / params.alpha);
  lower_ = std::log(params.beta / (1 - params.alpha));
}

double RateRatioSprt::WindowLlr(int64_t canary_errors, int64_t canary_requests,
                                int64_t control_errors, int64_t control_requests) const {
  assert(canary_errors >= 0 && canary_errors <= canary_requests);
  assert(control_errors >= 0 && control_errors <= control_requests);
  if (canary_requests == 0 || control_requests == 0) return 0;
  const double nc = static_cast<double>(canary_requests);
  const double nb = static_cast<double>(control_requests);
  // ln(pi1/pi0) and ln((1-pi1)/(1-pi0)) with pi(r) = r nc/(r nc + nb), 1 - pi(r) = nb/(r nc + nb).
  const double denom0 = std::log(params_.ratio0 * nc + nb);
  const double denom1 = std::log(params_.ratio1 * nc + nb);
  const double per_canary = std::log(params_.ratio1 / params_.ratio0) - denom1 + denom0;
  const double per_control = denom0 - denom1;
  return static_cast<double>(canary_errors) * per_canary +
         static_cast<double>(control_errors) * per_control;
}

SprtDecision RateRatioSprt::Decide(double cumulative_llr) const {
  if (cumulative_llr >= upper_) return SprtDecision::kRejectH0;
  if (cumulative_llr <= lower_) return SprtDecision::kAcceptH0;
  return SprtDecision::kContinue;
}

SprtOutcome RunSprt(const BernoulliSprt& sprt, const std::vector<SprtCheckpoint>& checkpoints) {
  for (size_t i = 0; i < checkpoints.size(); ++i) {
    const SprtDecision d = sprt.Decide(checkpoints[i].errors, checkpoints[i].requests);
    if (d != SprtDecision::kContinue) return {d, i};
  }
  return {SprtDecision::kContinue, checkpoints.size()};
}

}  // namespace fleetsim
