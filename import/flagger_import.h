// Flagger `kind: Canary` import (pkg/apis/flagger/v1beta1/canary.go and pkg/controller/
// scheduler.go at fluxcd/flagger@15bd6ad; shared/reference/rollout-systems.md §A2).
//
// Flagger's control loop runs every analysis.interval (default 60 s, at least 10 s). Canary
// strategy: the canary weight grows by stepWeight (or along stepWeights) while the checks pass,
// up to maxWeight, then the canary is promoted; a failing check halts advancement for that
// interval and counts towards `threshold` (cumulative failed checks; default 1), and the
// interval after the threshold-th failure rolls back. Weights therefore follow Flagger's own
// arithmetic (a maxWeight that is not a multiple of stepWeight is overshot, as Flagger does).
// A/B testing (iterations + match) holds the canary at the share of requests the match selects
// (--match-share) for `iterations` intervals; blue/green (iterations, no match) keeps the canary
// without production traffic for `iterations` intervals, switches, judges one more interval and
// promotes. Builtin metrics: request-success-rate (thresholdRange.min in %, error rate <=
// 1 - min/100) and request-duration (thresholdRange.max in ms, p99 latency); custom metrics
// (templateRef to a MetricTemplate, or an inline query) go through the metrics table. A metric's
// interval is the window its query covers (health.lookback). Webhooks (load tests,
// confirmations, pre-rollout checks) cannot be simulated and are taken as passing.
//
// Throws ConfigError at file:line:col; writes ctx.policy().
#pragma once

#include <string>
#include <vector>

#include "import/import_context.h"
#include "import/spec_format.h"

namespace fleetsim::import {

// `templates` are the MetricTemplate documents of the import. Returns the policy name.
std::string ImportFlaggerCanary(const SpecDocument& canary,
                                const std::vector<const SpecDocument*>& templates,
                                ImportContext& ctx);

// The canary weights Flagger steps through before promotion (scheduler.go nextStepWeight and
// runCanary): from 0, +stepWeight (or along stepWeights) until the weight reaches maxWeight,
// capped at 100. Empty when the canary never advances.
std::vector<int> FlaggerWeights(int step_weight, const std::vector<int>& step_weights,
                                int max_weight);

}  // namespace fleetsim::import
