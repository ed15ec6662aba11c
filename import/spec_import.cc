#include "import/spec_import.h"

#include <filesystem>
#include <sstream>

#include "import/appconfig_import.h"
#include "import/argo_analysis_import.h"
#include "import/argo_rollout_import.h"
#include "import/codedeploy_import.h"
#include "import/flagger_import.h"

namespace fleetsim::import {
namespace {

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

std::string Dispatch(SpecFormat format, const SpecInput& input, ImportContext& ctx) {
  for (const SpecDocument& d : input.documents) {
    if (d.kind == DocKind::kKubernetesOther)
      ctx.NoEffect(SpecField(d.root, d.ObjectName()),
                   "other Kubernetes objects (Services, Deployments...) are not rollout settings");
  }
  switch (format) {
    case SpecFormat::kArgo: {
      ArgoTemplateSet templates;
      const SpecDocument* rollout = nullptr;
      for (const SpecDocument& d : input.documents) {
        if (d.kind == DocKind::kArgoAnalysisTemplate || d.kind == DocKind::kArgoClusterTemplate)
          templates.Add(d);
      }
      for (const SpecDocument& d : input.documents) {
        if (d.kind == DocKind::kArgoOther) {
          d.root.Fail(d.Label() +
                      ": fleetsim imports Rollouts and (Cluster)AnalysisTemplates, "
                      "not this Argo kind");
        }
        if (d.kind != DocKind::kArgoRollout) continue;
        if (rollout) {
          d.root.Fail(d.Label() + ": a second Rollout (the first is " + rollout->Label() +
                      "); import one Rollout at a time");
        }
        rollout = &d;
      }
      if (!rollout) {
        input.documents.front().root.Fail(
            "no Argo Rollout among the given documents (AnalysisTemplates alone are not a "
            "policy; give the Rollout that uses them)");
      }
      return ImportArgoRollout(*rollout, templates, ctx);
    }
    case SpecFormat::kFlagger: {
      std::vector<const SpecDocument*> templates;
      const SpecDocument* canary = nullptr;
      for (const SpecDocument& d : input.documents) {
        if (d.kind == DocKind::kFlaggerMetricTemplate) templates.push_back(&d);
        if (d.kind == DocKind::kFlaggerOther)
          ctx.NoEffect(SpecField(d.root, d.ObjectName()),
                       "alert providers and other Flagger objects");
        if (d.kind != DocKind::kFlaggerCanary) continue;
        if (canary)
          d.root.Fail(d.Label() + ": a second Canary (the first is " + canary->Label() +
                      "); import one Canary at a time");
        canary = &d;
      }
      if (!canary)
        input.documents.front().root.Fail(
            "no Flagger Canary among the given documents (MetricTemplates alone are not a "
            "policy)");
      return ImportFlaggerCanary(*canary, templates, ctx);
    }
    case SpecFormat::kAppConfig:
      return ImportAppConfig(input, ctx);
    case SpecFormat::kCodeDeploy:
      return ImportCodeDeploy(input, ctx);
    case SpecFormat::kNative:
      break;
  }
  input.documents.front().root.Fail(
      "this is already a fleetsim policy: use it as it is (fleetsim validate, --policy)");
}

void Footer(const MappingReport& report, std::vector<std::string>* lines) {
  auto section = [&](Disposition d, const std::string& title) {
    bool any = false;
    for (const MappingRow& r : report.rows()) {
      if (r.disposition != d) continue;
      if (!any) lines->push_back(title);
      any = true;
      std::string where = r.where;
      // Keep only the file's base name and line.
      if (!where.empty()) {
        const size_t last = where.rfind(':');
        const size_t mid = last == std::string::npos ? last : where.rfind(':', last - 1);
        if (mid != std::string::npos)
          where = BaseName(where.substr(0, mid)) + ":" + where.substr(mid + 1, last - mid - 1);
      }
      lines->push_back("  " + r.source + (where.empty() ? "" : " (" + where + ")") + ": " + r.note);
    }
  };
  section(Disposition::kApproximated, "Approximated (the simulation differs from the vendor):");
  section(Disposition::kNotSimulated, "Cannot be simulated:");
  section(Disposition::kNoEffect, "No effect in simulation:");
}

}  // namespace

Result<ImportedPolicy> ImportSpecInput(const SpecInput& input, const ImportOptions& options) {
  Result<SpecFormat> format = DetectFormat(input);
  if (!format.ok()) return format.status();
  ImportedPolicy out;
  out.format = format.value();
  out.notes = input.elisions;
  for (const SpecDocument& d : input.documents) {
    const std::string b = BaseName(*d.file);
    if (out.inputs.empty() || out.inputs.back() != b) out.inputs.push_back(b);
  }
  DraftNode policy;
  policy.Set("name", "");
  policy.Set("description", "");
  ImportContext ctx(options, &policy, &out.report);
  Status st = CatchConfigErrors([&] { out.name = Dispatch(out.format, input, ctx); });
  if (!st.ok()) return st;
  std::string joined;
  for (const std::string& i : out.inputs) joined += (joined.empty() ? "" : ", ") + i;
  policy.Set("name", out.name, "the source object's name");
  policy.Set("description",
             std::string(SpecFormatName(out.format)) + " spec " + joined + " imported by fleetsim");
  const std::vector<std::string> header = {
      "fleetsim policy imported from " + std::string(SpecFormatName(out.format)) + ": " + joined,
      "by `fleetsim import` (docs/import.md). Each field's comment names the source field it",
      "came from (path, file:line); the end of the file lists the source fields that are",
      "approximated, cannot be simulated, or have no effect in simulation.",
  };
  out.yaml = WriteNativePolicy(policy, header, &out.line_origins);
  std::vector<std::string> footer;
  Footer(out.report, &footer);
  if (!footer.empty()) {
    out.yaml += "\n";
    out.line_origins.push_back("");
    for (const std::string& l : footer) {
      out.yaml += "# " + l + "\n";
      out.line_origins.push_back("");
    }
  }
  return out;
}

Result<ImportedPolicy> ImportSpecFiles(const std::vector<std::string>& paths,
                                       const ImportOptions& options) {
  Result<SpecInput> input = ReadSpecDocuments(paths);
  if (!input.ok()) return input.status();
  return ImportSpecInput(input.value(), options);
}

std::string RemapImportedError(const std::string& message, const std::string& generated,
                               const ImportedPolicy& imported) {
  if (message.rfind(generated + ":", 0) != 0) return message;
  const std::string rest = message.substr(generated.size() + 1);
  size_t line = 0;
  size_t i = 0;
  while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])))
    line = line * 10 + static_cast<size_t>(rest[i++] - '0');
  // Skip ":col: ".
  size_t text = rest.find(": ", i);
  const std::string what = text == std::string::npos ? rest : rest.substr(text + 2);
  std::string origin;
  if (line >= 1 && line <= imported.line_origins.size()) origin = imported.line_origins[line - 1];
  std::istringstream lines(imported.yaml);
  std::string generated_line;
  for (size_t k = 0; k < line && std::getline(lines, generated_line); ++k) {
  }
  const size_t hash = generated_line.find("  #");
  if (hash != std::string::npos) generated_line = generated_line.substr(0, hash);
  while (!generated_line.empty() && generated_line.back() == ' ') generated_line.pop_back();
  const std::string context =
      " (in the policy imported from it, line " + std::to_string(line) + ": '" +
      generated_line.substr(generated_line.find_first_not_of(' ') == std::string::npos
                                ? 0
                                : generated_line.find_first_not_of(' ')) +
      "')";
  if (origin.empty()) return generated + ":" + rest;
  return origin + ": " + what + context;
}

Result<std::string> ValidateTemplatesOnly(const SpecInput& input, const ImportOptions& options) {
  DraftNode policy;
  MappingReport report;
  ImportContext ctx(options, &policy, &report);
  int templates = 0, metrics = 0;
  Status st = CatchConfigErrors([&] {
    ArgoTemplateSet set;
    for (const SpecDocument& d : input.documents) {
      if (d.kind == DocKind::kArgoAnalysisTemplate || d.kind == DocKind::kArgoClusterTemplate)
        set.Add(d);
    }
    for (const SpecDocument& d : input.documents) {
      if (d.kind == DocKind::kArgoAnalysisTemplate || d.kind == DocKind::kArgoClusterTemplate) {
        const SpecField spec = SpecField(d.root, "").Required("spec");
        CheckArgoTemplate(spec, set, ctx);
        ++templates;
        metrics += static_cast<int>(spec.Required("metrics").Items().size());
      } else if (d.kind == DocKind::kFlaggerMetricTemplate) {
        const SpecField spec = SpecField(d.root, "").Required("spec");
        spec.Required("query").String();
        ++templates;
        ++metrics;
      } else if (d.kind != DocKind::kEmpty && d.kind != DocKind::kKubernetesOther) {
        d.root.Fail(d.Label() + ": expected only templates here");
      }
    }
  });
  if (!st.ok()) return st;
  return std::to_string(templates) + " analysis template(s), " + std::to_string(metrics) +
         " metric(s): " + std::to_string(report.Count(Disposition::kNotSimulated)) +
         " cannot be simulated";
}

}  // namespace fleetsim::import
