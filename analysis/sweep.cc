#include "analysis/sweep.h"

#include "analysis/vendor_policy.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/experiment.h"
#include "loader/scenario_loader.h"

namespace fleetsim {
namespace {

struct PathToken {
  std::string key;  // map key, or empty for an index
  int index = -1;
};

Result<std::vector<PathToken>> SplitPath(const std::string& path) {
  std::vector<PathToken> tokens;
  size_t i = 0;
  auto bad = [&](const std::string& why) {
    return Status::Error("parameter path '" + path + "': " + why);
  };
  while (i < path.size()) {
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string::npos) return bad("missing ']'");
      const std::string digits = path.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
        return bad("expected a list index like [0]");
      }
      tokens.push_back(PathToken{"", std::stoi(digits)});
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
      continue;
    }
    const size_t end = path.find_first_of(".[", i);
    const std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (key.empty()) return bad("empty key");
    tokens.push_back(PathToken{key, -1});
    i = end == std::string::npos ? path.size() : end;
    if (i < path.size() && path[i] == '.') ++i;
  }
  if (tokens.empty()) return bad("empty path");
  return tokens;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<SweepAxis> ParseSweepAxis(const std::string& argument) {
  const size_t eq = argument.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == argument.size()) {
    return Status::Error("--param '" + argument +
                         "': expected PATH=V1,V2,... (e.g. rollout.stages[0].bake=5m,15m)");
  }
  SweepAxis axis;
  axis.path = argument.substr(0, eq);
  std::stringstream values(argument.substr(eq + 1));
  std::string v;
  while (std::getline(values, v, ',')) {
    if (v.empty()) return Status::Error("--param '" + argument + "': empty value");
    axis.values.push_back(v);
  }
  return axis;
}

Status SetYamlPath(YAML::Node root, const std::string& path, const std::string& value) {
  Result<std::vector<PathToken>> tokens = SplitPath(path);
  if (!tokens.ok()) return tokens.status();
  YAML::Node node = root;
  const auto& t = tokens.value();
  for (size_t i = 0; i < t.size(); ++i) {
    const bool last = i + 1 == t.size();
    if (t[i].index >= 0) {
      if (!node.IsSequence() || t[i].index >= static_cast<int>(node.size())) {
        return Status::Error("parameter path '" + path + "': no list element [" +
                             std::to_string(t[i].index) + "]");
      }
      if (last) {
        node[t[i].index] = value;
        return Status::Ok();
      }
      node.reset(node[t[i].index]);
    } else {
      if (node.IsScalar())
        return Status::Error("parameter path '" + path + "': '" + t[i].key +
                             "' is inside a scalar");
      if (last) {
        node[t[i].key] = value;
        return Status::Ok();
      }
      YAML::Node child = node[t[i].key];
      if (!child.IsDefined() || child.IsNull()) {
        node[t[i].key] = YAML::Node(YAML::NodeType::Map);
        child = node[t[i].key];
      }
      node.reset(child);
    }
  }
  return Status::Ok();
}

Result<std::vector<SweepPoint>> ExpandSweep(const std::string& scenario_path,
                                            const std::string& policy_argument,
                                            const std::vector<SweepAxis>& axes,
                                            const import::ImportOptions& options) {
  // Validate the unmodified inputs first so their errors point at the files.
  Result<Experiment> base =
      LoadExperiment(scenario_path,
                     policy_argument.empty() ? std::vector<std::string>{}
                                             : std::vector<std::string>{policy_argument},
                     options);
  if (!base.ok()) return base.status();
  const Policy& base_policy = base.value().policies.front();
  std::string policy_file = base_policy.source;
  YAML::Node scenario_root, policy_root;
  try {
    scenario_root = YAML::Load(ReadText(scenario_path));
    const PolicyReference& ref = base.value().scenario.policy;
    if (!policy_argument.empty() || ref.path) {
      // A vendor spec is swept through its import (the native keys sweep paths name).
      Result<std::string> text =
          NativePolicyText(policy_argument.empty() ? *ref.path : base_policy.source, options);
      if (!text.ok()) return text.status();
      policy_root = YAML::Load(text.value());
    } else {
      policy_root = YAML::Clone(ref.inline_node->node.node);
      policy_file = scenario_path;
    }
  } catch (const YAML::Exception& e) {
    return Status::Error(scenario_path + ": " + e.what());
  }

  size_t total = 1;
  for (const SweepAxis& a : axes) total *= a.values.size();
  if (total > 10'000)
    return Status::Error("sweep grid has " + std::to_string(total) + " points; at most 10000");
  std::vector<SweepPoint> points;
  for (size_t k = 0; k < total; ++k) {
    YAML::Node scenario = YAML::Clone(scenario_root);
    YAML::Node policy = YAML::Clone(policy_root);
    std::string label;
    size_t rest = k;
    std::vector<size_t> choice(axes.size());
    for (size_t a = axes.size(); a-- > 0;) {
      choice[a] = rest % axes[a].values.size();
      rest /= axes[a].values.size();
    }
    for (size_t a = 0; a < axes.size(); ++a) {
      std::string path = axes[a].path;
      const std::string& value = axes[a].values[choice[a]];
      label += (label.empty() ? "" : " ") + path + "=" + value;
      bool on_policy = path.rfind("rollout.", 0) == 0 || path.rfind("health.", 0) == 0 ||
                       path.rfind("batching.", 0) == 0 || path.rfind("risk.", 0) == 0;
      if (path.rfind("policy.", 0) == 0) {
        path = path.substr(7);
        on_policy = true;
      } else if (path.rfind("scenario.", 0) == 0) {
        path = path.substr(9);
      }
      Status st = SetYamlPath(on_policy ? policy : scenario, path, value);
      if (!st.ok()) return st;
    }
    if (!policy_argument.empty() || base.value().scenario.policy.path) {
      scenario.remove("policy");
    }
    YAML::Emitter scenario_out;
    scenario_out << scenario;
    Result<Scenario> sc = ParseScenario(scenario_out.c_str(), scenario_path);
    if (!sc.ok()) return Status::Error("sweep point '" + label + "': " + sc.status().message());
    SweepPoint point;
    point.label = label;
    point.scenario = std::move(sc).value();
    Status st = CatchConfigErrors([&] {
      point.policy = ParsePolicyNode(ConfigNode{policy, &policy_file}, base_policy.name);
    });
    if (!st.ok()) return Status::Error("sweep point '" + label + "': " + st.message());
    point.policy.name = base_policy.name + " [" + label + "]";
    point.policy.source = base_policy.source;
    points.push_back(std::move(point));
  }
  return points;
}

void MarkParetoFront(std::vector<ParetoPoint>& points) {
  const std::vector<const MetricDef*> axes = ParetoAxes();
  // Whether a is at least as good as b on every axis and better on one.
  auto dominates = [&](const ParetoPoint& a, const ParetoPoint& b) {
    bool no_worse = true, better = false;
    for (size_t k = 0; k < axes.size(); ++k) {
      const double x = axes[k]->lower_is_better ? a.axes[k] : -a.axes[k];
      const double y = axes[k]->lower_is_better ? b.axes[k] : -b.axes[k];
      no_worse = no_worse && x <= y;
      better = better || x < y;
    }
    return no_worse && better;
  };
  for (ParetoPoint& p : points) {
    p.on_front = true;
    for (const ParetoPoint& q : points) {
      if (&p != &q && dominates(q, p)) {
        p.on_front = false;
        break;
      }
    }
  }
}

}  // namespace fleetsim
