// Argo Rollouts `kind: Rollout` import (pkg/apis/rollouts/v1alpha1/types.go at argoproj/
// argo-rollouts@9f8d111; shared/reference/rollout-systems.md §A1) into a fleetsim policy.
//
// canary:
//   steps: setWeight N starts a stage at N%; pause {duration: D} adds D to its bake; pause {}
//   makes it a manual gate (a person promotes after humans.response_time, as `kubectl argo
//   rollouts promote`); an inline analysis step makes the stage wait for that run (its Job
//   metrics' duration); after the last step Argo promotes to 100%, the last stage. No steps: a
//   rolling update in waves of maxUnavailable (default 25%).
//   analysis (background): health with counting: argo (argo_analysis_import.h); startingStep
//   delays it to that step (the bakes before it, which must not be manual).
//   trafficRouting: an abort shifts traffic back at once (deploy.rollback: instant) unless
//   dynamicStableScale scaled the stable version down.
//   setCanaryScale, setHeaderRoute, setMirrorRoute, experiment and plugin steps, and services,
//   metadata, anti-affinity and scale-down delays are reported (no effect / not simulated).
// blueGreen: autoPromotionEnabled, autoPromotionSeconds, scaleDownDelaySeconds ->
//   rollout.kind blue_green; postPromotionAnalysis -> health over a post-promotion bake as long
//   as its run; prePromotionAnalysis judges a preview with no production traffic (not
//   simulated; the promotion waits for its run).
// Everything outside the strategy (replicas, selector, pod template, history limits...) has no
// effect: the fleet and the deploy speed come from the scenario.
//
// Throws ConfigError at file:line:col for anything it cannot map; writes ctx.policy().
#pragma once

#include "import/argo_analysis_import.h"
#include "import/import_context.h"
#include "import/spec_format.h"

namespace fleetsim::import {

// Returns the policy name (metadata.name).
std::string ImportArgoRollout(const SpecDocument& rollout, const ArgoTemplateSet& templates,
                              ImportContext& ctx);

}  // namespace fleetsim::import
