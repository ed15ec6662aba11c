#include "policies/policy_loader.h"

#include <filesystem>

#include "policies/health/check_set_policy.h"
#include "policies/health/health_registry.h"
#include "policies/rollout/rollout_registry.h"

namespace fleetsim {
namespace {

std::shared_ptr<const HealthPolicy> ParseHealth(const ConfigNode& node) {
  YamlMap m(node, "health");
  HealthSchedule schedule;
  schedule.interval = m.Duration("interval", schedule.interval);
  if (schedule.interval <= SimTime::Zero()) m.Required("interval").Fail("health.interval: expected a positive duration");
  schedule.initial_delay = m.Duration("initial_delay", schedule.initial_delay);
  const int64_t limit = m.Int("failure_limit", 1);
  m.RequireRange("failure_limit", static_cast<double>(limit), 1, 1e9);
  schedule.failure_limit = static_cast<int>(limit);
  const int64_t consecutive = m.Int("consecutive_failure_limit", 0);
  m.RequireRange("consecutive_failure_limit", static_cast<double>(consecutive), 0, 1e9);
  schedule.consecutive_failure_limit = static_cast<int>(consecutive);
  const std::string action = m.String("on_failure", "rollback");
  if (action == "pause") schedule.on_failure = FailureAction::kPause;
  else if (action != "rollback") m.Required("on_failure").Fail("health.on_failure: expected rollback or pause, got '" + action + "'");
  const std::string inconclusive = m.String("on_inconclusive", "ignore");
  if (inconclusive == "fail") schedule.on_inconclusive = InconclusiveAction::kFail;
  else if (inconclusive == "pause") schedule.on_inconclusive = InconclusiveAction::kPause;
  else if (inconclusive != "ignore") {
    m.Required("on_inconclusive").Fail("health.on_inconclusive: expected ignore, fail or pause, got '" + inconclusive + "'");
  }
  schedule.dry_run = m.Bool("dry_run", false);
  if (auto lookback = m.Optional("lookback")) {
    const std::string text = lookback->AsString("health.lookback");
    if (text == "growing") {
      schedule.lookback = HealthSchedule::Lookback::kGrowing;
    } else if (text != "interval") {
      schedule.lookback = HealthSchedule::Lookback::kSliding;
      schedule.lookback_window = lookback->AsDuration("health.lookback (interval, growing, or a sliding window like 15m)");
      if (schedule.lookback_window <= SimTime::Zero()) lookback->Fail("health.lookback: expected a positive sliding window");
    }
  }
  const int64_t min_requests = m.Int("min_requests", 0);
  m.RequireAtLeast("min_requests", static_cast<double>(min_requests), 0);
  const std::string combine_name = m.String("combine", "any");
  CombineRule combine = CombineRule::kAny;
  if (combine_name == "all") combine = CombineRule::kAll;
  else if (combine_name != "any") m.Required("combine").Fail("health.combine: expected 'any' or 'all', got '" + combine_name + "'");
  const std::string evaluate = m.String("evaluate", "fleet");
  EvaluationScope scope = EvaluationScope::kFleet;
  if (evaluate == "per_region") scope = EvaluationScope::kPerRegion;
  else if (evaluate != "fleet") m.Required("evaluate").Fail("health.evaluate: expected fleet or per_region, got '" + evaluate + "'");
  std::vector<std::unique_ptr<HealthCheck>> checks;
  ConfigNode list = m.Required("checks");
  for (const ConfigNode& c : list.AsSequence("health.checks")) checks.push_back(ParseHealthCheck(c, "health.checks[]"));
  if (checks.empty()) list.Fail("health.checks: expected at least one check (omit health: for none)");
  m.Finish();
  return std::make_shared<CheckSetPolicy>(schedule, std::move(checks), combine, min_requests, scope);
}

}  // namespace

Policy ParsePolicyNode(const ConfigNode& node, const std::string& default_name) {
  YamlMap m(node, "policy");
  Policy p;
  p.name = m.String("name", default_name);
  p.description = m.String("description", "");
  p.source = node.Where();
  p.rollout = ParseRolloutPolicy(m.Required("rollout"), "rollout");
  if (auto h = m.Optional("health")) p.health = ParseHealth(*h);
  if (auto d = m.Optional("deploy")) p.deploy = std::make_shared<const DeployOverrides>(ParseDeployBlock(*d, "deploy"));
  m.Finish();
  return p;
}

Result<Policy> LoadPolicyFile(const std::string& path) {
  auto file = std::make_shared<const std::string>(path);
  Policy policy;
  Status st = CatchConfigErrors([&] {
    ConfigNode root = LoadYamlFile(path, file.get());
    policy = ParsePolicyNode(root, std::filesystem::path(path).stem().string());
    policy.source = path;
  });
  if (!st.ok()) return st;
  return policy;
}

}  // namespace fleetsim
