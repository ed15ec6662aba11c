// AWS AppConfig and CodeDeploy import (import/appconfig_import.h, codedeploy_import.h,
// cloudwatch_alarm_import.h) from inputs written from AWS's documented fields: API / CLI JSON,
// CloudFormation templates with their CloudWatch alarms, and the predefined names.
#include <catch2/catch.hpp>

#include "tests/import/import_test_support.h"

namespace fleetsim {
namespace {

using testing::ImportError;
using testing::ImportOk;
using testing::PolicyOf;
using testing::RowFor;
using testing::RowFrom;

TEST_CASE("appconfig: an API strategy object (JSON) becomes linear from 0%", "[import][aws]") {
  const import::ImportedPolicy p = ImportOk(
      R"({"Id": "abc1234", "Name": "TenHours", "DeploymentDurationInMinutes": 600,
          "GrowthType": "LINEAR", "GrowthFactor": 20, "FinalBakeTimeInMinutes": 30,
          "ReplicateTo": "NONE"})",
      "s.json");
  CHECK(p.format == import::SpecFormat::kAppConfig);
  CHECK(p.name == "TenHours");
  const Policy policy = PolicyOf(p);
  CHECK(policy.rollout->Kind() == "linear");
  const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
  REQUIRE(plan.steps.size() == 6);  // 0% hold, 20, 40, 60, 80, 100
  CHECK(plan.steps[0].fraction == 0.0);
  CHECK(plan.steps[0].bake == SimTime::Hours(2));
  CHECK(plan.steps[5].fraction == 1.0);
  CHECK(plan.steps[5].bake == SimTime::Minutes(30));
  CHECK_FALSE(policy.health);  // no alarm given
  CHECK(RowFrom(p, "DeploymentStrategy")->disposition == import::Disposition::kNotSimulated);
  CHECK(RowFrom(p, "DeploymentStrategy.ReplicateTo")->disposition ==
        import::Disposition::kNoEffect);
}

TEST_CASE("appconfig: the predefined strategies", "[import][aws]") {
  struct Case {
    const char* name;
    const char* kind;
    size_t steps;
    SimTime interval, bake;
  };
  const Case cases[] = {
      {"AppConfig.Linear20PercentEvery6Minutes", "linear", 6, SimTime::Minutes(6),
       SimTime::Minutes(30)},
      {"AppConfig.Canary10Percent20Minutes", "exponential", 6, SimTime::Minutes(4),
       SimTime::Minutes(10)},  // 10, 20, 40, 80, 100 over 20 min
      {"AppConfig.Linear50PercentEvery30Seconds", "linear", 3, SimTime::Seconds(30),
       SimTime::Minutes(1)},
      {"AppConfig.AllAtOnce", "big_bang", 1, SimTime::Zero(), SimTime::Minutes(10)},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const import::ImportedPolicy p = ImportOk(std::string(c.name) + "\n", c.name);
    const Policy policy = PolicyOf(p);
    CHECK(policy.rollout->Kind() == c.kind);
    const RolloutPlan plan = policy.rollout->Plan(ChangeInfo{});
    REQUIRE(plan.steps.size() == c.steps);
    if (c.steps > 1) CHECK(plan.steps[0].bake == c.interval);
    CHECK(plan.steps.back().bake == c.bake);
  }
}

const char* const kAppConfigTemplate = R"(AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Strategy:
    Type: AWS::AppConfig::DeploymentStrategy
    Properties:
      Name: Linear20Over10h
      DeploymentDurationInMinutes: 600
      GrowthFactor: 20
      GrowthType: LINEAR
      FinalBakeTimeInMinutes: 60
      ReplicateTo: NONE
  ErrorAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: app-5xx-rate
      MetricName: ErrorRate
      Namespace: MyApp
      Statistic: Average
      Period: 60
      EvaluationPeriods: 3
      DatapointsToAlarm: 3
      Threshold: 0.02
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
  Prod:
    Type: AWS::AppConfig::Environment
    Properties:
      ApplicationId: !Ref App
      Name: prod
      Monitors:
        - AlarmArn: !GetAtt ErrorAlarm.Arn
          AlarmRoleArn: arn:aws:iam::123456789012:role/appconfig
  App:
    Type: AWS::AppConfig::Application
    Properties: {Name: my-app}
)";

TEST_CASE("appconfig: CloudFormation with the environment's alarm rolls back on it",
          "[import][aws]") {
  CHECK_THAT(ImportError(kAppConfigTemplate, "t.yaml"),
             Catch::Contains("t.yaml:15:7") && Catch::Contains("'app-5xx-rate'") &&
                 Catch::Contains("--metric ErrorRate=") &&
                 Catch::Contains("--ignore-metric app-5xx-rate"));
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("ErrorRate=error_rate").ok());
  const import::ImportedPolicy p = ImportOk(kAppConfigTemplate, "t.yaml", options);
  const Policy policy = PolicyOf(p);
  REQUIRE(policy.health);
  const HealthSchedule s = policy.health->Schedule();
  CHECK(s.interval == SimTime::Minutes(1));
  CHECK(s.consecutive_failure_limit == 3);  // 3 of the last 3 periods
  CHECK(s.on_failure == FailureAction::kRollback);
  CHECK_THAT(p.yaml, Catch::Contains("metric: error_rate") && Catch::Contains("max: 0.02"));
  CHECK(RowFrom(p, "Resources.App")->disposition == import::Disposition::kNoEffect);
  // M of N with M < N is approximated.
  options = {};
  REQUIRE(options.metrics.AddFlag("ErrorRate=error_rate").ok());
  const import::ImportedPolicy m = ImportOk(
      testing::ReplaceFirst(kAppConfigTemplate, "DatapointsToAlarm: 3", "DatapointsToAlarm: 2"),
      "t.yaml", options);
  CHECK(RowFor(m, "health.failure_limit")->disposition == import::Disposition::kApproximated);
}

TEST_CASE("codedeploy: EC2 minimum healthy hosts and the predefined configs", "[import][aws]") {
  const import::ImportedPolicy p = ImportOk(R"({"deploymentConfigInfo": {"deploymentConfigId": "x",
                   "deploymentConfigName": "SixOfNine",
                   "minimumHealthyHosts": {"value": 6, "type": "HOST_COUNT"},
                   "computePlatform": "Server"}})",
                                            "c.json");
  CHECK(p.format == import::SpecFormat::kCodeDeploy);
  const Policy policy = PolicyOf(p);
  CHECK(policy.rollout->Kind() == "big_bang");
  REQUIRE(policy.deploy);
  REQUIRE(policy.deploy->minimum_healthy);
  CHECK(policy.deploy->minimum_healthy->type == MinimumHealthyHosts::Type::kHostCount);
  CHECK(policy.deploy->minimum_healthy->value == 6);
  const Policy half = PolicyOf(ImportOk("CodeDeployDefault.HalfAtATime\n", "n"));
  CHECK(half.deploy->minimum_healthy->type == MinimumHealthyHosts::Type::kFleetPercent);
  CHECK(half.deploy->minimum_healthy->value == 50);
  const import::ImportedPolicy one = ImportOk("CodeDeployDefault.OneAtATime\n", "n");
  CHECK(*PolicyOf(one).deploy->max_unavailable_hosts == 1);
  CHECK(RowFor(one, "deploy.max_unavailable")->disposition == import::Disposition::kApproximated);
}

TEST_CASE("codedeploy: Lambda/ECS traffic shifting", "[import][aws]") {
  const RolloutPlan canary =
      PolicyOf(ImportOk("CodeDeployDefault.LambdaCanary10Percent5Minutes\n", "n"))
          .rollout->Plan(ChangeInfo{});
  REQUIRE(canary.steps.size() == 2);
  CHECK(canary.steps[0].fraction == Approx(0.1));
  CHECK(canary.steps[0].bake == SimTime::Minutes(5));
  const import::ImportedPolicy linear = ImportOk(
      "computePlatform: ECS\ntrafficRoutingConfig:\n  type: TimeBasedLinear\n"
      "  timeBasedLinear: {linearPercentage: 25, linearInterval: 3}\n",
      "l.yaml");
  const RolloutPlan l = PolicyOf(linear).rollout->Plan(ChangeInfo{});
  REQUIRE(l.steps.size() == 4);  // 25, 50, 75 at once and every 3 min, then 100
  CHECK(l.steps[0].fraction == Approx(0.25));
  CHECK(l.steps[2].bake == SimTime::Minutes(3));
  CHECK(l.steps[3].fraction == 1.0);
  CHECK(PolicyOf(ImportOk("CodeDeployDefault.ECSAllAtOnce\n", "n")).rollout->Kind() == "big_bang");
}

TEST_CASE("codedeploy: a deployment group's alarms stop, and with auto-rollback roll back",
          "[import][aws]") {
  const std::string t = R"(Resources:
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: web
      DeploymentConfigName: CodeDeployDefault.LambdaCanary10Percent10Minutes
      AlarmConfiguration:
        Enabled: true
        Alarms: [{Name: !Ref Errors}]
      AutoRollbackConfiguration:
        Enabled: true
        Events: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM]
  Errors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: Errors
      Period: 60
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
)";
  import::ImportOptions options;
  REQUIRE(options.metrics.AddFlag("Errors=error_rate:percent").ok());
  const import::ImportedPolicy p = ImportOk(t, "g.yaml", options);
  const Policy policy = PolicyOf(p);
  CHECK(policy.rollout->Plan(ChangeInfo{}).steps[0].bake == SimTime::Minutes(10));
  REQUIRE(policy.health);
  CHECK(policy.health->Schedule().on_failure == FailureAction::kRollback);
  CHECK(policy.health->Schedule().failure_limit == 1);
  CHECK_THAT(p.yaml, Catch::Contains("max: 0.01"));
  // Without DEPLOYMENT_STOP_ON_ALARM the stopped deployment waits for a person.
  const Policy paused =
      PolicyOf(ImportOk(testing::ReplaceFirst(t, "DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM",
                                              "DEPLOYMENT_FAILURE"),
                        "g.yaml", options));
  CHECK(paused.health->Schedule().on_failure == FailureAction::kPause);
  // An alarm the template does not define is an error naming it.
  CHECK_THAT(ImportError(testing::ReplaceFirst(t, "{Name: !Ref Errors}", "{Name: elsewhere}"),
                         "g.yaml", options),
             Catch::Contains("g.yaml:9:") && Catch::Contains("'elsewhere'") &&
                 Catch::Contains("--ignore-metric elsewhere"));
}

TEST_CASE("aws: errors at file:line:col", "[import][aws][errors]") {
  CHECK_THAT(ImportError("{\"GrowthType\": \"STEP\", \"GrowthFactor\": 10, "
                         "\"DeploymentDurationInMinutes\": 5}",
                         "s.json"),
             Catch::Contains("s.json:1:16") && Catch::Contains("LINEAR or EXPONENTIAL"));
  CHECK_THAT(ImportError("GrowthFactor: 0\nDeploymentDurationInMinutes: 5\n", "s.yaml"),
             Catch::Contains("s.yaml:1:15") && Catch::Contains("[1, 100]"));
  CHECK_THAT(ImportError("minimumHealthyHosts: {type: HOSTS, value: 2}\n", "c.yaml"),
             Catch::Contains("c.yaml:1:29") && Catch::Contains("HOST_COUNT or FLEET_PERCENT"));
  CHECK_THAT(ImportError("CodeDeployDefault.Nope\n", "n"), Catch::Contains("not a spec"));
}

}  // namespace
}  // namespace fleetsim
