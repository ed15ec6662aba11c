#include "import/cloudwatch_alarm_import.h"

#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace fleetsim::import {

std::optional<SpecField> AwsField(const SpecField& object, const std::string& pascal_name) {
  if (!object.IsMap()) return std::nullopt;
  if (auto f = object.Optional(pascal_name)) return f;
  std::string camel = pascal_name;
  camel[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(camel[0])));
  return object.Optional(camel);
}

CfnTemplate::CfnTemplate(const SpecDocument& doc) {
  const SpecField root(doc.root, "");
  const SpecField res = root.Required("Resources");
  for (const std::string& id : res.Keys()) {
    const SpecField r = res.Required(id);
    const std::string type = r.Has("Type") ? r.Required("Type").String() : "";
    resources_.push_back(Resource{id, type, r});
  }
}

std::vector<std::pair<std::string, SpecField>> CfnTemplate::OfType(const std::string& type) const {
  std::vector<std::pair<std::string, SpecField>> out;
  for (const Resource& r : resources_) {
    if (r.type != type) continue;
    if (auto p = r.node.Optional("Properties"))
      out.emplace_back(r.id, *p);
    else
      out.emplace_back(r.id,
                       SpecField(ConfigNode{YAML::Node(YAML::NodeType::Map), r.node.config().file},
                                 r.node.path() + ".Properties"));
  }
  return out;
}

std::optional<std::string> CfnTemplate::Reference(const SpecField& value) {
  const YAML::Node& n = value.config().node;
  if (n.IsScalar()) {
    const std::string tag = n.Tag();
    std::string s = n.Scalar();
    if (tag == "!GetAtt") {
      const size_t dot = s.find('.');
      return dot == std::string::npos ? s : s.substr(0, dot);
    }
    return s;  // !Ref X, or a literal name / ARN
  }
  if (n.IsSequence() && n.Tag() == "!GetAtt" && n.size() >= 1 && n[0].IsScalar())
    return n[0].Scalar();
  if (n.IsMap()) {
    if (n["Ref"] && n["Ref"].IsScalar()) return n["Ref"].Scalar();
    const YAML::Node g = n["Fn::GetAtt"];
    if (g && g.IsSequence() && g.size() >= 1 && g[0].IsScalar()) return g[0].Scalar();
    if (g && g.IsScalar()) {
      const std::string s = g.Scalar();
      const size_t dot = s.find('.');
      return dot == std::string::npos ? s : s.substr(0, dot);
    }
  }
  return std::nullopt;
}

namespace {

constexpr const char* kVendor = "AWS CloudWatch";

struct AlarmCheck {
  std::string metric;
  std::optional<double> min, max;
  SpecField from;
  std::string note;
  bool approximated = false;
};

std::optional<SpecField> FindAlarm(const std::string& ref, const std::vector<CfnTemplate>& ts,
                                   std::string* id) {
  std::string name = ref;
  if (const size_t p = ref.rfind(":alarm:"); p != std::string::npos) name = ref.substr(p + 7);
  for (const CfnTemplate& t : ts) {
    for (const auto& [rid, props] : t.OfType("AWS::CloudWatch::Alarm")) {
      const auto an = props.Optional("AlarmName");
      if (rid == name || (an && an->IsScalar() && an->String() == name)) {
        *id = rid;
        return props;
      }
    }
  }
  return std::nullopt;
}

// How an alarm decides: one datapoint per Period, M of the last N breaching, missing data.
struct AlarmRule {
  SimTime period;
  SpecField period_from;
  int datapoints = 1;
  int evaluation = 1;
  SpecField rule_from;  // DatapointsToAlarm, else EvaluationPeriods
  std::string missing = "missing";
  std::optional<SpecField> missing_from;

  bool SameAs(const AlarmRule& o) const {
    return period == o.period && datapoints == o.datapoints && evaluation == o.evaluation &&
           missing == o.missing;
  }
};

// Rejects keys fleetsim does not know; notes the ones that change nothing in the simulation.
void CheckAlarmKeys(const SpecField& a, ImportContext& ctx) {
  a.RequireKnownKeys({"AlarmName",
                      "AlarmDescription",
                      "ActionsEnabled",
                      "AlarmActions",
                      "OKActions",
                      "InsufficientDataActions",
                      "MetricName",
                      "Namespace",
                      "Statistic",
                      "ExtendedStatistic",
                      "Dimensions",
                      "Period",
                      "Unit",
                      "EvaluationPeriods",
                      "DatapointsToAlarm",
                      "Threshold",
                      "ComparisonOperator",
                      "TreatMissingData",
                      "Metrics",
                      "EvaluateLowSampleCountPercentile",
                      "ThresholdMetricId",
                      "Tags"},
                     kVendor);
  for (const char* key :
       {"AlarmName", "AlarmDescription", "ActionsEnabled", "AlarmActions", "OKActions",
        "InsufficientDataActions", "Namespace", "Dimensions", "Unit",
        "EvaluateLowSampleCountPercentile", "Tags", "Statistic", "ExtendedStatistic"}) {
    if (auto f = a.Optional(key))
      ctx.NoEffect(*f, std::string(key) == "Statistic" || std::string(key) == "ExtendedStatistic"
                           ? "how CloudWatch aggregates the metric; the metrics table names "
                             "the fleetsim signal it stands for"
                           : "alarm metadata, actions and dimensions");
  }
  if (auto f = a.Optional("ThresholdMetricId"))
    f->Fail("alarms on an anomaly-detection band cannot be simulated");
}

// The alarm's metric as the metrics table maps it (by metric name, then alarm name); nullptr
// when the table leaves the alarm out (noted). Fails when the metric has no mapping.
const MetricMapping* AlarmMetric(const SpecField& a, const std::string& id, ImportContext& ctx,
                                 std::string* metric_name, std::string* alarm_name) {
  std::string query;
  if (auto f = a.Optional("MetricName")) *metric_name = f->String();
  if (auto ms = a.Optional("Metrics")) {
    for (const SpecField& q : ms->Items()) {
      if (auto e = q.Optional("Expression")) query += e->String() + " ";
      if (auto st = q.Optional("MetricStat")) {
        if (auto m = st->Optional("Metric")) {
          if (auto n = m->Optional("MetricName")) query += n->String() + " ";
        }
      }
    }
  }
  *alarm_name = a.Has("AlarmName") && a.Required("AlarmName").IsScalar()
                    ? a.Required("AlarmName").String()
                    : id;
  const MetricMapping* m = ctx.options().metrics.Find(*metric_name, query);
  if (!m) m = ctx.options().metrics.Find(*alarm_name, query);
  if (!m) {
    a.Fail("CloudWatch alarm '" + *alarm_name + "' on metric '" +
           (metric_name->empty() ? query : *metric_name) +
           "' has no meaning in the simulation yet: say what the metric measures with --metric " +
           (metric_name->empty() ? *alarm_name : *metric_name) +
           "=error_rate (or success_rate, latency_p99, status_2xx; a --metrics FILE entry), or "
           "leave the alarm out with --ignore-metric " +
           *alarm_name);
  }
  if (m->ignore) {
    ctx.NotSimulated(a, "alarm '" + *alarm_name + "' left out (" + m->origin + ")");
    return nullptr;
  }
  return m;
}

// Threshold and ComparisonOperator as a fleetsim threshold check on the mapped metric.
AlarmCheck ReadAlarmCheck(const SpecField& a, const MetricMapping& m,
                          const std::string& metric_name, const std::string& alarm_name) {
  const SpecField threshold = a.Required("Threshold");
  const SpecField cmp = a.Required("ComparisonOperator");
  const double t = threshold.Number();
  const std::string op = cmp.String();
  ValueBound pass;  // the values that do NOT breach
  if (op == "GreaterThanThreshold") {
    pass.max = t;
  } else if (op == "GreaterThanOrEqualToThreshold") {
    pass.max = t;
    pass.max_strict = true;
  } else if (op == "LessThanThreshold") {
    pass.min = t;
  } else if (op == "LessThanOrEqualToThreshold") {
    pass.min = t;
    pass.min_strict = true;
  } else {
    cmp.Fail("ComparisonOperator '" + op +
             "': fleetsim reads GreaterThan[OrEqualTo]Threshold and LessThan[OrEqualTo]Threshold");
  }
  const NativeThreshold nt = ToNative(m, pass);
  AlarmCheck c{nt.metric,
               nt.min,
               nt.max,
               threshold,
               "alarm '" + alarm_name + "': " + op + " " + FormatNumber(t) + "; " +
                   (metric_name.empty() ? "the metric" : metric_name) + " measures " + m.Describe(),
               false};
  if (nt.strict) c.note += "; the strict bound is read as inclusive (differs only at equality)";
  return c;
}

// Period, EvaluationPeriods, DatapointsToAlarm, TreatMissingData.
AlarmRule ReadAlarmRule(const SpecField& a) {
  const SpecField pf = a.Required("Period");
  const SimTime p = SimTime::Seconds(pf.Int());
  if (p <= SimTime::Zero()) pf.Fail("Period: expected a positive number of seconds");
  const SpecField ef = a.Required("EvaluationPeriods");
  const int e = static_cast<int>(ef.Int());
  int d = e;
  std::optional<SpecField> df = a.Optional("DatapointsToAlarm");
  if (df) d = static_cast<int>(df->Int());
  if (e < 1 || d < 1 || d > e) ef.Fail("EvaluationPeriods/DatapointsToAlarm: expected 1 <= M <= N");
  std::string tm = "missing";
  std::optional<SpecField> tmf = a.Optional("TreatMissingData");
  if (tmf) tm = tmf->String();
  if (tm != "missing" && tm != "notBreaching" && tm != "breaching" && tm != "ignore")
    tmf->Fail("TreatMissingData: expected missing, notBreaching, breaching or ignore");
  return AlarmRule{p, pf, d, e, df ? *df : ef, tm, tmf};
}

// The health schedule from the first alarm's rule (approximated when the alarms' rules differ).
void WriteSchedule(const AlarmRule& rule, bool differ, const std::string& on_failure,
                   const std::string& on_failure_note, DraftNode& health, ImportContext& ctx) {
  const std::string interval_note =
      "an alarm evaluates one datapoint per Period" +
      std::string(differ ? "; the alarms' periods or rules differ and the first alarm's are used"
                         : "");
  if (differ)
    ctx.Approximate(health, "health.interval", "interval", FormatDuration(rule.period),
                    rule.period_from, interval_note);
  else
    ctx.Map(health, "health.interval", "interval", FormatDuration(rule.period), rule.period_from,
            interval_note);
  const int datapoints = rule.datapoints;
  const int evaluation = rule.evaluation;
  if (datapoints == 1) {
    ctx.Map(health, "health.failure_limit", "failure_limit", "1", rule.rule_from,
            "the alarm fires on the first breaching period");
  } else if (datapoints == evaluation) {
    ctx.Map(health, "health.consecutive_failure_limit", "consecutive_failure_limit",
            std::to_string(datapoints), rule.rule_from,
            std::to_string(datapoints) + " of the last " + std::to_string(evaluation) +
                " periods breaching: that many in a row");
    ctx.Derived(health, "health.failure_limit", "failure_limit", "1000000000",
                "off: only breaches in a row fire the alarm", rule.rule_from.Where());
  } else {
    ctx.Approximate(
        health, "health.failure_limit", "failure_limit", std::to_string(datapoints), rule.rule_from,
        std::to_string(datapoints) + " of the last " + std::to_string(evaluation) +
            " periods: fleetsim counts " + std::to_string(datapoints) +
            " breaching periods in total, not within a window of " + std::to_string(evaluation));
  }
  if (rule.missing == "breaching") {
    ctx.Map(health, "health.on_inconclusive", "on_inconclusive", "fail", *rule.missing_from,
            "a period without canary traffic counts as breaching");
  } else if (rule.missing_from) {
    ctx.NoEffect(*rule.missing_from,
                 "a period without canary traffic is not counted (fleetsim's "
                 "default for an inconclusive verdict)");
  }
  ctx.Derived(health, "health.on_failure", "on_failure", on_failure, on_failure_note, "");
}

void WriteChecks(const std::vector<AlarmCheck>& checks, DraftNode& health, ImportContext& ctx) {
  DraftNode& out = health.Child("checks");
  for (size_t i = 0; i < checks.size(); ++i) {
    const AlarmCheck& c = checks[i];
    const std::string p = "health.checks[" + std::to_string(i) + "]";
    DraftNode& item = out.Append();
    item.Annotate(ImportContext::CommentFor(c.from), c.from.Where());
    ctx.Derived(item, p + ".kind", "kind", "threshold", "an alarm is an absolute bound",
                c.from.Where());
    ctx.Derived(item, p + ".metric", "metric", c.metric, c.note, c.from.Where());
    if (c.min) ctx.Map(item, p + ".min", "min", FormatNumber(*c.min), c.from, c.note);
    if (c.max) ctx.Map(item, p + ".max", "max", FormatNumber(*c.max), c.from, c.note);
  }
}

}  // namespace

void ImportCloudWatchAlarms(const std::vector<SpecField>& refs,
                            const std::vector<CfnTemplate>& templates,
                            const std::string& on_failure, const std::string& on_failure_note,
                            ImportContext& ctx) {
  std::vector<AlarmCheck> checks;
  std::optional<AlarmRule> rule;  // the first alarm's
  bool differ = false;
  for (const SpecField& ref : refs) {
    const std::optional<std::string> target = CfnTemplate::Reference(ref);
    if (!target) ref.Fail(ref.path() + ": expected an alarm name, ARN, Ref or Fn::GetAtt");
    std::string id;
    const std::optional<SpecField> alarm = FindAlarm(*target, templates, &id);
    if (!alarm) {
      const MetricMapping* m = ctx.options().metrics.Find(*target, "");
      if (m && m->ignore) {
        ctx.NotSimulated(ref, "alarm '" + *target + "' left out (" + m->origin + ")");
        continue;
      }
      ref.Fail("CloudWatch alarm '" + *target +
               "' is not defined in the given templates: add its AWS::CloudWatch::Alarm resource "
               "(fleetsim needs its metric, threshold and period), or leave it out with "
               "--ignore-metric " +
               *target);
    }
    CheckAlarmKeys(*alarm, ctx);
    std::string metric_name, alarm_name;
    const MetricMapping* m = AlarmMetric(*alarm, id, ctx, &metric_name, &alarm_name);
    if (!m) continue;
    checks.push_back(ReadAlarmCheck(*alarm, *m, metric_name, alarm_name));
    const AlarmRule r = ReadAlarmRule(*alarm);
    if (!rule) {
      rule = r;
    } else if (!rule->SameAs(r)) {
      differ = true;
    }
  }
  if (checks.empty()) return;
  DraftNode& health = ctx.policy().Child("health");
  WriteSchedule(*rule, differ, on_failure, on_failure_note, health, ctx);
  WriteChecks(checks, health, ctx);
}

}  // namespace fleetsim::import
