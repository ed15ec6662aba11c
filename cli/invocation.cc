#include "cli/invocation.h"

namespace fleetsim::cli {

Invocation RunInvocation(const std::string& command, const RunArgs& args,
                         const std::vector<std::string>& params) {
  Invocation inv{{"command", command}, {"scenario", args.scenario}};
  for (const std::string& p : args.policies) inv.emplace_back("policy", p);
  for (const std::string& p : params) inv.emplace_back("param", p);
  for (const std::string& v : args.sets) inv.emplace_back("set", v);
  if (args.replicas) inv.emplace_back("replicas", std::to_string(*args.replicas));
  if (args.seed) inv.emplace_back("seed", std::to_string(*args.seed));
  const ImportFlags& f = args.import;
  if (!f.metrics_file.empty()) inv.emplace_back("metrics", f.metrics_file);
  for (const std::string& m : f.metric_maps) inv.emplace_back("metric", m);
  for (const std::string& m : f.ignore_metrics) inv.emplace_back("ignore-metric", m);
  for (const std::string& t : f.ignore_templates) inv.emplace_back("ignore-template", t);
  if (!f.match_share.empty()) inv.emplace_back("match-share", f.match_share);
  for (const std::string& w : f.with) inv.emplace_back("with", w);
  return inv;
}

Invocation CheckInvocation(const CheckArgs& args) {
  Invocation inv{{"command", "check"}};
  for (const std::string& b : args.baselines) inv.emplace_back("baseline", b);
  if (!args.policy.empty()) inv.emplace_back("policy", args.policy);
  if (args.update) inv.emplace_back("update", "true");
  if (args.exact) inv.emplace_back("exact", "true");
  return inv;
}

Result<InvokedCommand> ParseInvocation(const Invocation& invocation) {
  InvokedCommand c;
  auto bad = [](const std::string& what) {
    return Status::Error("the parts record an invocation this fleetsim cannot read (" + what + ")");
  };
  for (const auto& [key, value] : invocation) {
    try {
      if (key == "command") {
        c.command = value;
      } else if (key == "scenario") {
        c.run.scenario = value;
      } else if (key == "policy") {
        c.run.policies.push_back(value);
        c.check.policy = value;
      } else if (key == "param") {
        c.params.push_back(value);
      } else if (key == "set") {
        c.run.sets.push_back(value);
      } else if (key == "replicas") {
        c.run.replicas = std::stoi(value);
      } else if (key == "seed") {
        c.run.seed = std::stoull(value);
      } else if (key == "metrics") {
        c.run.import.metrics_file = value;
      } else if (key == "metric") {
        c.run.import.metric_maps.push_back(value);
      } else if (key == "ignore-metric") {
        c.run.import.ignore_metrics.push_back(value);
      } else if (key == "ignore-template") {
        c.run.import.ignore_templates.push_back(value);
      } else if (key == "match-share") {
        c.run.import.match_share = value;
      } else if (key == "with") {
        c.run.import.with.push_back(value);
      } else if (key == "baseline") {
        c.check.baselines.push_back(value);
      } else if (key == "update") {
        c.check.update = value == "true";
      } else if (key == "exact") {
        c.check.exact = value == "true";
      } else {
        return bad("unknown key '" + key + "'");
      }
    } catch (const std::exception&) {
      return bad(key + "=" + value);
    }
  }
  if (c.command != "run" && c.command != "compare" && c.command != "sweep" &&
      c.command != "check") {
    return bad("command '" + c.command + "'");
  }
  return c;
}

}  // namespace fleetsim::cli
