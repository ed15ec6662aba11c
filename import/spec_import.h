// ImportSpecs: the entry point of import/ — vendor rollout specs in, a native fleetsim policy
// (commented YAML) and its mapping report out.
//
//   Result<ImportedPolicy> p = ImportSpecFiles({"rollout.yaml", "templates.yaml"}, options);
//   p.value().yaml      the policy, each field commented with the source field it came from,
//                       ending with the source fields that have no effect, cannot be
//                       simulated or are approximated
//   p.value().report    the same mapping as rows (MappingReport::Table() for the terminal)
//
// The format is detected (spec_format.h) and the one policy object of the input (an Argo
// Rollout with its AnalysisTemplates, a Flagger Canary with its MetricTemplates, an AppConfig
// strategy, a CodeDeploy config, each possibly inside CloudFormation) is mapped by its
// importer. `fleetsim import` writes `yaml`; `--policy` and `fleetsim validate` parse the
// very same text in memory (analysis/vendor_policy.h), so a file on disk and a spec read
// directly always mean the same policy. Errors are Status values "file:line:col: ..." at the
// source field; RemapImportedError moves an error the native parser reports on the generated
// text back to the source field that produced that line.
//
// Pure functions of their inputs (files are read once); thread-safe.
#pragma once

#include <string>
#include <vector>

#include "import/import_context.h"
#include "import/mapping_report.h"
#include "import/spec_format.h"
#include "sim/status.h"

namespace fleetsim::import {

struct ImportedPolicy {
  SpecFormat format = SpecFormat::kNative;
  std::string name;
  std::string yaml;
  std::vector<std::string> line_origins;  // per line of `yaml`: the source field's position
  MappingReport report;
  std::vector<std::string> notes;  // how the input was read (documentation elisions)
  std::vector<std::string> inputs;
};

Result<ImportedPolicy> ImportSpecInput(const SpecInput& input, const ImportOptions& options);
Result<ImportedPolicy> ImportSpecFiles(const std::vector<std::string>& paths,
                                       const ImportOptions& options);

// Rewrites "<generated>:L:C: message" (an error the native policy parser raised on
// ImportedPolicy::yaml, read under the name `generated`) as "<source position>: message (in
// the imported policy, line L: <that line>)".
std::string RemapImportedError(const std::string& message, const std::string& generated,
                               const ImportedPolicy& imported);

// For `fleetsim validate` on a file holding only templates (Argo AnalysisTemplates, Flagger
// MetricTemplates): checks that every metric can be mapped; returns a one-line summary.
Result<std::string> ValidateTemplatesOnly(const SpecInput& input, const ImportOptions& options);

}  // namespace fleetsim::import
