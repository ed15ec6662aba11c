// The single list of fault keys (FaultKeys(), loader/fault_yaml.h) against everything that
// must agree with it:
//  - every field of FaultProfile is set by some key (a new field without a key fails here, at
//    compile time in EveryFieldIsListed and at run time in the field table);
//  - every shape key, set to a non-default value, makes FaultProfile::Plain() false (so a new
//    shape can never be silently treated as plain), and the original five keys leave it true;
//  - the README's fault example and sim/fault.h's list of shapes name exactly these keys;
//  - an unknown key's error lists them all.
#include <catch2/catch.hpp>

#include <functional>
#include <regex>
#include <set>
#include <string>

#include "loader/fault_yaml.h"
#include "loader/scenario_loader.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

const char* const kWorld = R"(name: keys
duration: 2d
fleet:
  regions:
    - {name: europe, clusters: [{name: eu-a, hosts: 100}]}
    - {name: asia, hosts: 100}
services: [{name: web}, {name: db}]
faults:
)";

// The one fault {name: f, KEY: EXAMPLE} (or {name: EXAMPLE} for the name itself).
FaultProfile WithKey(const FaultKey& key) {
  const std::string entry = std::string(key.key) == "name"
                                ? std::string("{name: ") + key.example + "}"
                                : std::string("{name: f, ") + key.key + ": " + key.example + "}";
  INFO(entry);
  Scenario s = testing::ScenarioFromYaml(std::string(kWorld) + "  - " + entry + "\n");
  REQUIRE(s.faults.faults.size() == 1);
  return s.faults.faults[0];
}

FaultProfile Bare() {
  return testing::ScenarioFromYaml(std::string(kWorld) + "  - {name: f}\n").faults.faults[0];
}

// FaultProfile has exactly these fields: adding one makes this binding fail to compile. Then
// list it in kFields below, give it a key in FaultKeys() and document the key (README, fault.h).
[[maybe_unused]] void EveryFieldIsListed(const FaultProfile& f) {
  [[maybe_unused]] const auto& [name, weight, error_rate_increase, latency_factor, onset_delay,
                                error_rate_factor, ramp, flapping, request_fraction, regions,
                                clusters, min_load, trigger, crash_fraction, blocks_rollback,
                                repair, visible_errors, visible_latency, service] = f;
}
constexpr size_t kFieldCount = 19;

struct Field {
  const char* name;
  std::function<bool(const FaultProfile&, const FaultProfile&)> differs;
};
#define FLEETSIM_FIELD(x)                                                          \
  Field {                                                                          \
#x, [](const FaultProfile& a, const FaultProfile& b) { return !(a.x == b.x); } \
  }
const std::vector<Field> kFields = {
    FLEETSIM_FIELD(name),
    FLEETSIM_FIELD(weight),
    FLEETSIM_FIELD(error_rate_increase),
    FLEETSIM_FIELD(latency_factor),
    FLEETSIM_FIELD(onset_delay),
    FLEETSIM_FIELD(error_rate_factor),
    FLEETSIM_FIELD(ramp),
    FLEETSIM_FIELD(flapping),
    FLEETSIM_FIELD(request_fraction),
    FLEETSIM_FIELD(regions),
    FLEETSIM_FIELD(clusters),
    FLEETSIM_FIELD(min_load),
    FLEETSIM_FIELD(trigger),
    FLEETSIM_FIELD(crash_fraction),
    FLEETSIM_FIELD(blocks_rollback),
    FLEETSIM_FIELD(repair),
    FLEETSIM_FIELD(visible_errors),
    FLEETSIM_FIELD(visible_latency),
    FLEETSIM_FIELD(service),
};
#undef FLEETSIM_FIELD

TEST_CASE("every FaultProfile field is set by a key of FaultKeys()", "[fault_keys]") {
  REQUIRE(kFields.size() == kFieldCount);
  const FaultProfile bare = Bare();
  std::vector<FaultProfile> examples;
  for (const FaultKey& key : FaultKeys()) examples.push_back(WithKey(key));
  for (const Field& field : kFields) {
    INFO("FaultProfile::" << field.name);
    bool set = false;
    for (const FaultProfile& p : examples) set = set || field.differs(p, bare);
    CHECK(set);
  }
}

TEST_CASE("every shape key makes Plain() false and the original five keep it true",
          "[fault_keys]") {
  CHECK(Bare().Plain());
  CHECK(FaultProfile{}.Plain());
  for (const FaultKey& key : FaultKeys()) {
    INFO(key.key << ": " << key.example);
    const FaultProfile p = WithKey(key);
    CHECK(p != Bare());  // the example really sets something
    CHECK(p.Plain() == !key.shape);
  }
}

// The keys at the start of a line in `block` ("    key:" or "  - key:").
std::set<std::string> LeadingKeys(const std::string& block) {
  std::set<std::string> keys;
  const std::regex line_key(R"((^|\n)(    |  - )([a-z_]+):)");
  for (auto it = std::sregex_iterator(block.begin(), block.end(), line_key);
       it != std::sregex_iterator(); ++it)
    keys.insert((*it)[3]);
  return keys;
}

TEST_CASE("the README's fault example and sim/fault.h name exactly the keys of FaultKeys()",
          "[fault_keys][docs]") {
  std::set<std::string> all, shapes;
  for (const FaultKey& key : FaultKeys()) {
    all.insert(key.key);
    if (key.shape) shapes.insert(key.key);
  }
  const std::string readme = testing::ReadFile(std::string(FLEETSIM_SOURCE_DIR) + "/README.md");
  const size_t begin = readme.find("```yaml\nfaults:\n");
  REQUIRE(begin != std::string::npos);
  const size_t end = readme.find("\nchanges:", begin);
  REQUIRE(end != std::string::npos);
  const std::string block = readme.substr(begin, end - begin);
  for (const std::string& key : all) {
    INFO("README fault example lacks " << key);
    CHECK(block.find(key + ":") != std::string::npos);
  }
  for (const std::string& key : LeadingKeys(block)) {
    INFO("README fault example has " << key << ", which no parser reads");
    CHECK(all.count(key) == 1);
  }

  const std::string header = testing::ReadFile(std::string(FLEETSIM_SOURCE_DIR) + "/sim/fault.h");
  const size_t list = header.find("says what to touch for a new one:");
  const size_t stop = header.find("#pragma once");
  REQUIRE(list != std::string::npos);
  REQUIRE(stop != std::string::npos);
  std::set<std::string> listed;
  const std::regex item(R"(\n//   ([a-z_]+)(, ([a-z_]+))?)");
  const std::string comment = header.substr(list, stop - list);
  for (auto it = std::sregex_iterator(comment.begin(), comment.end(), item);
       it != std::sregex_iterator(); ++it) {
    listed.insert((*it)[1]);
    if ((*it)[3].matched) listed.insert((*it)[3]);
  }
  CHECK(listed == shapes);
}

TEST_CASE("an unknown fault key is a located error listing every key", "[fault_keys]") {
  Result<Scenario> s =
      ParseScenario(std::string(kWorld) + "  - {name: f, colour: red}\n", "bad.yaml");
  REQUIRE_FALSE(s.ok());
  const std::string e = s.status().message();
  CHECK(e.find("bad.yaml:9:") == 0);
  CHECK(e.find("unknown key 'colour' in faults[]") != std::string::npos);
  for (const FaultKey& key : FaultKeys()) {
    INFO(key.key);
    CHECK(e.find(key.key) != std::string::npos);
  }
}

}  // namespace
}  // namespace fleetsim
