// Spec documents and format detection: which vendor wrote a file, and what each document is.
//
// ReadSpecDocuments reads every YAML or JSON document of each given file (multi-document YAML
// included). A line of exactly "..." followed by indented text is read as the documentation
// elision it is (Argo's docs write `spec:` / `...` / `  strategy:`), not as a YAML document
// end; the import reports it. An argument that is not a file but one of AWS's predefined names
// (AppConfig.Linear20PercentEvery6Minutes, CodeDeployDefault.OneAtATime, ...) becomes a
// one-scalar document of that name.
//
// ClassifyDocument says what a document is (an Argo Rollout, a Flagger Canary, a
// CloudFormation template, an AWS API object...); DetectFormat picks the one vendor format of
// a set of documents, or fails naming the documents that disagree.
//
// Documents own their file name (shared_ptr) so that their ConfigNodes stay valid. Value types.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "loader/yaml_reader.h"
#include "sim/status.h"

namespace fleetsim::import {

enum class SpecFormat : uint8_t { kNative, kArgo, kFlagger, kAppConfig, kCodeDeploy };
const char* SpecFormatName(SpecFormat f);  // "Argo Rollouts", "Flagger", ...

enum class DocKind : uint8_t {
  kEmpty,                  // a document with nothing in it (a trailing ---)
  kNative,                 // a fleetsim policy (rollout:)
  kArgoRollout,            // argoproj.io Rollout
  kArgoAnalysisTemplate,   // argoproj.io AnalysisTemplate
  kArgoClusterTemplate,    // argoproj.io ClusterAnalysisTemplate
  kArgoOther,              // argoproj.io Experiment, AnalysisRun, ...
  kFlaggerCanary,          // flagger.app Canary
  kFlaggerMetricTemplate,  // flagger.app MetricTemplate
  kFlaggerOther,           // flagger.app AlertProvider, ...
  kKubernetesOther,        // any other Kubernetes object (Service, Deployment, ...)
  kCloudFormation,         // a template with Resources:
  kAppConfigStrategy,      // an AppConfig DeploymentStrategy object (API or CLI JSON)
  kCodeDeployConfig,       // a CodeDeploy deployment config (API or CLI JSON)
  kAppConfigPredefined,    // a predefined AppConfig strategy name
  kCodeDeployPredefined,   // a predefined CodeDeploy configuration name
  kUnknown,
};

struct SpecDocument {
  std::shared_ptr<const std::string> file;  // the path as given
  ConfigNode root;                          // root.file points into *file
  int index = 0;                            // 0-based document number in the file
  DocKind kind = DocKind::kUnknown;

  std::string Label() const;  // "argo-rollout-canary.yaml, document 1 (Rollout 'rollout-canary')"
  std::string ObjectName() const;  // "Service(rollout-bluegreen-active)", or "document 2"
};

struct SpecInput {
  std::vector<SpecDocument> documents;
  std::vector<std::string> elisions;  // "file:line: '...' read as an elision"
};

// Reads `paths` in order. Errors (a missing file, a YAML syntax error) are file:line:col.
Result<SpecInput> ReadSpecDocuments(const std::vector<std::string>& paths);

// Parses one file's text (used by ReadSpecDocuments and tests).
Result<SpecInput> ParseSpecText(const std::string& text, const std::string& file);

DocKind ClassifyDocument(const ConfigNode& root);

// True for the AWS predefined names fleetsim knows (appconfig_import.h, codedeploy_import.h).
bool IsPredefinedName(const std::string& name);

// The vendor format of a set of documents (other Kubernetes objects and empty documents go
// with anything). Fails when the documents hold no policy or mix vendors.
Result<SpecFormat> DetectFormat(const SpecInput& input);

// True when a file's first non-empty document is a vendor spec rather than a fleetsim file:
// the hook policies/policy_loader.h and `fleetsim validate` use to send it through import.
bool IsVendorDocument(const ConfigNode& root);

}  // namespace fleetsim::import
