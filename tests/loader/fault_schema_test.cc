// The YAML schema of the fault model, infrastructure and people (loader/fault_yaml.h,
// loader/response_yaml.h): every key parses into the documented field, defaults switch every
// shape off, and bad input is reported as file:line:col with what was expected.
#include <catch2/catch.hpp>

#include "loader/scenario_loader.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

const char* const kWorld = R"(name: schema
duration: 2d
fleet:
  regions:
    - {name: europe, clusters: [{name: eu-a, hosts: 100}, {name: eu-b, hosts: 100}]}
    - {name: asia, hosts: 100}
)";

std::string ErrorOf(const std::string& yaml) {
  Result<Scenario> s = ParseScenario(yaml, "bad.yaml");
  REQUIRE_FALSE(s.ok());
  return s.status().message();
}

TEST_CASE("every fault shape, infrastructure and people key parses into its field",
          "[fault_schema]") {
  const std::string yaml = std::string(kWorld) + R"(
faults:
  - name: everything
    error_rate_increase: 0.01
    error_rate_factor: 3
    latency_factor: 1.5
    onset_delay: 5m
    ramp: 2h
    flapping: {period: 10m, bad_share: 0.3}
    request_fraction: 28%
    regions: [europe]
    clusters: [eu-a]
    min_load: 120
    trigger: {label: customer-config, at: 1d}
    crash_fraction: 0.25
    blocks_rollback: {repair: 3h, sigma: 0.4}
    visible_in: [errors]
    service: db
  - {name: plain, error_rate_increase: 0.05}
changes:
  injected:
    - {at: 1h, fault: everything, label: code}
    - at: 25h
      label: customer-config
      bypass: {propagation: 30s, regions: {asia: 2m}}
humans:
  misdiagnosis: {probability: 0.4, delay: {median: 45m, sigma: 0.2}}
  mitigation: kill_switch
infrastructure:
  outages:
    - {region: asia, at: 3h, for: 1h}
    - {cluster: eu-b, at: 4h, for: 30m}
  unreachable_hosts: 2%
  propagation_delay: {default: 1m, regions: {asia: 5m}}
automation: {enabled: false, rollback_delay: 10m, rollback_failure_probability: 0.5}
severity:
  - {level: 1, impacted_traffic: 0.3}
  - {level: 2, failed_requests: 10000}
services:
  - {name: web, depends_on: [{service: auth, weight: 0.6}]}
  - {name: auth, depends_on: [{service: db, weight: 0.9}]}
  - {name: db}
)";
  Scenario s = testing::ScenarioFromYaml(yaml);
  REQUIRE(s.faults.faults.size() == 2);
  const FaultProfile& f = s.faults.faults[0];
  CHECK(f.error_rate_factor == 3);
  CHECK(f.ramp == SimTime::Hours(2));
  CHECK(f.flapping.period == SimTime::Minutes(10));
  CHECK(f.flapping.bad_share == Approx(0.3));
  CHECK(f.request_fraction == Approx(0.28));
  CHECK(f.regions == std::vector<std::string>{"europe"});
  CHECK(f.clusters == std::vector<std::string>{"eu-a"});
  CHECK(f.min_load == 120);
  CHECK(f.trigger.label == "customer-config");
  CHECK(f.trigger.has_time);
  CHECK(f.trigger.at == SimTime::Days(1));
  CHECK(f.crash_fraction == Approx(0.25));
  CHECK(f.blocks_rollback);
  CHECK(f.repair.median == SimTime::Hours(3));
  CHECK(f.repair.sigma == Approx(0.4));
  CHECK(f.visible_errors);
  CHECK_FALSE(f.visible_latency);
  CHECK(f.service == "db");
  CHECK_FALSE(f.Plain());
  CHECK(s.faults.faults[1].Plain());

  REQUIRE(s.changes.injected.size() == 2);
  CHECK_FALSE(s.changes.injected[0].bypass.enabled);
  const BypassSpec& b = s.changes.injected[1].bypass;
  CHECK(b.enabled);
  CHECK(b.propagation == SimTime::Seconds(30));
  REQUIRE(b.regions.size() == 1);
  CHECK(b.regions[0].first == "asia");
  CHECK(b.regions[0].second == SimTime::Minutes(2));

  CHECK(s.humans.misdiagnosis_probability == Approx(0.4));
  CHECK(s.humans.misdiagnosis_median == SimTime::Minutes(45));
  CHECK(s.humans.misdiagnosis_sigma == Approx(0.2));
  CHECK(s.humans.mitigation == HumanSpec::Mitigation::kKillSwitch);

  REQUIRE(s.infrastructure.outages.size() == 2);
  CHECK(s.infrastructure.outages[0].region == "asia");
  CHECK(s.infrastructure.outages[1].cluster == "eu-b");
  CHECK(s.infrastructure.outages[1].duration == SimTime::Minutes(30));
  CHECK(s.infrastructure.unreachable_hosts == Approx(0.02));
  CHECK(s.infrastructure.propagation_delay.enabled());
  CHECK(s.infrastructure.propagation_delay.ForRegion("asia") == SimTime::Minutes(5));
  CHECK(s.infrastructure.propagation_delay.ForRegion("europe") == SimTime::Minutes(1));

  CHECK_FALSE(s.automation.enabled);
  CHECK(s.automation.rollback_delay == SimTime::Minutes(10));
  CHECK(s.automation.rollback_failure_probability == Approx(0.5));

  REQUIRE(s.severity.levels.size() == 2);
  CHECK(SevLevel(s.severity, 0.5, 0) == 1);
  CHECK(SevLevel(s.severity, 0.1, 20000) == 2);
  CHECK(SevLevel(s.severity, 0.5, 20000) == 1);
  CHECK(SevLevel(s.severity, 0.1, 100) == 0);

  REQUIRE(s.services.services.size() == 3);
  CHECK(s.services.services[0].name == "web");
}

TEST_CASE("without the new keys every shape, infrastructure and people block is off",
          "[fault_schema]") {
  Scenario s = testing::ScenarioFromYaml(
      std::string(kWorld) + "faults: [{name: f, error_rate_increase: 0.1, onset_delay: 5m}]\n");
  CHECK(s.faults.faults[0].Plain());
  CHECK(s.automation.Default());
  CHECK(s.infrastructure.outages.empty());
  CHECK(s.infrastructure.unreachable_hosts == 0);
  CHECK_FALSE(s.infrastructure.propagation_delay.enabled());
  CHECK(s.severity.levels.empty());
  CHECK(s.services.empty());
  CHECK(s.humans.misdiagnosis_probability == 0);
  CHECK(s.humans.mitigation == HumanSpec::Mitigation::kRollback);
}

TEST_CASE("fault schema errors name file, line and column and what was expected",
          "[fault_schema]") {
  const std::string w(kWorld);
  // Line numbers: kWorld has 6 lines; the faults list starts on line 7.
  std::string e = ErrorOf(w + "faults:\n  - {name: f, flaping: {period: 5m}}\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("flaping") != std::string::npos);

  e = ErrorOf(w + "faults:\n  - {name: f, regions: [mars]}\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("unknown region 'mars'") != std::string::npos);

  e = ErrorOf(w + "faults:\n  - {name: f, trigger: {label: nope}}\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("no injected change is labelled 'nope'") != std::string::npos);

  e = ErrorOf(w + "faults:\n  - {name: f, crash_fraction: 1}\n");
  CHECK(e.find("expected less than 1") != std::string::npos);

  e = ErrorOf(w + "faults:\n  - {name: f, visible_in: [cpu]}\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("expected errors or latency") != std::string::npos);

  e = ErrorOf(w + "faults:\n  - {name: f, service: db}\n");
  CHECK(e.find("unknown service 'db'") != std::string::npos);

  e = ErrorOf(
      w +
      "changes:\n  injected:\n    - {at: 1h, bypass: {propagation: 30s, regions: {mars: 1m}}}\n");
  CHECK(e.find("bad.yaml:9:") == 0);
  CHECK(e.find("unknown region 'mars'") != std::string::npos);

  e = ErrorOf(w + "infrastructure:\n  outages: [{region: asia, cluster: eu-a, at: 1h, for: 1h}]\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("exactly one of region: or cluster:") != std::string::npos);

  e = ErrorOf(w + "infrastructure:\n  propagation_delay: {default: 1m, regions: {mars: 2m}}\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("propagation_delay.regions: unknown region 'mars'") != std::string::npos);

  e = ErrorOf(w + "infrastructure:\n  propagation_delay: {default: -1m}\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("propagation_delay.default: invalid duration '-1m'") != std::string::npos);

  e = ErrorOf(w + "infrastructure:\n  propagation_delay: {defualt: 1m}\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("defualt") != std::string::npos);

  e = ErrorOf(w + "automation: {rollbak_delay: 5m}\n");
  CHECK(e.find("bad.yaml:7:") == 0);
  CHECK(e.find("rollbak_delay") != std::string::npos);

  e = ErrorOf(w + "humans: {mitigation: pray}\n");
  CHECK(e.find("expected rollback or kill_switch") != std::string::npos);

  e = ErrorOf(w + "severity: [{level: 1}]\n");
  CHECK(e.find("expected impacted_traffic: and/or failed_requests:") != std::string::npos);

  e = ErrorOf(w +
              "services:\n  - {name: a, depends_on: [{service: b}]}\n  - {name: b, depends_on: "
              "[{service: a}]}\n");
  CHECK(e.find("bad.yaml:8:") == 0);
  CHECK(e.find("cycle") != std::string::npos);
}

}  // namespace
}  // namespace fleetsim
