// The `outage:` block of a scenario (loader/outage_yaml.h, sim/outage_spec.h): what it parses into,
// and that bad input names file:line:col with what was expected (unknown keys, marks, missing
// sources, a triggering change that does not exist).
#include <catch2/catch.hpp>

#include <string>

#include "loader/scenario_loader.h"
#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

// A one-change scenario followed by `outage` (YAML lines at top level).
std::string WithOutage(const std::string& outage) {
  return "name: o\nduration: 2h\nfleet: {hosts: 100, regions: [{name: r}]}\n"
         "faults: [{name: f, error_rate_increase: 0.5}]\n"
         "changes: {injected: [{at: 10m, fault: f, label: trigger}, {at: 20m, label: later}]}\n" +
         outage;
}

// The error for `outage` (REQUIREs that parsing fails).
std::string OutageError(const std::string& outage) {
  Result<Scenario> r = ParseScenario(WithOutage(outage), "o.yaml");
  REQUIRE_FALSE(r.ok());
  return r.status().message();
}

// The moments every outage must state (scenarios/outages/README.md), as a flow-mapping entry.
const std::string kMoments =
    ", published: {detection: {at: 1m, tolerance: 1m}, mitigation_start: {at: 2m, tolerance: 1m}}";

const char* const kOutage =
    "outage:\n"
    "  title: T\n"
    "  date: 2019-07-02\n"
    "  change: trigger\n"
    "  clock_zero: \"13:42 UTC\"\n"
    "  sources: [{title: S, url: https://example.org/pm}]\n"
    "  published:\n"
    "    detection: {at: 3m, tolerance: 2m, mark: published, note: first page}\n"
    "    mitigation_start: {at: 25m, tolerance: 5m, mark: published}\n"
    "    recovery: {at: 1h, tolerance: 5m, mark: assumed}\n"
    "  blast_radius:\n"
    "    peak_exposed_fraction: {value: 1.0, tolerance: 0.01}\n"
    "    regions_impacted: {value: 3, mark: derived}\n"
    "  notes: [{at: 70m, text: re-enabled}]\n";

TEST_CASE("an outage block parses into its published record", "[outage][yaml]") {
  const Scenario s = ScenarioFromYaml(WithOutage(kOutage));
  REQUIRE(s.outage.has_value());
  const OutageSpec& o = *s.outage;
  CHECK(o.title == "T");
  CHECK(o.date == "2019-07-02");
  CHECK(o.change_label == "trigger");
  CHECK(o.clock_zero == "13:42 UTC");
  REQUIRE(o.sources.size() == 1);
  CHECK(o.sources[0].url == "https://example.org/pm");
  const auto& detection = o.Published(OutageMoment::kDetection);
  REQUIRE(detection.has_value());
  CHECK(detection->at == SimTime::Minutes(3));
  CHECK(detection->tolerance == SimTime::Minutes(2));
  CHECK(detection->mark == EvidenceMark::kPublished);
  CHECK(detection->note == "first page");
  CHECK(o.Published(OutageMoment::kRecovery)->mark == EvidenceMark::kAssumed);
  CHECK_FALSE(o.Published(OutageMoment::kFirstImpact).has_value());
  // Within: |simulated - at| <= tolerance, both ends included.
  CHECK(detection->Within(SimTime::Minutes(1)));
  CHECK(detection->Within(SimTime::Minutes(5)));
  CHECK_FALSE(detection->Within(SimTime::Minutes(5) + SimTime::Millis(1)));
  REQUIRE(o.peak_exposed_fraction.has_value());
  CHECK(o.peak_exposed_fraction->value == 1.0);
  CHECK(*o.peak_exposed_fraction->tolerance == 0.01);
  CHECK(o.regions_impacted->mark == EvidenceMark::kDerived);
  CHECK_FALSE(o.regions_impacted->tolerance.has_value());
  REQUIRE(o.notes.size() == 1);
  CHECK(o.notes[0].at == SimTime::Minutes(70));
  CHECK(OutageCulpritIndex(o, s.changes) == 0);
  CHECK(OutageReferenceIndex(o, s.changes) == 0);
}

TEST_CASE("without change: the outage is the first injected change with a fault",
          "[outage][yaml]") {
  const Scenario s =
      ScenarioFromYaml(WithOutage("outage: {title: T, sources: [{title: S}]" + kMoments + "}\n"));
  REQUIRE(s.outage.has_value());
  CHECK(OutageCulpritIndex(*s.outage, s.changes) == 0);
  CHECK(OutageReferenceIndex(*s.outage, s.changes) == 0);
}

TEST_CASE("a later change can trigger the culprit's latent fault at T+0", "[outage][yaml]") {
  const Scenario s = ScenarioFromYaml(
      WithOutage("outage: {title: T, sources: [{title: S}], change: later" + kMoments + "}\n"));
  CHECK(OutageReferenceIndex(*s.outage, s.changes) == 1);
  CHECK(OutageCulpritIndex(*s.outage, s.changes) == 0);
  const Scenario named = ScenarioFromYaml(
      WithOutage("outage: {title: T, sources: [{title: S}], change: later, culprit: trigger" +
                 kMoments + "}\n"));
  CHECK(OutageCulpritIndex(*named.outage, named.changes) == 0);
  CHECK_THAT(OutageError("outage: {title: T, sources: [{title: S}], culprit: later}\n"),
             Catch::Contains("o.yaml:6:") &&
                 Catch::Contains("expected the label of an injected change that carries a fault"));
}

TEST_CASE("a scenario without an outage block has none", "[outage][yaml]") {
  CHECK_FALSE(ScenarioFromYaml(WithOutage("")).outage.has_value());
}

TEST_CASE("bad outage blocks name file:line:col and what was expected",
          "[outage][yaml][bad_input]") {
  // Line numbers: the outage block starts on line 6 of WithOutage's text.
  CHECK_THAT(OutageError("outage: {title: T, sources: [{title: S}], dat: 2019}\n"),
             Catch::Contains("o.yaml:6:") && Catch::Contains("unknown key 'dat'"));
  CHECK_THAT(OutageError("outage: {title: T, sources: [{title: S}], published: {detection: {at: "
                         "3m, tolerance: 1m, mark: guessed}}}\n"),
             Catch::Contains("o.yaml:6:") &&
                 Catch::Contains("expected published, derived, secondary or assumed"));
  CHECK_THAT(OutageError("outage: {title: T, sources: [{title: S}], published: {detected: {at: 3m, "
                         "tolerance: 1m}}}\n"),
             Catch::Contains("unknown key 'detected'"));
  CHECK_THAT(
      OutageError("outage: {title: T, sources: [{title: S}], published: {detection: {at: 3m}}}\n"),
      Catch::Contains("tolerance"));
  CHECK_THAT(OutageError("outage: {title: T, sources: []}\n"),
             Catch::Contains("o.yaml:6:") && Catch::Contains("expected at least one source"));
  CHECK_THAT(OutageError("outage: {title: T}\n"), Catch::Contains("sources"));
  CHECK_THAT(
      OutageError("outage: {title: T, sources: [{title: S}], change: nope}\n"),
      Catch::Contains("o.yaml:6:") && Catch::Contains("no injected change is labelled 'nope'"));
  CHECK_THAT(OutageError("outage: {title: T, sources: [{title: S}], blast_radius: "
                         "{peak_exposed_fraction: {value: 1.5}}}\n"),
             Catch::Contains("o.yaml:6:"));
}

TEST_CASE("an outage block states when it was detected and mitigated",
          "[outage][yaml][bad_input]") {
  // scenarios/outages/README.md: every outage states at least detection and mitigation_start.
  CHECK_THAT(OutageError("outage: {title: T, sources: [{title: S}]}\n"),
             Catch::Contains("o.yaml:6:9:") && Catch::Contains("expected detection:"));
  CHECK_THAT(OutageError("outage: {title: T, sources: [{title: S}], published: {mitigation_start: "
                         "{at: 2m, tolerance: 1m}}}\n"),
             Catch::Contains("o.yaml:6:54:") && Catch::Contains("expected detection:"));
  CHECK_THAT(OutageError("outage: {title: T, sources: [{title: S}], published: {detection: {at: "
                         "1m, tolerance: 1m}}}\n"),
             Catch::Contains("expected mitigation_start:"));
}

TEST_CASE("an outage block needs an injected change with a fault", "[outage][yaml][bad_input]") {
  Result<Scenario> r = ParseScenario(
      "name: o\nduration: 2h\nfleet: {hosts: 100, regions: [{name: r}]}\n"
      "changes: {injected: [{at: 10m}]}\n"
      "outage: {title: T, sources: [{title: S}]}\n",
      "o.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("o.yaml:5:") &&
                                       Catch::Contains("expected an injected change with a fault"));
}

}  // namespace
}  // namespace fleetsim::testing
