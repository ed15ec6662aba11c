// The parameter tables of every registered kind, in all four families, tell the truth
// (policies/kind_registry.h):
//  - a documented default (Param) is what the kind's reader reads when the key is omitted, and
//    the documented string itself reads back to that value (so `fleetsim policies` shows
//    Params{}, and Params{} is what a policy file gets);
//  - a parameter documented as required is: the documented example without it is rejected,
//    naming the key; every key of the example is documented;
//  - the shared batching keys (PipelineOptions) obey the same two rules;
//  - every FLEETSIM_REGISTER_*_KIND in policies/ is registered (scanned here independently of
//    the build's generated lists), and nothing else is;
//  - `fleetsim policies` prints every registered kind with every row of its table.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "policies/batching/batching_registry.h"
#include "policies/health/health_registry.h"
#include "policies/risk/risk_registry.h"
#include "policies/rollout/rollout_registry.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

const std::string kFile = "kind.yaml";

// The kind's example mapping, with `key` removed (empty: none) and then `set` to `value`.
ConfigNode Example(const KindDoc& doc, const std::string& remove, const std::string& set = "",
                   const std::string& value = "") {
  ConfigNode node = ParseYamlText(doc.example, &kFile);
  REQUIRE(node.IsMap());
  if (!remove.empty()) node.node.remove(remove);
  if (!set.empty()) node.node[set] = value;
  return node;
}

// The documented parameters that `yaml` reads differently from Params{} (parse errors fail).
template <typename Interface>
std::vector<std::string> OffDefault(const KindRegistry<Interface>& registry, const KindDoc& doc,
                                    const ConfigNode& yaml) {
  const auto* probe = registry.FindDefaultsProbe(doc.kind);
  REQUIRE(probe != nullptr);
  std::vector<std::string> off;
  const Status st = CatchConfigErrors([&] {
    YamlMap m(yaml, doc.kind);
    m.Required("kind");
    off = (*probe)(m);
    m.Finish();
  });
  INFO(st.message());
  REQUIRE(st.ok());
  return off;
}

bool Lists(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

template <typename Interface>
void CheckDocumentedDefaults(const KindRegistry<Interface>& registry) {
  for (const KindDoc& doc : registry.Docs()) {
    for (const ParamDoc& p : doc.params) {
      if (!p.from_params) continue;
      INFO(doc.kind << "." << p.name << " documented default " << p.default_value);
      CHECK_FALSE(Lists(OffDefault(registry, doc, Example(doc, p.name)), p.name));
      CHECK_FALSE(
          Lists(OffDefault(registry, doc, Example(doc, p.name, p.name, p.default_value)), p.name));
    }
  }
}

template <typename Interface>
void CheckRequiredAndDocumented(const KindRegistry<Interface>& registry, const std::string& family,
                                const std::set<std::string>& shared_keys = {}) {
  for (const KindDoc& doc : registry.Docs()) {
    INFO(family << " kind " << doc.kind << ": " << doc.example);
    std::set<std::string> documented = shared_keys;
    for (const ParamDoc& p : doc.params) documented.insert(p.name);
    const ConfigNode example = Example(doc, "");
    for (const auto& entry : example.node) {
      const std::string key = entry.first.Scalar();
      if (key != "kind") CHECK(documented.count(key) == 1);
    }
    for (const ParamDoc& p : doc.params) {
      if (p.default_value != "required") continue;
      INFO("required parameter " << p.name);
      REQUIRE(example.node[p.name].IsDefined());  // a complete example has it
      const Status st =
          CatchConfigErrors([&] { ParseKind(registry, Example(doc, p.name), family); });
      REQUIRE_FALSE(st.ok());
      CHECK_THAT(st.message(), Catch::Contains("'" + p.name + "'"));
    }
  }
}

TEST_CASE("every kind's documented defaults are Params{} and what an omitted key reads",
          "[kinds][conformance]") {
  CheckDocumentedDefaults(RolloutKinds());
  CheckDocumentedDefaults(HealthCheckKinds());
  CheckDocumentedDefaults(BatchingKinds());
  CheckDocumentedDefaults(RiskKinds());
  // The probe sees a non-default value (so the checks above can fail): big_bang's example
  // bakes 10m, not the default 0s.
  const KindDoc big_bang = RolloutKinds().Docs().front();
  REQUIRE(big_bang.kind == "big_bang");
  CHECK(Lists(OffDefault(RolloutKinds(), big_bang, Example(big_bang, "")), "bake"));
}

TEST_CASE("every kind's required parameters are required and its example keys documented",
          "[kinds][conformance]") {
  std::set<std::string> pipeline_keys;
  for (const auto& p : PipelineOptionDefs()) pipeline_keys.insert(p.doc.name);
  CheckRequiredAndDocumented(RolloutKinds(), "rollout");
  CheckRequiredAndDocumented(HealthCheckKinds(), "health.checks[]");
  CheckRequiredAndDocumented(BatchingKinds(), "batching", pipeline_keys);
  CheckRequiredAndDocumented(RiskKinds(), "risk");
}

TEST_CASE("the shared batching keys' documented defaults are PipelineOptions{}",
          "[kinds][batching]") {
  const std::vector<ParamDef<PipelineOptions>> defs = PipelineOptionDefs();
  REQUIRE(defs.size() == 6);
  for (const ParamDef<PipelineOptions>& p : defs) {
    INFO(p.doc.name << " documented default " << p.doc.default_value);
    REQUIRE(p.holds_default);
    for (const std::string& yaml :
         {std::string("{}"), "{" + p.doc.name + ": " + p.doc.default_value + "}"}) {
      PipelineOptions read;
      const Status st = CatchConfigErrors([&] {
        YamlMap m(ParseYamlText(yaml, &kFile), "batching");
        read = ParsePipelineOptions(m);
        m.Finish();
      });
      INFO(yaml << ": " << st.message());
      REQUIRE(st.ok());
      CHECK(p.holds_default(read));
    }
  }
  PipelineOptions retry;
  retry.max_retries = 5;
  CHECK_FALSE(defs[2].holds_default(retry));  // max_retries: the check can fail
}

TEST_CASE("every FLEETSIM_REGISTER_*_KIND in policies/ is a registered kind", "[kinds]") {
  const std::regex use(R"(FLEETSIM_REGISTER_(ROLLOUT|HEALTH_CHECK|BATCHING|RISK)_KIND\(\s*(\w+))");
  std::map<std::string, std::set<std::string>> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::filesystem::path(FLEETSIM_SOURCE_DIR) / "policies")) {
    if (entry.path().extension() != ".cc") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (auto it = std::sregex_iterator(s.begin(), s.end(), use); it != std::sregex_iterator();
         ++it)
      found[(*it)[1]].insert((*it)[2]);
  }
  const auto names = [](const std::vector<KindDoc>& docs) {
    std::set<std::string> out;
    for (const KindDoc& d : docs) out.insert(d.kind);
    return out;
  };
  CHECK(found["ROLLOUT"] == names(RolloutKinds().Docs()));
  CHECK(found["HEALTH_CHECK"] == names(HealthCheckKinds().Docs()));
  CHECK(found["BATCHING"] == names(BatchingKinds().Docs()));
  CHECK(found["RISK"] == names(RiskKinds().Docs()));
}

TEST_CASE("fleetsim policies prints every registered kind and its whole parameter table",
          "[kinds][cli]") {
  const testing::CommandResult r = testing::RunFleetsim("policies");
  REQUIRE(r.exit_code == 0);
  for (const auto& docs : {RolloutKinds().Docs(), HealthCheckKinds().Docs(), BatchingKinds().Docs(),
                           RiskKinds().Docs()}) {
    for (const KindDoc& d : docs) {
      INFO(d.kind);
      CHECK_THAT(r.output, Catch::Contains("\n  " + d.kind + "\n      " + d.summary + "\n"));
      CHECK_THAT(r.output, Catch::Contains("      example: " + d.example + "\n"));
      for (const ParamDoc& p : d.params) {
        CHECK_THAT(r.output, Catch::Contains("      - " + p.name + " (" + p.type + ", default " +
                                             p.default_value + "): " + p.help + "\n"));
      }
    }
  }
  CHECK_THAT(r.output, Catch::Contains(PipelineOptionsHelp()));
}

}  // namespace
}  // namespace fleetsim
