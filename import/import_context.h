// ImportOptions and ImportContext: what every format importer (argo_rollout_import.h,
// flagger_import.h, appconfig_import.h, codedeploy_import.h) reads and writes.
//
// ImportOptions are the user's answers to what a spec cannot say about a simulation: the
// metrics table (metrics_table.h), Argo templates to leave out, Flagger's A/B traffic share,
// and extra spec files read beside a policy file. ImportContext pairs the policy being drafted
// (native_policy_writer.h) with the mapping report (mapping_report.h): Map() writes a fleetsim
// key with a comment naming its source field and adds the matching report row, so the written
// policy and the printed table can never disagree.
//
// Importers throw ConfigError (through SpecField::Fail) for anything they cannot map; one
// ImportContext serves one import on one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "import/mapping_report.h"
#include "import/metrics_table.h"
#include "import/native_policy_writer.h"
#include "import/spec_field.h"

namespace fleetsim::import {

struct ImportOptions {
  MetricsTable metrics;
  std::vector<std::string> ignore_templates;  // Argo (Cluster)AnalysisTemplate names
  // Flagger A/B testing: the share of requests the header/cookie match sends to the canary
  // (a fraction in (0, 1)); a spec with `match` needs it.
  std::optional<double> match_share;
  std::vector<std::string> with;  // more spec files (templates, alarms) read with the policy

  bool IgnoresTemplate(const std::string& name) const;
};

class ImportContext {
 public:
  ImportContext(const ImportOptions& options, DraftNode* policy, MappingReport* report)
      : options_(options), policy_(*policy), report_(*report) {}

  const ImportOptions& options() const { return options_; }
  DraftNode& policy() { return policy_; }
  MappingReport& report() { return report_; }

  // parent[key] = value, from `from`; the report row names `path` (the key's full dotted path,
  // e.g. "rollout.stages[0].percent").
  void Map(DraftNode& parent, const std::string& path, const std::string& key,
           const std::string& value, const SpecField& from, const std::string& note = "");
  // As Map, but the simulation differs from the vendor as `note` says.
  void Approximate(DraftNode& parent, const std::string& path, const std::string& key,
                   const std::string& value, const SpecField& from, const std::string& note);
  // parent[key] = value from a vendor default (no source field): `what` says which default.
  void Default(DraftNode& parent, const std::string& path, const std::string& key,
               const std::string& value, const std::string& what);
  // A value fleetsim needs that follows from several fields or from fleetsim itself.
  void Derived(DraftNode& parent, const std::string& path, const std::string& key,
               const std::string& value, const std::string& comment, const std::string& origin);
  void NoEffect(const SpecField& f, const std::string& note);
  void NotSimulated(const SpecField& f, const std::string& note);
  // A report row for a field whose meaning is covered by another row (e.g. a field already
  // folded into a derived value).
  void MappedElsewhere(const SpecField& f, const std::string& path, const std::string& value,
                       const std::string& note);

  // "path (file:line)" as the comment of a written field.
  static std::string CommentFor(const SpecField& f);

 private:
  const ImportOptions& options_;
  DraftNode& policy_;
  MappingReport& report_;
};

}  // namespace fleetsim::import
