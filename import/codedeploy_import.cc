#include "import/codedeploy_import.h"

#include "import/cloudwatch_alarm_import.h"

namespace fleetsim::import {

namespace {

constexpr const char* kVendor = "AWS CodeDeploy";

// CodeDeploy user guide, "Working with deployment configurations" (predefined configurations).
constexpr PredefinedCodeDeploy kPredefined[] = {
    {"CodeDeployDefault.OneAtATime", "Server", "MOST_CONCURRENCY", 1, "", 0, 0},
    {"CodeDeployDefault.HalfAtATime", "Server", "FLEET_PERCENT", 50, "", 0, 0},
    {"CodeDeployDefault.AllAtOnce", "Server", "FLEET_PERCENT", 0, "", 0, 0},
    {"CodeDeployDefault.LambdaCanary10Percent5Minutes", "Lambda", "", 0, "TimeBasedCanary", 10, 5},
    {"CodeDeployDefault.LambdaCanary10Percent10Minutes", "Lambda", "", 0, "TimeBasedCanary", 10,
     10},
    {"CodeDeployDefault.LambdaCanary10Percent15Minutes", "Lambda", "", 0, "TimeBasedCanary", 10,
     15},
    {"CodeDeployDefault.LambdaCanary10Percent30Minutes", "Lambda", "", 0, "TimeBasedCanary", 10,
     30},
    {"CodeDeployDefault.LambdaLinear10PercentEvery1Minute", "Lambda", "", 0, "TimeBasedLinear", 10,
     1},
    {"CodeDeployDefault.LambdaLinear10PercentEvery2Minutes", "Lambda", "", 0, "TimeBasedLinear", 10,
     2},
    {"CodeDeployDefault.LambdaLinear10PercentEvery3Minutes", "Lambda", "", 0, "TimeBasedLinear", 10,
     3},
    {"CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", "Lambda", "", 0, "TimeBasedLinear",
     10, 10},
    {"CodeDeployDefault.LambdaAllAtOnce", "Lambda", "", 0, "AllAtOnce", 0, 0},
    {"CodeDeployDefault.ECSCanary10Percent5Minutes", "ECS", "", 0, "TimeBasedCanary", 10, 5},
    {"CodeDeployDefault.ECSCanary10Percent15Minutes", "ECS", "", 0, "TimeBasedCanary", 10, 15},
    {"CodeDeployDefault.ECSLinear10PercentEvery1Minutes", "ECS", "", 0, "TimeBasedLinear", 10, 1},
    {"CodeDeployDefault.ECSLinear10PercentEvery3Minutes", "ECS", "", 0, "TimeBasedLinear", 10, 3},
    {"CodeDeployDefault.ECSAllAtOnce", "ECS", "", 0, "AllAtOnce", 0, 0},
};

struct Config {
  std::optional<SpecField> object;  // the config object (deploymentConfigInfo or Properties)
  const PredefinedCodeDeploy* predefined = nullptr;
  std::optional<SpecField> predefined_from;
  std::string label;
};

void MinimumHealthy(const std::string& type, double value, const SpecField& from,
                    const std::string& note, ImportContext& ctx) {
  DraftNode& deploy = ctx.policy().Child("deploy").Child("minimum_healthy_hosts");
  const std::string path = "deploy.minimum_healthy_hosts";
  if (type == "HOST_COUNT") {
    ctx.Map(deploy, path + ".host_count", "host_count", FormatNumber(value), from,
            note + (note.empty() ? "" : "; ") +
                "at most N - H instances are updated at a time (9 hosts, H 6: 3 at a time)");
  } else if (type == "FLEET_PERCENT") {
    ctx.Map(deploy, path + ".fleet_percent", "fleet_percent", FormatNumber(value), from,
            note + (note.empty() ? "" : "; ") +
                "H = P% of the instances rounded up (9 hosts, 40%: H 4, 5 at a time)");
  } else {
    // One (or k) at a time; fleetsim's deploy system has no "all but k" rule yet: waves of k.
    ctx.policy().Child("deploy").Erase("minimum_healthy_hosts");
    ctx.Approximate(ctx.policy().Child("deploy"), "deploy.max_unavailable", "max_unavailable",
                    FormatNumber(value), from,
                    note + (note.empty() ? "" : "; ") + "MOST_CONCURRENCY " + FormatNumber(value) +
                        ": that many instances at a time; CodeDeploy's rule that only the last "
                        "instance may fail is not applied");
  }
}

void EmitConfig(const Config& c, ImportContext& ctx, std::string* name) {
  DraftNode& rollout = ctx.policy().Child("rollout");
  if (c.predefined) {
    const PredefinedCodeDeploy& p = *c.predefined;
    const SpecField& f = *c.predefined_from;
    const std::string note = std::string(p.name) + " (AWS predefined configuration)";
    *name = p.name;
    if (std::string(p.platform) == "Server") {
      ctx.Map(rollout, "rollout.kind", "kind", "big_bang", f,
              note + ": an in-place update of every instance");
      MinimumHealthy(p.mhh_type, p.mhh_value, f, note, ctx);
      return;
    }
    const std::string routing = p.routing;
    if (routing == "TimeBasedCanary") {
      ctx.Map(rollout, "rollout.kind", "kind", "canary", f, note);
      ctx.Map(rollout, "rollout.percent", "percent", std::to_string(p.percentage), f, note);
      ctx.Map(rollout, "rollout.bake", "bake", FormatDuration(SimTime::Minutes(p.interval_minutes)),
              f, note + ": the remaining traffic shifts after the interval");
    } else if (routing == "TimeBasedLinear") {
      ctx.Map(rollout, "rollout.kind", "kind", "linear", f, note);
      ctx.Map(rollout, "rollout.step", "step", std::to_string(p.percentage), f, note);
      ctx.Map(rollout, "rollout.interval", "interval",
              FormatDuration(SimTime::Minutes(p.interval_minutes)), f,
              note + ": the first increment at once, one more every interval");
    } else {
      ctx.Map(rollout, "rollout.kind", "kind", "big_bang", f, note + ": all traffic at once");
    }
    return;
  }
  const SpecField& o = *c.object;
  o.RequireKnownKeys(
      {"deploymentConfigId", "deploymentConfigName", "DeploymentConfigName", "minimumHealthyHosts",
       "MinimumHealthyHosts", "createTime", "computePlatform", "ComputePlatform",
       "trafficRoutingConfig", "TrafficRoutingConfig", "zonalConfig", "ZonalConfig"},
      kVendor);
  for (const char* key : {"deploymentConfigId", "createTime"}) {
    if (auto f = o.Optional(key)) ctx.NoEffect(*f, "config metadata");
  }
  if (auto f = AwsField(o, "DeploymentConfigName")) {
    *name = f->String();
    ctx.NoEffect(*f, "the config's name becomes the policy's name");
  }
  std::string platform = "Server";
  if (auto f = AwsField(o, "ComputePlatform")) {
    platform = f->String();
    if (platform != "Server" && platform != "Lambda" && platform != "ECS")
      f->Fail("computePlatform: expected Server, Lambda or ECS, got '" + platform + "'");
    ctx.NoEffect(*f, "which CodeDeploy platform; the settings below say how it rolls out");
  }
  if (auto z = AwsField(o, "ZonalConfig")) {
    ctx.NotSimulated(*z,
                     "zone-by-zone deployment (monitor durations per Availability Zone) is "
                     "not imported yet; the instances are updated without zone order");
  }
  if (platform == "Server") {
    ctx.Map(rollout, "rollout.kind", "kind", "big_bang", o, "an in-place update of every instance");
    const std::optional<SpecField> mhh = AwsField(o, "MinimumHealthyHosts");
    if (!mhh) {
      ctx.Default(ctx.policy().Child("deploy"), "deploy.max_unavailable", "max_unavailable", "1",
                  "no minimumHealthyHosts: like CodeDeploy's default OneAtATime, one instance "
                  "at a time");
    } else {
      const std::optional<SpecField> type = AwsField(*mhh, "Type");
      const std::optional<SpecField> value = AwsField(*mhh, "Value");
      if (!type || !value) mhh->Fail("minimumHealthyHosts: expected type and value");
      const std::string t = type->String();
      if (t != "HOST_COUNT" && t != "FLEET_PERCENT" && t != "MOST_CONCURRENCY")
        type->Fail("minimumHealthyHosts.type: expected HOST_COUNT or FLEET_PERCENT, got '" + t +
                   "'");
      const double v = value->Number();
      if (v < 0 || (t == "FLEET_PERCENT" && v > 100))
        value->Fail("minimumHealthyHosts.value: out of range");
      MinimumHealthy(t, v, *value, "minimumHealthyHosts " + t, ctx);
    }
    if (auto tr = AwsField(o, "TrafficRoutingConfig"))
      ctx.NoEffect(*tr, "traffic routing applies to Lambda and ECS only");
    return;
  }
  if (auto mhh = AwsField(o, "MinimumHealthyHosts"))
    ctx.NoEffect(*mhh, "minimum healthy hosts apply to EC2/on-premises only");
  const std::optional<SpecField> tr = AwsField(o, "TrafficRoutingConfig");
  if (!tr) {
    ctx.Map(rollout, "rollout.kind", "kind", "big_bang", o,
            "no traffic routing config: all traffic at once");
    return;
  }
  const SpecField type = *AwsField(*tr, "Type");
  const std::string t = type.String();
  if (t == "TimeBasedCanary") {
    const std::optional<SpecField> tc = AwsField(*tr, "TimeBasedCanary");
    if (!tc) tr->Fail("trafficRoutingConfig: TimeBasedCanary needs timeBasedCanary");
    const std::optional<SpecField> pct = AwsField(*tc, "CanaryPercentage");
    const std::optional<SpecField> iv = AwsField(*tc, "CanaryInterval");
    if (!pct || !iv) tc->Fail("timeBasedCanary: expected canaryPercentage and canaryInterval");
    ctx.Map(rollout, "rollout.kind", "kind", "canary", type,
            "two traffic shifts: the canary share, then the rest");
    ctx.Map(rollout, "rollout.percent", "percent", FormatNumber(pct->Number()), *pct);
    ctx.Map(rollout, "rollout.bake", "bake", FormatDuration(SimTime::Minutes(iv->Int())), *iv,
            "minutes between the two shifts");
  } else if (t == "TimeBasedLinear") {
    const std::optional<SpecField> tl = AwsField(*tr, "TimeBasedLinear");
    if (!tl) tr->Fail("trafficRoutingConfig: TimeBasedLinear needs timeBasedLinear");
    const std::optional<SpecField> pct = AwsField(*tl, "LinearPercentage");
    const std::optional<SpecField> iv = AwsField(*tl, "LinearInterval");
    if (!pct || !iv) tl->Fail("timeBasedLinear: expected linearPercentage and linearInterval");
    ctx.Map(rollout, "rollout.kind", "kind", "linear", type,
            "equal increments, the first at once, one every interval");
    ctx.Map(rollout, "rollout.step", "step", FormatNumber(pct->Number()), *pct);
    ctx.Map(rollout, "rollout.interval", "interval", FormatDuration(SimTime::Minutes(iv->Int())),
            *iv, "minutes between increments");
  } else if (t == "AllAtOnce") {
    ctx.Map(rollout, "rollout.kind", "kind", "big_bang", type, "all traffic at once");
  } else {
    type.Fail("trafficRoutingConfig.type: expected TimeBasedCanary, TimeBasedLinear or AllAtOnce");
  }
}

}  // namespace

const PredefinedCodeDeploy* FindPredefinedCodeDeploy(const std::string& name) {
  for (const PredefinedCodeDeploy& p : kPredefined) {
    if (name == p.name) return &p;
  }
  return nullptr;
}

std::string ImportCodeDeploy(const SpecInput& input, ImportContext& ctx) {
  std::vector<Config> configs;
  std::vector<CfnTemplate> templates;
  std::vector<std::pair<std::string, SpecField>> groups;
  for (const SpecDocument& d : input.documents) {
    if (d.kind == DocKind::kCodeDeployConfig) {
      const SpecField root(d.root, "");
      Config c;
      c.object = root.Has("deploymentConfigInfo") ? root.Required("deploymentConfigInfo")
                                                  : SpecField(d.root, "DeploymentConfig");
      if (root.Has("deploymentConfigInfo")) {
        for (const std::string& k : root.Keys()) {
          if (k != "deploymentConfigInfo") root.Required(k).Fail("unexpected field '" + k + "'");
        }
      }
      c.label = d.Label();
      configs.push_back(c);
    } else if (d.kind == DocKind::kCodeDeployPredefined) {
      Config c;
      c.predefined = FindPredefinedCodeDeploy(d.root.node.Scalar());
      c.predefined_from = SpecField(d.root, d.root.node.Scalar());
      c.label = d.root.node.Scalar();
      configs.push_back(c);
    } else if (d.kind == DocKind::kCloudFormation) {
      templates.emplace_back(d);
    }
  }
  for (const CfnTemplate& t : templates) {
    for (const CfnTemplate::Resource& r : t.resources()) {
      if (r.type == "AWS::CodeDeploy::DeploymentConfig") {
        Config c;
        c.object = r.node.Required("Properties");
        c.label = "resource " + r.id;
        configs.push_back(c);
      } else if (r.type == "AWS::CodeDeploy::DeploymentGroup") {
        groups.emplace_back(r.id, r.node.Required("Properties"));
      } else if (r.type != "AWS::CloudWatch::Alarm") {
        ctx.NoEffect(r.node, r.type + " '" + r.id + "' is not part of the deployment config");
      }
    }
  }
  if (groups.size() > 1)
    groups[1].second.Fail("more than one AWS::CodeDeploy::DeploymentGroup; import one at a time");
  std::optional<Config> chosen;
  std::vector<SpecField> alarms;
  std::string on_failure = "pause";
  std::string on_failure_note =
      "an alarm stops the deployment; without DEPLOYMENT_STOP_ON_ALARM in the group's "
      "auto-rollback events it stays stopped until a person acts";
  if (!groups.empty()) {
    const SpecField& g = groups.front().second;
    for (const std::string& key : g.Keys()) {
      if (key != "DeploymentConfigName" && key != "AlarmConfiguration" &&
          key != "AutoRollbackConfiguration")
        ctx.NoEffect(g.Required(key), "the deployment group's targets and settings");
    }
    if (auto n = g.Optional("DeploymentConfigName")) {
      const std::optional<std::string> ref = CfnTemplate::Reference(*n);
      if (ref && FindPredefinedCodeDeploy(*ref)) {
        chosen = Config{std::nullopt, FindPredefinedCodeDeploy(*ref), *n, *ref};
      } else {
        for (const CfnTemplate& t : templates) {
          for (const auto& [rid, props] : t.OfType("AWS::CodeDeploy::DeploymentConfig")) {
            const auto dn = props.Optional("DeploymentConfigName");
            if (ref && (rid == *ref || (dn && dn->IsScalar() && dn->String() == *ref)))
              chosen = Config{props, nullptr, std::nullopt, "resource " + rid};
          }
        }
        if (!chosen)
          n->Fail(
              "DeploymentConfigName: expected a predefined CodeDeployDefault.* name or a "
              "Ref to an AWS::CodeDeploy::DeploymentConfig of the template");
      }
    } else {
      Config c;
      c.predefined = FindPredefinedCodeDeploy("CodeDeployDefault.OneAtATime");
      c.predefined_from = g;
      chosen = c;
      ctx.NoEffect(g, "no DeploymentConfigName: CodeDeploy's default OneAtATime");
    }
    if (auto ac = g.Optional("AlarmConfiguration")) {
      ac->RequireKnownKeys({"Enabled", "Alarms", "IgnorePollAlarmFailure"}, kVendor);
      const bool enabled = !ac->Has("Enabled") || ac->Required("Enabled").Bool();
      if (auto ip = ac->Optional("IgnorePollAlarmFailure"))
        ctx.NoEffect(*ip, "the simulated alarms never fail to be read");
      if (enabled) {
        if (auto list = ac->Optional("Alarms")) {
          for (const SpecField& a : list->Items()) {
            a.RequireKnownKeys({"Name"}, kVendor);
            alarms.push_back(a.Required("Name"));
          }
        }
      } else {
        ctx.NoEffect(*ac, "alarms disabled");
      }
    }
    if (auto ar = g.Optional("AutoRollbackConfiguration")) {
      ar->RequireKnownKeys({"Enabled", "Events"}, kVendor);
      const bool enabled = !ar->Has("Enabled") || ar->Required("Enabled").Bool();
      bool on_alarm = false;
      if (auto ev = ar->Optional("Events")) {
        for (const SpecField& e : ev->Items())
          on_alarm = on_alarm || e.String() == "DEPLOYMENT_STOP_ON_ALARM";
      }
      if (enabled && on_alarm) {
        on_failure = "rollback";
        on_failure_note = "AutoRollbackConfiguration DEPLOYMENT_STOP_ON_ALARM: an alarm rolls back";
      }
      ctx.MappedElsewhere(*ar, "health.on_failure", on_failure, on_failure_note);
    }
  } else {
    if (configs.empty())
      input.documents.front().root.Fail("no CodeDeploy deployment configuration found");
    if (configs.size() > 1) {
      std::string all;
      for (const Config& c : configs) all += (all.empty() ? "" : ", ") + c.label;
      (configs[1].object ? *configs[1].object : *configs[1].predefined_from)
          .Fail("more than one CodeDeploy deployment configuration (" + all +
                "); import one at a time");
    }
    chosen = configs.front();
  }
  std::string name = "codedeploy";
  EmitConfig(*chosen, ctx, &name);
  if (alarms.empty()) {
    const SpecField& at = chosen->object ? *chosen->object : *chosen->predefined_from;
    ctx.NotSimulated(at,
                     "CodeDeploy stops or rolls back only on the deployment group's "
                     "CloudWatch alarms; none is given, so the policy has no automated "
                     "checks (add the deployment group and its alarms to the template)");
  } else {
    ImportCloudWatchAlarms(alarms, templates, on_failure, on_failure_note, ctx);
  }
  return name;
}

}  // namespace fleetsim::import
