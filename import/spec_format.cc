#include "import/spec_format.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "import/appconfig_import.h"
#include "import/codedeploy_import.h"
#include "loader/yaml_limits.h"

namespace fleetsim::import {

const char* SpecFormatName(SpecFormat f) {
  switch (f) {
    case SpecFormat::kNative:
      return "fleetsim";
    case SpecFormat::kArgo:
      return "Argo Rollouts";
    case SpecFormat::kFlagger:
      return "Flagger";
    case SpecFormat::kAppConfig:
      return "AWS AppConfig";
    case SpecFormat::kCodeDeploy:
      return "AWS CodeDeploy";
  }
  return "?";
}

namespace {

std::string Scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : ""; }

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// An AppConfig or CodeDeploy object, in the API's PascalCase or the CLI/SDK's camelCase.
bool HasAny(const YAML::Node& n, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (n[k]) return true;
  }
  return false;
}

}  // namespace

DocKind ClassifyDocument(const ConfigNode& root) {
  const YAML::Node& n = root.node;
  if (!n || n.IsNull()) return DocKind::kEmpty;
  if (n.IsScalar()) {
    const std::string name = n.Scalar();
    if (FindPredefinedAppConfig(name)) return DocKind::kAppConfigPredefined;
    if (FindPredefinedCodeDeploy(name)) return DocKind::kCodeDeployPredefined;
    return DocKind::kUnknown;
  }
  if (!n.IsMap()) return DocKind::kUnknown;
  const std::string api = Scalar(n["apiVersion"]);
  const std::string kind = Scalar(n["kind"]);
  if (!api.empty() && !kind.empty()) {
    if (StartsWith(api, "argoproj.io/")) {
      if (kind == "Rollout") return DocKind::kArgoRollout;
      if (kind == "AnalysisTemplate") return DocKind::kArgoAnalysisTemplate;
      if (kind == "ClusterAnalysisTemplate") return DocKind::kArgoClusterTemplate;
      return DocKind::kArgoOther;
    }
    if (StartsWith(api, "flagger.app/")) {
      if (kind == "Canary") return DocKind::kFlaggerCanary;
      if (kind == "MetricTemplate") return DocKind::kFlaggerMetricTemplate;
      return DocKind::kFlaggerOther;
    }
    return DocKind::kKubernetesOther;
  }
  if (n["Resources"] || n["AWSTemplateFormatVersion"]) return DocKind::kCloudFormation;
  if (n["rollout"]) return DocKind::kNative;
  const YAML::Node info = n["deploymentConfigInfo"] ? n["deploymentConfigInfo"] : n;
  if (info.IsMap() &&
      HasAny(info, {"minimumHealthyHosts", "MinimumHealthyHosts", "trafficRoutingConfig",
                    "TrafficRoutingConfig", "deploymentConfigName", "DeploymentConfigName"}))
    return DocKind::kCodeDeployConfig;
  if (HasAny(n, {"GrowthType", "GrowthFactor", "DeploymentDurationInMinutes", "growthType",
                 "growthFactor", "deploymentDurationInMinutes"}))
    return DocKind::kAppConfigStrategy;
  return DocKind::kUnknown;
}

bool IsPredefinedName(const std::string& name) {
  return FindPredefinedAppConfig(name) != nullptr || FindPredefinedCodeDeploy(name) != nullptr;
}

bool IsVendorDocument(const ConfigNode& root) {
  switch (ClassifyDocument(root)) {
    case DocKind::kEmpty:
    case DocKind::kNative:
    case DocKind::kUnknown:
      return false;
    default:
      return true;
  }
}

std::string SpecDocument::Label() const {
  std::string out = *file;
  out += ", document " + std::to_string(index + 1);
  const YAML::Node& n = root.node;
  if (n.IsMap() && n["kind"] && n["metadata"] && n["metadata"]["name"]) {
    out += " (" + Scalar(n["kind"]) + " '" + Scalar(n["metadata"]["name"]) + "')";
  }
  return out;
}

std::string SpecDocument::ObjectName() const {
  const YAML::Node& n = root.node;
  if (n.IsMap() && n["kind"] && n["metadata"] && n["metadata"]["name"])
    return Scalar(n["kind"]) + "(" + Scalar(n["metadata"]["name"]) + ")";
  return "document " + std::to_string(index + 1);
}

namespace {

bool Blank(const std::string& line) {
  for (char c : line) {
    if (c == '#') return true;
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// Replaces documentation elisions ("..." followed by indented content) by comment lines, so
// that the indented content stays part of the document, and records where.
std::string MarkElisions(const std::string& text, const std::string& file,
                         std::vector<std::string>* elisions) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string trimmed = lines[i];
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\r'))
      trimmed.pop_back();
    if (trimmed != "...") continue;
    size_t j = i + 1;
    while (j < lines.size() && Blank(lines[j])) ++j;
    if (j < lines.size() && !lines[j].empty() && (lines[j][0] == ' ' || lines[j][0] == '\t')) {
      lines[i] = "#...";
      elisions->push_back(file + ":" + std::to_string(i + 1) +
                          ": '...' followed by indented text read as an elision of the "
                          "documentation it was taken from, not as a YAML document end");
    }
  }
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

Result<SpecInput> ParseSpecText(const std::string& text, const std::string& file) {
  SpecInput input;
  auto name = std::make_shared<const std::string>(file);
  const std::string marked = MarkElisions(text, file, &input.elisions);
  // The limits of every YAML input (loader/yaml_limits.h: size, UTF-8, nesting, alias
  // expansion), for a stream of documents.
  if (Status limits = CatchConfigErrors([&] { CheckYamlText(marked, name.get(), true); });
      !limits.ok())
    return limits;
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(marked);
  } catch (const YAML::Exception& e) {
    std::string where = file;
    if (e.mark.line >= 0)
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return Status::Error(where + ": YAML syntax error: " + e.msg);
  }
  int index = 0;
  for (const YAML::Node& d : docs) {
    SpecDocument doc;
    doc.file = name;
    doc.root = ConfigNode{d, name.get()};
    doc.index = index++;
    doc.kind = ClassifyDocument(doc.root);
    input.documents.push_back(std::move(doc));
  }
  return input;
}

Result<SpecInput> ReadSpecDocuments(const std::vector<std::string>& paths) {
  SpecInput all;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) || std::filesystem::is_directory(path, ec)) {
      if (IsPredefinedName(path)) {
        Result<SpecInput> one = ParseSpecText(path + "\n", path);
        if (!one.ok()) return one.status();
        for (SpecDocument& d : one.value().documents) all.documents.push_back(std::move(d));
        continue;
      }
      return Status::Error(path +
                           ": cannot open file (nor is it a predefined AppConfig or "
                           "CodeDeploy name such as AppConfig.Linear20PercentEvery6Minutes "
                           "or CodeDeployDefault.OneAtATime)");
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof()) return Status::Error(path + ": cannot read file");
    Result<SpecInput> one = ParseSpecText(buffer.str(), path);
    if (!one.ok()) return one.status();
    for (SpecDocument& d : one.value().documents) all.documents.push_back(std::move(d));
    for (std::string& e : one.value().elisions) all.elisions.push_back(std::move(e));
  }
  return all;
}

Result<SpecFormat> DetectFormat(const SpecInput& input) {
  std::optional<SpecFormat> found;
  std::string found_label;
  for (const SpecDocument& d : input.documents) {
    std::optional<SpecFormat> f;
    switch (d.kind) {
      case DocKind::kNative:
        f = SpecFormat::kNative;
        break;
      case DocKind::kArgoRollout:
      case DocKind::kArgoAnalysisTemplate:
      case DocKind::kArgoClusterTemplate:
      case DocKind::kArgoOther:
        f = SpecFormat::kArgo;
        break;
      case DocKind::kFlaggerCanary:
      case DocKind::kFlaggerMetricTemplate:
      case DocKind::kFlaggerOther:
        f = SpecFormat::kFlagger;
        break;
      case DocKind::kAppConfigStrategy:
      case DocKind::kAppConfigPredefined:
        f = SpecFormat::kAppConfig;
        break;
      case DocKind::kCodeDeployConfig:
      case DocKind::kCodeDeployPredefined:
        f = SpecFormat::kCodeDeploy;
        break;
      case DocKind::kCloudFormation: {
        // By the resources it declares.
        const YAML::Node res = d.root.node["Resources"];
        bool appconfig = false, codedeploy = false;
        if (res && res.IsMap()) {
          for (const auto& r : res) {
            const std::string type = r.second.IsMap() ? Scalar(r.second["Type"]) : "";
            appconfig = appconfig || StartsWith(type, "AWS::AppConfig::");
            codedeploy = codedeploy || StartsWith(type, "AWS::CodeDeploy::");
          }
        }
        if (appconfig && codedeploy)
          return Status::Error(d.root.Where() + ": " + d.Label() +
                               " declares both AppConfig and CodeDeploy resources; import one "
                               "service's template at a time");
        if (appconfig) f = SpecFormat::kAppConfig;
        if (codedeploy) f = SpecFormat::kCodeDeploy;
        break;
      }
      case DocKind::kEmpty:
      case DocKind::kKubernetesOther:
        break;
      case DocKind::kUnknown:
        return Status::Error(
            d.root.Where() + ": " + d.Label() +
            ": not a spec fleetsim can import; expected an Argo Rollout or AnalysisTemplate, a "
            "Flagger Canary, an AppConfig deployment strategy, a CodeDeploy deployment config "
            "(API JSON, CLI output or CloudFormation), or a fleetsim policy");
    }
    if (!f) continue;
    if (found && *found != *f) {
      return Status::Error(d.root.Where() + ": " + d.Label() + " is " + SpecFormatName(*f) +
                           " but " + found_label + " is " + SpecFormatName(*found) +
                           "; import one vendor's spec at a time");
    }
    found = f;
    found_label = d.Label();
  }
  if (!found) {
    return Status::Error(
        (input.documents.empty() ? std::string("<no input>") : *input.documents.front().file) +
        ": no rollout spec found (only other Kubernetes objects or empty documents)");
  }
  return *found;
}

}  // namespace fleetsim::import
