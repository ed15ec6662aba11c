// Policies from vendor specs: where --policy, a scenario's `policy:` path, sweep and
// `fleetsim validate` accept an Argo Rollout, a Flagger Canary, an AppConfig strategy or a
// CodeDeploy config (or a predefined AWS name) in place of a fleetsim policy file.
//
// A vendor file is imported by import/spec_import.h into the very YAML `fleetsim import` would
// write, and that text is parsed by the native policy parser: the in-memory policy and the
// written one are the same by construction. Errors point at the vendor file's fields
// (file:line:col). `options.with` names more spec files read beside the policy file (Argo
// AnalysisTemplates, Flagger MetricTemplates); the metrics table maps provider queries.
//
// Stateless functions; thread-safe.
#pragma once

#include <string>

#include "import/import_context.h"
#include "import/spec_import.h"
#include "policies/policy_loader.h"

namespace fleetsim {

// True when `path` names a vendor spec (its first document is a Kubernetes object, a
// CloudFormation template or an AWS API object) or, when no such file exists, a predefined
// AWS name (AppConfig.*, CodeDeployDefault.*).
bool IsVendorPolicy(const std::string& path);

// LoadPolicyFile for fleetsim files; import and parse for vendor specs.
Result<Policy> LoadAnyPolicy(const std::string& path, const import::ImportOptions& options);

// Parses an import's YAML as the native policy it is (`fleetsim import` checks what it writes);
// an error is reported at the vendor field behind the offending line. `source` names the spec.
Result<Policy> PolicyFromImport(const import::ImportedPolicy& imported, const std::string& source);

// The fleetsim policy YAML behind `path`: the file's own text, or its import.
Result<std::string> NativePolicyText(const std::string& path, const import::ImportOptions& options);

}  // namespace fleetsim
