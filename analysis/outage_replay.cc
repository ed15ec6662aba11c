// Outage replay runs and key moments: see outage_replay.h for the definitions.
#include "analysis/outage_replay.h"

#include <filesystem>

#include "analysis/monte_carlo.h"
#include "loader/named_data.h"
#include "sim/change_stream.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

// The id in replica 0 of changes.injected[index] (changes are generated exactly as the engine
// does), or -1.
int64_t InjectedChangeId(const Scenario& scenario, uint64_t seed, int index) {
  if (index < 0) return -1;
  const InjectedChange& injected = scenario.changes.injected[static_cast<size_t>(index)];
  // Earlier injected changes with the same time and label would precede it; count them.
  int same_before = 0;
  for (int i = 0; i < index; ++i) {
    const InjectedChange& c = scenario.changes.injected[static_cast<size_t>(i)];
    if (c.at == injected.at && c.label == injected.label && c.fault == injected.fault)
      ++same_before;
  }
  for (const Change& c :
       GenerateChanges(scenario.changes, scenario.faults, scenario.duration, seed, 0)) {
    if (!c.truth.injected || c.info.arrival != injected.at || c.info.label != injected.label)
      continue;
    const std::string fault =
        c.truth.bad() ? scenario.faults.faults[static_cast<size_t>(c.truth.fault)].name : "";
    if (fault != injected.fault) continue;
    if (same_before-- == 0) return c.info.id;
  }
  return -1;
}

// Reads the key moments of the culprit `id` off the run's timeline (absolute times); an automated
// stop of the triggering change `trigger` is a detection, and its rollback (which ends a fault it
// triggered) a mitigation, too. A failing verdict that acted on nothing detects nothing.
void FindMoments(const Timeline& timeline, int64_t id, int64_t trigger,
                 std::array<ReplayMoment, kOutageMomentCount>& out) {
  ReplayMoment& impact = out[static_cast<size_t>(OutageMoment::kFirstImpact)];
  ReplayMoment& detection = out[static_cast<size_t>(OutageMoment::kDetection)];
  ReplayMoment& mitigation = out[static_cast<size_t>(OutageMoment::kMitigationStart)];
  ReplayMoment& recovery = out[static_cast<size_t>(OutageMoment::kRecovery)];
  const auto manifesting = [&] { return impact.at.has_value() && !recovery.at.has_value(); };
  const auto detect = [&](SimTime t, const char* by) {
    if (detection.at) return;
    detection.at = t;
    detection.by = by;
  };
  for (const TimelineEvent& e : timeline.events) {
    switch (e.kind) {
      case TimelineKind::kImpactBegan:
        if (e.change == id && !impact.at) impact.at = e.time;
        break;
      case TimelineKind::kHalted:
      case TimelineKind::kPaused:
        if ((e.change == id || e.change == trigger) && manifesting()) detect(e.time, "automation");
        break;
      case TimelineKind::kAlert:
        if (manifesting()) detect(e.time, "alert");
        break;
      case TimelineKind::kRollbackStarted:
        if ((e.change == id || e.change == trigger) && manifesting() && e.text == "automation")
          detect(e.time, "automation");
        if ((e.change == id || e.change == trigger) && !mitigation.at) {
          mitigation.at = e.time;
          mitigation.by = e.text;
        }
        break;
      case TimelineKind::kImpactEnded:
        if (e.change == id && !recovery.at) recovery.at = e.time;
        break;
      default:
        break;
    }
  }
}

// The scenario with every bypass push sent through the policy like any other change.
Scenario WithPushesStaged(const Scenario& scenario) {
  Scenario staged = scenario;
  for (InjectedChange& c : staged.changes.injected) c.bypass = BypassSpec{};
  return staged;
}

}  // namespace

std::string ReplayRun::Name() const {
  return policy->name + (pushes_staged ? ", push staged" : "");
}

bool HasBypassPush(const Scenario& scenario) {
  for (const InjectedChange& c : scenario.changes.injected) {
    if (c.bypass.enabled) return true;
  }
  return false;
}

std::string ResolveOutagePath(const std::string& argument) {
  std::error_code ec;
  if (fs::is_regular_file(argument, ec)) return argument;
  fs::path name(argument);
  if (name.extension() != ".yaml") name += ".yaml";
  const fs::path candidate = fs::path("scenarios") / "outages" / name;
  if (fs::is_regular_file(candidate, ec)) return candidate.string();
  for (const fs::path& installed : NamedDataCandidates("outages", argument)) {
    if (fs::is_regular_file(installed, ec)) return installed.string();
  }
  return argument;
}

Status CheckReplayable(const Scenario& scenario) {
  const OutageSpec empty;
  if (OutageCulpritIndex(scenario.outage ? *scenario.outage : empty, scenario.changes) < 0) {
    return Status::Error(
        scenario.file +
        ": nothing to replay; expected an outage: block or an injected change with a fault "
        "under changes.injected");
  }
  return Status::Ok();
}

OutageReplay ReplayOutage(const Scenario& scenario, const std::vector<Policy>& policies,
                          uint64_t seed, const std::vector<bool>& stage_pushes) {
  OutageReplay replay;
  replay.scenario = &scenario;
  replay.seed = seed;
  const OutageSpec empty;
  const OutageSpec& spec = scenario.outage ? *scenario.outage : empty;
  const int64_t culprit =
      InjectedChangeId(scenario, seed, OutageCulpritIndex(spec, scenario.changes));
  const int64_t reference =
      InjectedChangeId(scenario, seed, OutageReferenceIndex(spec, scenario.changes));
  for (size_t i = 0; i < policies.size(); ++i) {
    ReplayRun run;
    run.policy = &policies[i];
    run.counterfactual = i > 0;
    run.pushes_staged = i < stage_pushes.size() && stage_pushes[i];
    run.change_id = reference;
    run.culprit_id = culprit;
    TimelineRecorder recorder(scenario.faults, 0);
    // Injected changes (and so their ids) do not depend on bypass: both scenarios give the same.
    ReplicaResult result =
        run.pushes_staged ? RunReplica(WithPushesStaged(scenario), policies[i], seed, 0, &recorder)
                          : RunReplica(scenario, policies[i], seed, 0, &recorder);
    run.alerts = result.alerts;
    run.timeline = recorder.TakeTimeline();
    const auto known = [&](int64_t id) {
      return id >= 0 && static_cast<size_t>(id) < result.outcomes.size();
    };
    if (known(culprit) && known(reference)) {
      run.outcome = result.outcomes[static_cast<size_t>(culprit)];
      run.trigger = result.outcomes[static_cast<size_t>(reference)];
      run.change_label = result.outcomes[static_cast<size_t>(reference)].label;
      const SimTime arrival = result.outcomes[static_cast<size_t>(reference)].arrival;
      run.change_arrival = arrival + spec.t0_delay;
      FindMoments(run.timeline, culprit, reference, run.moments);
      run.moments[static_cast<size_t>(OutageMoment::kChange)].at = arrival;
      // Absolute times -> T+ (every moment follows the change's arrival).
      for (ReplayMoment& m : run.moments) {
        if (m.at) m.at = *m.at - run.change_arrival;
      }
    }
    replay.runs.push_back(std::move(run));
  }
  return replay;
}

}  // namespace fleetsim
