#include "policies/batching/batching_registry.h"

#include <utility>

namespace fleetsim {

// One registration function per FLEETSIM_REGISTER_BATCHING_KIND (generated list).
#define FLEETSIM_KIND(name) void FleetsimRegisterBatchingKind_##name(BatchingRegistry&);
#include "policies/generated/batching_kinds.inc"
#undef FLEETSIM_KIND

const BatchingRegistry& BatchingKinds() {
  static const BatchingRegistry registry = [] {
    BatchingRegistry r;
#define FLEETSIM_KIND(name) FleetsimRegisterBatchingKind_##name(r);
#include "policies/generated/batching_kinds.inc"
#undef FLEETSIM_KIND
    return r;
  }();
  return registry;
}

std::unique_ptr<BatchingPolicy> ParseBatchingPolicy(const ConfigNode& node,
                                                    const std::string& context) {
  return ParseKind(BatchingKinds(), node, context);
}

namespace {

// The YAML names of the enum options; the first of each list is written in messages first.
constexpr std::pair<const char*, TestFailureAction> kTestFailureActions[] = {
    {"revert", TestFailureAction::kRevert},
    {"retry", TestFailureAction::kRetry},
    {"block", TestFailureAction::kBlock}};
constexpr std::pair<const char*, CulpritSearch> kCulpritSearches[] = {
    {"bisect", CulpritSearch::kBisect},
    {"revert", CulpritSearch::kRevert},
    {"risk", CulpritSearch::kRisk}};

template <typename Enum, size_t N>
std::string NameOf(const std::pair<const char*, Enum> (&names)[N], Enum value) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return "?";
}

// Reads `key` as one of `names` (default: `value`'s name).
template <typename Enum, size_t N>
Enum ReadChoice(YamlMap& m, const std::string& key, const std::pair<const char*, Enum> (&names)[N],
                Enum value) {
  const std::string given = m.String(key, NameOf(names, value));
  for (const auto& [name, v] : names) {
    if (given == name) return v;
  }
  std::string expected;
  for (size_t i = 0; i < N; ++i)
    expected += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + names[i].first;
  m.Required(key).Fail("batching." + key + ": expected " + expected + ", got '" + given + "'");
}

}  // namespace

PipelineOptions ParsePipelineOptions(YamlMap& m) {
  PipelineOptions o;
  o.pipelining = m.Bool("pipelining", o.pipelining);
  o.on_test_failure = ReadChoice(m, "on_test_failure", kTestFailureActions, o.on_test_failure);
  const int64_t retries = m.Int("max_retries", o.max_retries);
  m.RequireRange("max_retries", static_cast<double>(retries), 0, 100);
  o.max_retries = static_cast<int>(retries);
  o.culprit_search = ReadChoice(m, "on_failure", kCulpritSearches, o.culprit_search);
  o.bisect_step = m.Duration("bisect_step", o.bisect_step);
  o.revert_time = m.Duration("revert_time", o.revert_time);
  return o;
}

std::vector<ParamDef<PipelineOptions>> PipelineOptionDefs() {
  using P = PipelineOptions;
  const auto test_action = [](TestFailureAction a) { return NameOf(kTestFailureActions, a); };
  const auto search = [](CulpritSearch s) { return NameOf(kCulpritSearches, s); };
  return {
      Param("pipelining", "bool", &P::pipelining,
            "the next release starts its canary once the previous one passed its\n"
            "        first step (else only after the previous release completed)"),
      Param("on_test_failure", "revert | retry | block", &P::on_test_failure,
            "a failing CI run reverts the commit, re-runs\n"
            "        the tests (max_retries more times, then reverts), or blocks the pipeline "
            "until a person looked\n"
            "        (humans.response_time; a bad commit is reverted, a flaky one goes on)",
            test_action),
      Param("max_retries", "integer", &P::max_retries, "extra CI runs with on_test_failure: retry"),
      Param("on_failure", "bisect | revert | risk", &P::culprit_search,
            "how a rolled-back release's culprit is found while\n"
            "        the pipeline is blocked: bisection (one canary of bisect_step per step, "
            "ceil(log2 n) steps), a person\n"
            "        (humans.response_time), or reverting its highest-risk commit (revert_time); "
            "the other commits\n"
            "        go back to the head of the queue",
            search),
      Param("bisect_step", "duration", &P::bisect_step, "one bisection canary"),
      Param("revert_time", "duration", &P::revert_time,
            "on_failure: risk, time to revert the suspect"),
  };
}

std::string PipelineOptionsHelp() {
  std::string out;
  for (const ParamDef<PipelineOptions>& p : PipelineOptionDefs()) {
    out += "      - " + p.doc.name + " (" + p.doc.type + ", default " + p.doc.default_value +
           "): " + p.doc.help + "\n";
  }
  return out;
}

}  // namespace fleetsim
