#include "policies/policy_loader.h"

#include <filesystem>

#include "loader/deploy_yaml.h"
#include "policies/batching/batching_registry.h"
#include "policies/health/check_set_policy.h"
#include "policies/health/health_registry.h"
#include "policies/risk/risk_registry.h"
#include "policies/rollout/rollout_registry.h"

namespace fleetsim {
namespace {

std::shared_ptr<const HealthPolicy> ParseHealth(const ConfigNode& node) {
  YamlMap m(node, "health");
  HealthSchedule schedule;
  schedule.interval = m.Duration("interval", schedule.interval);
  if (schedule.interval <= SimTime::Zero())
    m.Required("interval").Fail("health.interval: expected a positive duration");
  schedule.initial_delay = m.Duration("initial_delay", schedule.initial_delay);
  schedule.start_at_step = static_cast<int>(m.IntIn("start_at_step", 0, 0, 1'000'000));
  const std::string counting = m.String("counting", "fleetsim");
  std::optional<ArgoLimits> argo;
  if (counting == "argo") {
    // Argo AnalysisRun semantics: failure_limit = failed measurements TOLERATED (default 0,
    // -1 disables); a run per step when run: per_step (the inline analysis step).
    ArgoLimits l;
    l.failure_limit = static_cast<int>(m.IntIn("failure_limit", 0, -1, 1'000'000'000));
    l.consecutive_success_limit =
        static_cast<int>(m.IntIn("consecutive_success_limit", 0, 0, 1'000'000'000));
    l.inconclusive_limit = static_cast<int>(m.IntIn("inconclusive_limit", 0, 0, 1'000'000'000));
    l.count = static_cast<int>(m.IntIn("count", 0, 0, 1'000'000'000));
    l.consecutive_error_limit = static_cast<int>(
        m.IntIn("consecutive_error_limit", l.consecutive_error_limit, 0, 1'000'000'000));
    const std::string no_data = m.String("no_data", "inconclusive");
    if (no_data == "error")
      l.no_data = ArgoMeasurement::kError;
    else if (no_data == "failed")
      l.no_data = ArgoMeasurement::kFailed;
    else if (no_data == "successful")
      l.no_data = ArgoMeasurement::kSuccessful;
    else if (no_data != "inconclusive")
      m.Required("no_data").Fail(
          "health.no_data: expected inconclusive, error, failed or successful, got '" + no_data +
          "'");
    if (l.failure_limit < 0 && l.consecutive_success_limit == 0) {
      m.Required("failure_limit")
          .Fail(
              "health: with counting: argo, failure_limit -1 needs consecutive_success_limit > 0 "
              "(Argo's validation)");
    }
    const std::string run = m.String("run", "background");
    if (run == "per_step")
      schedule.run_per_step = true;
    else if (run != "background")
      m.Required("run").Fail("health.run: expected background or per_step, got '" + run + "'");
    argo = l;
  } else if (counting == "fleetsim" || counting == "flagger") {
    for (const char* argo_only : {"consecutive_success_limit", "inconclusive_limit", "count", "run",
                                  "consecutive_error_limit", "no_data"}) {
      if (m.Has(argo_only))
        m.Required(argo_only).Fail(std::string("health.") + argo_only +
                                   ": only with counting: argo");
    }
    // flagger: failure_limit is Flagger's `threshold` (failedChecks, cumulative; the
    // scheduler's halt-and-count semantics, HealthSchedule::advance_on_pass).
    const int64_t limit = m.IntIn("failure_limit", 1, 1, 1'000'000'000);
    schedule.failure_limit = static_cast<int>(limit);
    schedule.advance_on_pass = counting == "flagger";
    if (schedule.advance_on_pass && m.Has("consecutive_failure_limit")) {
      m.Required("consecutive_failure_limit")
          .Fail(
              "health.consecutive_failure_limit: not with counting: flagger (Flagger's "
              "failedChecks are cumulative; failure_limit is its threshold)");
    }
  } else {
    m.Required("counting")
        .Fail("health.counting: expected fleetsim, argo or flagger, got '" + counting + "'");
  }
  const int64_t consecutive = m.IntIn("consecutive_failure_limit", 0, 0, 1'000'000'000);
  schedule.consecutive_failure_limit = static_cast<int>(consecutive);
  const std::string action = m.String("on_failure", "rollback");
  if (action == "pause")
    schedule.on_failure = FailureAction::kPause;
  else if (action != "rollback")
    m.Required("on_failure")
        .Fail("health.on_failure: expected rollback or pause, got '" + action + "'");
  const std::string inconclusive = m.String("on_inconclusive", "ignore");
  if (inconclusive == "fail")
    schedule.on_inconclusive = InconclusiveAction::kFail;
  else if (inconclusive == "pause")
    schedule.on_inconclusive = InconclusiveAction::kPause;
  else if (inconclusive != "ignore") {
    m.Required("on_inconclusive")
        .Fail("health.on_inconclusive: expected ignore, fail or pause, got '" + inconclusive + "'");
  }
  schedule.dry_run = m.Bool("dry_run", false);
  if (auto lookback = m.Optional("lookback")) {
    const std::string text = lookback->AsString("health.lookback");
    if (text == "growing") {
      schedule.lookback = HealthSchedule::Lookback::kGrowing;
    } else if (text != "interval") {
      schedule.lookback = HealthSchedule::Lookback::kSliding;
      schedule.lookback_window =
          lookback->AsDuration("health.lookback (interval, growing, or a sliding window like 15m)");
      if (schedule.lookback_window <= SimTime::Zero())
        lookback->Fail("health.lookback: expected a positive sliding window");
    }
  }
  const int64_t min_requests = m.IntIn("min_requests", 0, 0, 1'000'000'000'000'000);
  const std::string combine_name = m.String("combine", "any");
  CombineRule combine = CombineRule::kAny;
  if (combine_name == "all")
    combine = CombineRule::kAll;
  else if (combine_name != "any")
    m.Required("combine").Fail("health.combine: expected 'any' or 'all', got '" + combine_name +
                               "'");
  const std::string evaluate = m.String("evaluate", "fleet");
  EvaluationScope scope = EvaluationScope::kFleet;
  if (evaluate == "per_region") {
    scope = EvaluationScope::kPerRegion;
  } else if (evaluate == "per_cluster") {
    scope = EvaluationScope::kPerRegion;  // the same judging, over per-cluster windows
    schedule.group_by = HealthSchedule::GroupBy::kCluster;
  } else if (evaluate != "fleet") {
    m.Required("evaluate")
        .Fail("health.evaluate: expected fleet, per_region or per_cluster, got '" + evaluate + "'");
  }
  std::vector<std::unique_ptr<HealthCheck>> checks;
  ConfigNode list = m.Required("checks");
  for (const ConfigNode& c : list.AsSequence("health.checks"))
    checks.push_back(ParseHealthCheck(c, "health.checks[]"));
  if (checks.empty())
    list.Fail("health.checks: expected at least one check (omit health: for none)");
  m.Finish();
  return std::make_shared<CheckSetPolicy>(schedule, std::move(checks), combine, min_requests, scope,
                                          argo);
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
  if (auto b = m.Optional("batching")) p.batching = ParseBatchingPolicy(*b, "batching");
  if (auto k = m.Optional("risk")) p.risk = ParseRiskPolicy(*k, "risk");
  if (auto d = m.Optional("deploy"))
    p.deploy = std::make_shared<const DeployOverrides>(ParseDeployBlock(*d, "deploy"));
  m.Finish();
  return p;
}

Result<Policy> LoadPolicyFile(const std::string& path) {
  Result<std::string> text = ReadYamlFile(path);
  if (!text.ok()) return text.status();
  return ParsePolicyText(text.value(), path);
}

Result<Policy> ParsePolicyText(const std::string& yaml_text, const std::string& path) {
  auto file = std::make_shared<const std::string>(path);
  Policy policy;
  Status st = CatchConfigErrors([&] {
    ConfigNode root = ParseYamlText(yaml_text, file.get());
    policy = ParsePolicyNode(root, std::filesystem::path(path).stem().string());
    policy.source = path;
  });
  if (!st.ok()) return st;
  return policy;
}

}  // namespace fleetsim
