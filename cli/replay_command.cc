// `fleetsim replay`: one deterministic run of an outage scenario next to its published timeline,
// and the same run under counterfactual policies. Loading and output only; the replay itself is
// analysis/outage_replay.h.
#include <iostream>

#include "analysis/atomic_file.h"
#include "analysis/experiment.h"
#include "analysis/outage_replay.h"
#include "analysis/seed_replay.h"
#include "analysis/settings.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "loader/scenario_loader.h"

namespace fleetsim::cli {
namespace {

// Bad input: the message on stderr, exit code 2, nothing written.
int Fail(const Status& status) {
  std::cerr << "fleetsim: " << status.message() << "\n";
  return 2;
}

bool Interrupted() {
  if (!InterruptRequested()->load()) return false;
  std::cerr << "fleetsim: interrupted by " << InterruptSignalName()
            << " during the replay; nothing written\n";
  return true;
}

// --seeds: one replay per seed, reduced to the share within tolerance and the spread.
int ReplaySeedsCommand(const ReplayArgs& args, const Scenario& scenario,
                       const std::vector<Policy>& policies, const std::vector<bool>& stage_pushes) {
  Result<std::vector<uint64_t>> seeds = ParseSeeds(args.seeds);
  if (!seeds.ok()) return Fail(seeds.status());
  const SeedReplay replay = ReplaySeeds(scenario, policies, seeds.value(), stage_pushes);
  if (Interrupted()) return InterruptExitCode();
  if (!args.json_path.empty()) {
    if (Status st = WriteFileAtomically(args.json_path, RenderSeedReplayJson(replay)); !st.ok()) {
      std::cerr << "fleetsim: " << st.message() << "\n";
      return 1;
    }
  }
  if (!args.quiet) std::cout << RenderSeedReplayText(replay);
  return 0;
}

}  // namespace

int ReplayCommand(const ReplayArgs& args) {
  if (args.seed && !args.seeds.empty())
    return Fail(Status::Error("--seed and --seeds: give one (--seeds 7 is one seed)"));
  const std::string path = ResolveOutagePath(args.outage);
  Result<Scenario> loaded = LoadScenario(path);
  if (!loaded.ok()) return Fail(loaded.status());
  import::ImportOptions options;
  if (Status st = ToImportOptions(args.import, &options); !st.ok()) return Fail(st);
  Result<std::vector<SweepAxis>> settings = ParseSettings(args.sets);
  if (!settings.ok()) return Fail(settings.status());
  const bool own_policy = loaded.value().policy.path || loaded.value().policy.inline_node;
  // Each policy as --set leaves it (the scenario's own: argument "").
  const auto resolve = [&](const std::string& arg) -> Result<Policy> {
    if (settings.value().empty()) {
      return arg.empty() ? ScenarioPolicy(loaded.value(), options)
                         : ResolvePolicy(arg, loaded.value(), options);
    }
    Result<SweepPoint> point = ApplySettings(path, arg, settings.value(), options);
    if (!point.ok()) return point.status();
    return std::move(point.value().policy);
  };
  if (!settings.value().empty()) {
    // The scenario as --set leaves it, loaded beside the policy of the day (or, when the file
    // names none, the first counterfactual; its policy reference is kept either way).
    const std::string beside = own_policy                    ? std::string()
                               : !args.policies.empty()      ? args.policies.front()
                               : !args.push_policies.empty() ? args.push_policies.front()
                                                             : std::string();
    Result<SweepPoint> point = ApplySettings(path, beside, settings.value(), options);
    if (!point.ok()) return Fail(point.status());
    loaded = std::move(point.value().scenario);
  }
  const Scenario& scenario = loaded.value();
  if (Status st = CheckReplayable(scenario); !st.ok()) return Fail(st);
  // The policy of the day is the scenario's own; each --policy is a counterfactual.
  std::vector<Policy> policies;
  if (own_policy) {
    Result<Policy> own = resolve("");
    if (!own.ok()) return Fail(own.status());
    policies.push_back(std::move(own).value());
  }
  for (const std::string& arg : args.policies) {
    Result<Policy> p = resolve(arg);
    if (!p.ok()) return Fail(p.status());
    policies.push_back(std::move(p).value());
  }
  // --stage-push: counterfactuals in which the bypass pushes go through the policy as well.
  if (!args.push_policies.empty() && !HasBypassPush(scenario)) {
    return Fail(
        Status::Error(path +
                      ": --stage-push: the scenario has no bypass push to stage; expected a change "
                      "under changes.injected with bypass: (or use --policy)"));
  }
  std::vector<bool> stage_pushes(policies.size(), false);
  for (const std::string& arg : args.push_policies) {
    Result<Policy> p = resolve(arg);
    if (!p.ok()) return Fail(p.status());
    policies.push_back(std::move(p).value());
    stage_pushes.push_back(true);
  }
  if (policies.empty())
    return Fail(Status::Error(path + ": the scenario names no policy; pass --policy NAME_OR_FILE"));
  for (const Policy& p : policies) {
    if (Status st = p.rollout->Validate(*scenario.fleet); !st.ok()) {
      return Fail(Status::Error(p.source + ": policy '" + p.name + "' does not fit scenario '" +
                                scenario.name + "': " + st.message()));
    }
  }
  if (!args.json_path.empty()) {
    if (Status st = CheckWritable(args.json_path); !st.ok()) return Fail(st);
  }
  if (!args.seeds.empty()) return ReplaySeedsCommand(args, scenario, policies, stage_pushes);
  const OutageReplay replay =
      ReplayOutage(scenario, policies, args.seed.value_or(scenario.seed), stage_pushes);
  if (Interrupted()) return InterruptExitCode();
  if (!args.json_path.empty()) {
    if (Status st = WriteFileAtomically(args.json_path, RenderReplayJson(replay)); !st.ok()) {
      std::cerr << "fleetsim: " << st.message() << "\n";
      return 1;
    }
  }
  if (!args.quiet) std::cout << RenderReplayText(replay);
  return 0;
}

}  // namespace fleetsim::cli
