// AWS helpers shared by the AppConfig and CodeDeploy importers: CloudFormation templates
// (resources by logical id, Ref / Fn::GetAtt in both YAML-tag and JSON form), AWS field names
// in either PascalCase (API, CloudFormation) or camelCase (CLI and SDK JSON), and CloudWatch
// alarms, which is how both services decide to roll back.
//
// A CloudWatch alarm (AWS::CloudWatch::Alarm) becomes one threshold check: the metrics table
// says what MetricName (or the metric-math expression) measures; ComparisonOperator and
// Threshold give the bound (GreaterThanThreshold T: pass while value <= T); Period is the
// health interval; the alarm fires when DatapointsToAlarm of the last EvaluationPeriods
// periods breach: 1 of 1 -> failure_limit 1; N of N -> N consecutive failing verdicts; M of N
// with M < N is approximated as M failing verdicts in total. TreatMissingData breaching makes
// a period with no canary traffic a failure; missing, notBreaching and ignore do not count it.
//
// Throws ConfigError at file:line:col; writes the context's policy.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "import/import_context.h"
#include "import/spec_format.h"

namespace fleetsim::import {

// `Name` in PascalCase, or its camelCase form.
std::optional<SpecField> AwsField(const SpecField& object, const std::string& pascal_name);

class CfnTemplate {
 public:
  explicit CfnTemplate(const SpecDocument& doc);
  // (logical id, the resource's Properties) of every resource of `type`.
  std::vector<std::pair<std::string, SpecField>> OfType(const std::string& type) const;
  // Every resource (logical id, type, resource mapping).
  struct Resource {
    std::string id;
    std::string type;
    SpecField node;
  };
  const std::vector<Resource>& resources() const { return resources_; }
  // The logical id a Ref / GetAtt points to, or the literal string; nullopt for other forms.
  static std::optional<std::string> Reference(const SpecField& value);

 private:
  std::vector<Resource> resources_;
};

// The alarms of `templates` named by `refs` (each a Ref, GetAtt, alarm name or alarm ARN),
// written as the policy's health section; `on_failure` is rollback or pause; `why` is the
// field that attaches the alarms (Monitors, AlarmConfiguration) for the report. Fails at a
// reference no template resolves, unless --ignore-metric names the alarm.
void ImportCloudWatchAlarms(const std::vector<SpecField>& refs,
                            const std::vector<CfnTemplate>& templates,
                            const std::string& on_failure, const std::string& on_failure_note,
                            ImportContext& ctx);

}  // namespace fleetsim::import
