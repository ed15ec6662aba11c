#include "policies/batching/batching_registry.h"

namespace fleetsim {

const BatchingRegistry& BatchingKinds() {
  static const BatchingRegistry registry = [] {
    BatchingRegistry r;
    RegisterSimpleBatching(r);
    RegisterBacklogGoal(r);
    RegisterScheduledBatching(r);
    return r;
  }();
  return registry;
}

std::unique_ptr<BatchingPolicy> ParseBatchingPolicy(const ConfigNode& node,
                                                    const std::string& context) {
  YamlMap m(node, context);
  ConfigNode kind_node = m.Required("kind");
  const std::string kind = kind_node.AsString(context + ".kind");
  const BatchingRegistry::Factory* factory = BatchingKinds().Find(kind);
  if (!factory) {
    kind_node.Fail(context + ".kind: unknown kind '" + kind +
                   "'; expected one of: " + BatchingKinds().Names());
  }
  std::unique_ptr<BatchingPolicy> policy = (*factory)(m);
  m.Finish();
  return policy;
}

PipelineOptions ParsePipelineOptions(YamlMap& m) {
  PipelineOptions o;
  o.pipelining = m.Bool("pipelining", o.pipelining);
  const std::string tests = m.String("on_test_failure", "revert");
  if (tests == "retry")
    o.on_test_failure = TestFailureAction::kRetry;
  else if (tests == "block")
    o.on_test_failure = TestFailureAction::kBlock;
  else if (tests != "revert")
    m.Required("on_test_failure")
        .Fail("batching.on_test_failure: expected revert, retry or block, got '" + tests + "'");
  const int64_t retries = m.Int("max_retries", o.max_retries);
  m.RequireRange("max_retries", static_cast<double>(retries), 0, 100);
  o.max_retries = static_cast<int>(retries);
  const std::string search = m.String("on_failure", "bisect");
  if (search == "revert")
    o.culprit_search = CulpritSearch::kRevert;
  else if (search == "risk")
    o.culprit_search = CulpritSearch::kRisk;
  else if (search != "bisect")
    m.Required("on_failure")
        .Fail("batching.on_failure: expected bisect, revert or risk, got '" + search + "'");
  o.bisect_step = m.Duration("bisect_step", o.bisect_step);
  o.revert_time = m.Duration("revert_time", o.revert_time);
  return o;
}

std::string PipelineOptionsHelp() {
  return "      - pipelining (bool, default false): the next release starts its canary once the "
         "previous one passed its\n"
         "        first step (else only after the previous release completed)\n"
         "      - on_test_failure (revert | retry | block, default revert): a failing CI run "
         "reverts the commit, re-runs\n"
         "        the tests (max_retries more times, then reverts), or blocks the pipeline until a "
         "person looked\n"
         "        (humans.response_time; a bad commit is reverted, a flaky one goes on)\n"
         "      - max_retries (integer, default 2): extra CI runs with on_test_failure: retry\n"
         "      - on_failure (bisect | revert | risk, default bisect): how a rolled-back release's "
         "culprit is found while\n"
         "        the pipeline is blocked: bisection (one canary of bisect_step per step, "
         "ceil(log2 n) steps), a person\n"
         "        (humans.response_time), or reverting its highest-risk commit (revert_time); the "
         "other commits\n"
         "        go back to the head of the queue\n"
         "      - bisect_step (duration, default 15m): one bisection canary\n"
         "      - revert_time (duration, default 10m): on_failure: risk, time to revert the "
         "suspect\n";
}

}  // namespace fleetsim
