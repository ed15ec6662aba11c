// OutageReplay: one deterministic run of an outage scenario under the policy of the day and
// under counterfactual policies, reduced to the key moments of an outage timeline and the
// blast radius of the change that triggered it (the engine of `fleetsim replay`).
//
// T+0 is the arrival of the scenario's `outage.change` and the damage is that of its
// `outage.culprit` (sim/outage_spec.h; usually the same change; without an outage block, the
// first injected change that carries a fault). Every run uses replica 0 of the
// same seed, so each policy faces the same changes and noise (common random numbers); only the
// rollout of the changes differs.
//
// Key moments, as times after T+0 (the arrival of `outage.change`, plus `outage.t0_delay`):
//   change            the change was submitted (its arrival: T+0, or T-t0_delay);
//   first_impact      the culprit's fault first manifested on a host;
//   detection         the first moment something acted while the culprit's fault manifests
//                     (DESIGN §5): an automated rollback, pause or hold (Flagger) of the culprit
//                     or of the change at T+0 that took effect, or the global alert firing (a
//                     person is paged: what post-mortems publish as detection). A failing verdict
//                     nothing acted on (automation disabled, a policy that steps on) is not one;
//                     the timeline shows it as "verdict lost";
//   mitigation_start  the first rollback of the culprit or of the change at T+0 started (by
//                     automation or by a person);
//   recovery          no host manifests the culprit's fault any more.
// Blast radius: peak exposed fraction, impacted traffic peak, failed requests and regions
// impacted of the culprit (DESIGN §5, from OutcomeRecorder).
//
// Pure functions of their inputs; results are plain values (the timeline is kept for the text).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "analysis/change_outcome.h"
#include "analysis/timeline.h"
#include "policies/policy_loader.h"
#include "sim/outage_spec.h"
#include "sim/scenario.h"

namespace fleetsim {

struct ReplayMoment {
  std::optional<SimTime> at;  // T+ (negative: before T+0), none = did not happen in the run
  std::string by;  // detection: "automation" | "alert"; mitigation: "automation" | "human" | ...
};

struct ReplayRun {
  const Policy* policy = nullptr;
  bool counterfactual = false;  // false for the policy of the day (the scenario's own)
  bool pushes_staged = false;   // the scenario's bypass pushes went through `policy` too
  int64_t change_id = -1;       // the id of the change at T+0 in the replica
  int64_t culprit_id = -1;      // the id of the faulty change
  std::string change_label;
  SimTime change_arrival;  // absolute simulated time of T+0 (arrival + outage.t0_delay)
  std::array<ReplayMoment, kOutageMomentCount> moments;
  ChangeOutcome outcome;  // the culprit's outcome (blast radius, detection, ...)
  ChangeOutcome trigger;  // the outcome of the change at T+0 (the same as `outcome` when
                          // it is the culprit; else the trigger of a latent fault)
  int alerts = 0;
  Timeline timeline;

  const ReplayMoment& Moment(OutageMoment m) const { return moments[static_cast<size_t>(m)]; }
  bool Triggered() const { return change_id != culprit_id; }
  // "staged-15m", or "staged-15m, push staged".
  std::string Name() const;
};

struct OutageReplay {
  const Scenario* scenario = nullptr;
  uint64_t seed = 0;
  std::vector<ReplayRun> runs;  // first: the policy of the day; then the counterfactuals
};

// The path of an OUTAGE argument: an existing file as given, else scenarios/outages/NAME.yaml
// (NAME with or without .yaml) under the current directory, else in the data roots of the
// running executable (installed share/fleetsim, or the source tree; loader/named_data.h).
std::string ResolveOutagePath(const std::string& argument);

// Fails (with a message) when the scenario has no triggering change to replay.
Status CheckReplayable(const Scenario& scenario);

// Runs replica 0 of `scenario` with `seed` under each policy; policies[0] is the policy of the
// day, the others counterfactuals. Where stage_pushes[i] is true (missing entries: false), run i
// also sends the scenario's bypass pushes (changes.injected[].bypass: a global data or config
// push around the policy) through policies[i], as an ordinary change: "what if the push itself
// had been staged". Requires CheckReplayable(scenario).ok(). Policies are borrowed and must
// outlive the result.
OutageReplay ReplayOutage(const Scenario& scenario, const std::vector<Policy>& policies,
                          uint64_t seed, const std::vector<bool>& stage_pushes = {});

// True when some injected change of the scenario is a bypass push.
bool HasBypassPush(const Scenario& scenario);

// The readable report: published vs simulated key moments of the policy of the day (deviation,
// within tolerance), blast radius, the counterfactuals side by side, and the minute-by-minute
// timeline of the run under the policy of the day.
std::string RenderReplayText(const OutageReplay& replay);

// The same as versioned JSON (schema_version 1).
std::string RenderReplayJson(const OutageReplay& replay);

}  // namespace fleetsim
