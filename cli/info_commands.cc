// `fleetsim validate` and `fleetsim policies`.
#include <iostream>

#include "analysis/experiment.h"
#include "cli/commands.h"
#include "policies/batching/batching_registry.h"
#include "policies/health/health_registry.h"
#include "policies/risk/risk_registry.h"
#include "policies/rollout/rollout_registry.h"

namespace fleetsim::cli {
namespace {

void PrintKinds(const std::string& title, const std::vector<KindDoc>& docs) {
  std::cout << title << "\n";
  for (const KindDoc& d : docs) {
    std::cout << "\n  " << d.kind << "\n      " << d.summary << "\n";
    for (const ParamDoc& p : d.params) {
      std::cout << "      - " << p.name << " (" << p.type << ", default " << p.default_value
                << "): " << p.help << "\n";
    }
    if (!d.example.empty()) std::cout << "      example: " << d.example << "\n";
  }
  std::cout << "\n";
}

}  // namespace

int ValidateCommand(const std::vector<std::string>& files, const ImportFlags& import) {
  import::ImportOptions options;
  if (Status st = ToImportOptions(import, &options); !st.ok()) {
    std::cerr << "fleetsim: " << st.message() << "\n";
    return 2;
  }
  int failures = 0;
  for (const std::string& f : files) {
    Result<std::string> r = ValidateFile(f, options);
    if (r.ok()) {
      std::cout << f << ": ok, " << r.value() << "\n";
    } else {
      std::cerr << r.status().message() << "\n";
      ++failures;
    }
  }
  return failures == 0 ? 0 : 2;
}

int PoliciesCommand() {
  PrintKinds("rollout kinds (policy file: rollout: {kind: NAME, ...})", RolloutKinds().Docs());
  PrintKinds("health check kinds (policy file: health: {checks: [{kind: NAME, metric: ..., ...}]})",
             HealthCheckKinds().Docs());
  PrintKinds(
      "batching kinds (policy file: batching: {kind: NAME, ...}; scenarios with changes.commits)",
      BatchingKinds().Docs());
  std::cout << "batching section (applies to all batching kinds)\n"
            << PipelineOptionsHelp() << "\n";
  PrintKinds(
      "risk kinds (policy file: risk: {kind: NAME, ...}; routes code releases by their risk score)",
      RiskKinds().Docs());
  std::cout
      << "health section (applies to all checks)\n"
         "      - interval (duration, default 1m): time between verdicts\n"
         "      - initial_delay (duration, default 0s): wait after the rollout starts before the "
         "first verdict\n"
         "      - min_requests (integer, default 0): fewer canary requests in a window = "
         "inconclusive\n"
         "      - combine (any | all, default any): fail when any check fails, or only when all "
         "do\n"
         "      - evaluate (fleet | per_region | per_cluster, default fleet): judge each region's "
         "(cluster's) canary\n"
         "        against its control, failing if any fails (a regression in one place is not "
         "averaged away)\n"
         "      - lookback (interval | growing | DURATION, default interval): the window judged at "
         "each verdict:\n"
         "        since the previous verdict, since the rollout began, or a sliding window of that "
         "length\n"
         "      - failure_limit (integer, default 1): failing verdicts (cumulative) before "
         "on_failure\n"
         "      - counting (fleetsim | argo | flagger, default fleetsim): argo counts verdicts "
         "as an Argo AnalysisRun's\n"
         "        measurements: failure_limit = failures tolerated (default 0, -1 off), "
         "consecutive_success_limit,\n"
         "        inconclusive_limit, count, consecutive_error_limit (default 4), no_data "
         "(inconclusive | error |\n"
         "        failed | successful, default inconclusive: what a measurement of a canary "
         "without requests is;\n"
         "        an Error is retried after 10 s); Failed or Error aborts (on_failure), "
         "Inconclusive pauses for a "
         "person,\n"
         "        Successful ends the run; run: background (one run) | per_step (a run per step, "
         "Argo's inline\n"
         "        analysis: a step advances once its bake is over and its run succeeded);\n"
         "        flagger is Flagger's scheduler: a step advances only at a verdict that is not a "
         "failed check\n"
         "        (max(1, bake / interval) of them: a weight, or iterations), a failed check holds "
         "it, and one\n"
         "        interval after failure_limit (threshold) failed checks it rolls back; the last "
         "step without\n"
         "        bake (the promotion) is not judged\n"
         "      - start_at_step (integer, default 0): the analysis run begins when the rollout "
         "starts this step\n"
         "        (Argo's startingStep, a blue/green postPromotionAnalysis: 1); no verdict before\n"
         "      - consecutive_failure_limit (integer, default 0 = off): failing verdicts in a row "
         "before on_failure\n"
         "      - on_failure (rollback | pause, default rollback): roll back at once, or pause and "
         "page a person who\n"
         "        rolls back if the change is at fault and resumes it otherwise (after "
         "humans.response_time)\n"
         "      - on_inconclusive (ignore | fail | pause, default ignore): how an inconclusive "
         "verdict counts\n"
         "      - dry_run (bool, default false): judge and report what would have been stopped, "
         "never act\n"
         "\n"
         "deploy section (scenario: the deploy system; policy: overrides any of its keys)\n"
         "      - hosts_per_minute (integer, default 100000): update throughput of one rollout\n"
         "      - max_unavailable (hosts or percent, e.g. 25%): update in waves of this many hosts "
         "instead\n"
         "      - host_update_time (duration, default 1m): time one wave takes\n"
         "      - minimum_healthy_hosts ({host_count: N} | {fleet_percent: P}): CodeDeploy waves "
         "of N - H hosts;\n"
         "        fails when failed hosts leave no room above H, succeeds with >= max(H, 1) "
         "healthy\n"
         "      - host_failure_probability (0..1, default 0): each host update fails "
         "independently\n"
         "      - fault_tolerance (fraction or percent, default 100%): share of a step's updates "
         "allowed to fail\n"
         "      - rollback_hosts_per_minute (integer, default 500000) or rollback: instant\n"
         "      - first_stage_extra_bake (duration, default 0s): added to the first step's bake\n";
  return 0;
}

}  // namespace fleetsim::cli
