#include "import/appconfig_import.h"

#include <cmath>

#include "import/cloudwatch_alarm_import.h"

namespace fleetsim::import {

namespace {

constexpr const char* kVendor = "AWS AppConfig";

// AWS AppConfig user guide, "Predefined deployment strategies".
constexpr PredefinedAppConfig kPredefined[] = {
    {"AppConfig.Linear20PercentEvery6Minutes", false, 20, 30, 30},
    {"AppConfig.Canary10Percent20Minutes", true, 10, 20, 10},
    {"AppConfig.AllAtOnce", false, 100, 0, 10},
    {"AppConfig.Linear50PercentEvery30Seconds", false, 50, 1, 1},
};

// One strategy, from whichever form it was given in.
struct Strategy {
  std::optional<SpecField> object;  // API/CLI object or CloudFormation Properties
  const PredefinedAppConfig* predefined = nullptr;
  std::optional<SpecField> predefined_from;  // the field or document that names it
  std::string label;
};

}  // namespace

const PredefinedAppConfig* FindPredefinedAppConfig(const std::string& name) {
  for (const PredefinedAppConfig& p : kPredefined) {
    if (name == p.name) return &p;
  }
  return nullptr;
}

namespace {

void EmitRollout(const Strategy& s, ImportContext& ctx, std::string* name) {
  DraftNode& rollout = ctx.policy().Child("rollout");
  bool exponential = false;
  double g = 0;
  int64_t duration = 0, bake = 0;
  std::optional<SpecField> gt_f, gf_f, d_f, b_f;
  if (s.predefined) {
    exponential = s.predefined->exponential;
    g = s.predefined->growth_factor;
    duration = s.predefined->duration_minutes;
    bake = s.predefined->final_bake_minutes;
    *name = s.predefined->name;
  } else {
    const SpecField& o = *s.object;
    o.RequireKnownKeys(
        {"Id", "Name", "Description", "DeploymentDurationInMinutes", "FinalBakeTimeInMinutes",
         "GrowthFactor", "GrowthType", "ReplicateTo", "Tags", "id", "name", "description",
         "deploymentDurationInMinutes", "finalBakeTimeInMinutes", "growthFactor", "growthType",
         "replicateTo", "tags"},
        kVendor);
    for (const char* key : {"Id", "Description", "ReplicateTo", "Tags"}) {
      if (auto f = AwsField(o, key)) ctx.NoEffect(*f, "strategy metadata");
    }
    if (auto f = AwsField(o, "Name")) {
      *name = f->String();
      ctx.NoEffect(*f, "the strategy's name becomes the policy's name");
    }
    gt_f = AwsField(o, "GrowthType");
    if (gt_f) {
      const std::string t = gt_f->String();
      if (t != "LINEAR" && t != "EXPONENTIAL")
        gt_f->Fail("GrowthType: expected LINEAR or EXPONENTIAL, got '" + t + "'");
      exponential = t == "EXPONENTIAL";
    }
    gf_f = AwsField(o, "GrowthFactor");
    if (!gf_f) o.Fail(o.path() + ": missing required field 'GrowthFactor'");
    g = gf_f->Number();
    if (g < 1 || g > 100) gf_f->Fail("GrowthFactor: expected a percent in [1, 100]");
    d_f = AwsField(o, "DeploymentDurationInMinutes");
    if (!d_f) o.Fail(o.path() + ": missing required field 'DeploymentDurationInMinutes'");
    duration = d_f->Int();
    if (duration < 0 || duration > 1440)
      d_f->Fail("DeploymentDurationInMinutes: expected 0 to 1440 minutes");
    b_f = AwsField(o, "FinalBakeTimeInMinutes");
    if (b_f) {
      bake = b_f->Int();
      if (bake < 0 || bake > 1440) b_f->Fail("FinalBakeTimeInMinutes: expected 0 to 1440");
    }
  }
  // Every setting's report row points at its field, or at the predefined name.
  const SpecField& pre = s.predefined ? *s.predefined_from : *s.object;
  const std::string pre_note =
      s.predefined ? std::string(s.predefined->name) + " (AWS predefined strategy)" : "";
  auto put = [&](const std::string& key, const std::string& value,
                 const std::optional<SpecField>& f, const std::string& note) {
    const std::string n = s.predefined ? pre_note + (note.empty() ? "" : "; " + note) : note;
    ctx.Map(rollout, "rollout." + key, key, value, f ? *f : pre, n);
  };
  const std::string bake_text = FormatDuration(SimTime::Minutes(bake));
  if (duration == 0) {
    put("kind", "big_bang", d_f, "a deployment of 0 minutes reaches every target at once");
    put("bake", bake_text, b_f, "FinalBakeTimeInMinutes: alarms still roll back");
    return;
  }
  // The number of equal steps to 100%, spread over the duration from 0% at time 0.
  int steps = 0;
  if (exponential) {
    for (double p = g; p < 100 - 1e-9; p *= 2) ++steps;
    ++steps;  // the last step to 100%
  } else {
    steps = static_cast<int>(std::ceil(100.0 / g - 1e-9));
  }
  const int64_t total_ms = duration * 60'000;
  const int64_t interval_ms = (total_ms + steps / 2) / steps;
  const bool exact = interval_ms * steps == total_ms;
  const std::string interval = FormatDuration(SimTime::Millis(interval_ms));
  if (exponential) {
    put("kind", "exponential", gt_f, "G x 2^N percent of the targets");
    put("initial", FormatNumber(g), gf_f, "the growth factor G");
  } else {
    put("kind", "linear", gt_f, gt_f ? "" : "AppConfig's default growth type");
    put("step", FormatNumber(g), gf_f, "percent added at each step");
  }
  std::string note = std::to_string(steps) + " steps to 100% over " + std::to_string(duration) +
                     " minutes, the first after one interval (0% at "
                     "time 0)";
  if (!exact) note += "; rounded to the millisecond";
  if (exponential) {
    ctx.Approximate(rollout, "rollout.interval", "interval", interval, d_f ? *d_f : pre,
                    (s.predefined ? pre_note + "; " : std::string()) + note +
                        "; AWS does not document how exponential steps are spaced: fleetsim "
                        "spaces them evenly, as for LINEAR");
  } else if (!exact) {
    ctx.Approximate(rollout, "rollout.interval", "interval", interval, d_f ? *d_f : pre, note);
  } else {
    put("interval", interval, d_f, note);
  }
  ctx.Derived(rollout, "rollout.start_at_zero", "start_at_zero", "true",
              "AppConfig's timeline starts at 0% at time 0", pre.Where());
  put("final_bake", bake_text, b_f, "after 100%, alarms are still watched and roll back");
}

}  // namespace

std::string ImportAppConfig(const SpecInput& input, ImportContext& ctx) {
  std::vector<Strategy> strategies;
  std::vector<CfnTemplate> templates;
  std::vector<SpecField> deployments;
  for (const SpecDocument& d : input.documents) {
    if (d.kind == DocKind::kAppConfigStrategy) {
      Strategy s;
      s.object = SpecField(d.root, "DeploymentStrategy");
      s.label = d.Label();
      strategies.push_back(s);
    } else if (d.kind == DocKind::kAppConfigPredefined) {
      Strategy s;
      s.predefined = FindPredefinedAppConfig(d.root.node.Scalar());
      s.predefined_from = SpecField(d.root, d.root.node.Scalar());
      s.label = d.root.node.Scalar();
      strategies.push_back(s);
    } else if (d.kind == DocKind::kCloudFormation) {
      templates.emplace_back(d);
    }
  }
  for (const CfnTemplate& t : templates) {
    for (const CfnTemplate::Resource& r : t.resources()) {
      if (r.type == "AWS::AppConfig::DeploymentStrategy") {
        Strategy s;
        s.object = r.node.Required("Properties");
        s.label = "resource " + r.id;
        strategies.push_back(s);
      } else if (r.type == "AWS::AppConfig::Deployment") {
        deployments.push_back(r.node.Required("Properties"));
      } else if (r.type != "AWS::AppConfig::Environment" && r.type != "AWS::CloudWatch::Alarm") {
        ctx.NoEffect(r.node, r.type + " '" + r.id + "' is not part of the deployment strategy");
      }
    }
  }
  // The strategy a Deployment names wins; else there must be exactly one.
  std::optional<Strategy> chosen;
  std::optional<std::string> environment;
  if (deployments.size() > 1)
    deployments[1].Fail("more than one AWS::AppConfig::Deployment; import one at a time");
  if (!deployments.empty()) {
    const SpecField& dep = deployments.front();
    for (const std::string& key : dep.Keys()) {
      if (key != "DeploymentStrategyId" && key != "EnvironmentId")
        ctx.NoEffect(dep.Required(key), "what is deployed, not how");
    }
    const SpecField id_f = dep.Required("DeploymentStrategyId");
    const std::optional<std::string> id = CfnTemplate::Reference(id_f);
    if (auto env = dep.Optional("EnvironmentId")) environment = CfnTemplate::Reference(*env);
    if (id && FindPredefinedAppConfig(*id)) {
      Strategy s;
      s.predefined = FindPredefinedAppConfig(*id);
      s.predefined_from = id_f;
      chosen = s;
    } else {
      for (const CfnTemplate& t : templates) {
        for (const auto& [rid, props] : t.OfType("AWS::AppConfig::DeploymentStrategy")) {
          if (id && rid == *id) chosen = Strategy{props, nullptr, std::nullopt, "resource " + rid};
        }
      }
      if (!chosen)
        id_f.Fail(
            "DeploymentStrategyId: expected a Ref to an AWS::AppConfig::DeploymentStrategy "
            "of the template or a predefined strategy name");
    }
  } else {
    if (strategies.empty())
      return (input.documents.front().root.Fail("no AppConfig deployment strategy found"), "");
    if (strategies.size() > 1) {
      std::string all;
      for (const Strategy& s : strategies) all += (all.empty() ? "" : ", ") + s.label;
      (strategies[1].object ? *strategies[1].object : *strategies[1].predefined_from)
          .Fail("more than one AppConfig deployment strategy (" + all + "); import one at a time");
    }
    chosen = strategies.front();
  }
  std::string name = "appconfig";
  EmitRollout(*chosen, ctx, &name);
  // Alarms: the Monitors of the environment deployed to (or of every environment).
  std::vector<SpecField> alarms;
  for (const CfnTemplate& t : templates) {
    for (const auto& [rid, props] : t.OfType("AWS::AppConfig::Environment")) {
      if (environment && rid != *environment) continue;
      for (const std::string& key : props.Keys()) {
        if (key != "Monitors") ctx.NoEffect(props.Required(key), "environment metadata");
      }
      if (auto monitors = props.Optional("Monitors")) {
        for (const SpecField& m : monitors->Items()) {
          m.RequireKnownKeys({"AlarmArn", "AlarmRoleArn"}, kVendor);
          if (auto role = m.Optional("AlarmRoleArn"))
            ctx.NoEffect(*role, "the role AppConfig reads the alarm with");
          alarms.push_back(m.Required("AlarmArn"));
        }
      }
    }
  }
  if (alarms.empty()) {
    const SpecField& at = chosen->object ? *chosen->object : *chosen->predefined_from;
    ctx.NotSimulated(at,
                     "AppConfig rolls back only when a CloudWatch alarm of the environment's "
                     "Monitors goes to ALARM; none is given, so the policy has no automated "
                     "checks (add the environment and its alarms to the template)");
  } else {
    ImportCloudWatchAlarms(alarms, templates, "rollback",
                           "AppConfig rolls back when a monitor's alarm goes to ALARM during the "
                           "deployment or the final bake",
                           ctx);
  }
  return name;
}

}  // namespace fleetsim::import
