// `fleetsim import SPEC... [-o POLICY.yaml]`: a vendor rollout spec in, a native commented
// fleetsim policy out, with the mapping table (source field -> fleetsim key -> value) and the
// source fields that have no effect or cannot be simulated. Argument handling and output only:
// the mapping is import/spec_import.h. Also the ImportFlags -> ImportOptions conversion every
// command that accepts a vendor spec as a policy shares.
#include <iostream>

#include "analysis/atomic_file.h"
#include "analysis/vendor_policy.h"
#include "cli/commands.h"
#include "import/spec_import.h"

namespace fleetsim::cli {

Status ToImportOptions(const ImportFlags& flags, import::ImportOptions* options) {
  import::ImportOptions o;
  for (const std::string& m : flags.metric_maps) {
    if (Status st = o.metrics.AddFlag(m); !st.ok()) return st;
  }
  for (const std::string& name : flags.ignore_metrics) o.metrics.AddIgnore(name);
  if (!flags.metrics_file.empty()) {
    Result<import::MetricsTable> table = import::MetricsTable::Load(flags.metrics_file);
    if (!table.ok()) return table.status();
    o.metrics.Append(table.value());
  }
  o.ignore_templates = flags.ignore_templates;
  o.with = flags.with;
  if (!flags.match_share.empty()) {
    std::string s = flags.match_share;
    double scale = 1;
    if (s.back() == '%') {
      s.pop_back();
      scale = 0.01;
    }
    double v = -1;
    try {
      size_t used = 0;
      v = std::stod(s, &used) * scale;
      if (used != s.size()) v = -1;
    } catch (const std::exception&) {
    }
    if (!(v > 0 && v < 1))
      return Status::Error("--match-share '" + flags.match_share +
                           "': expected a share strictly between 0 and 1, such as 5% or 0.05");
    o.match_share = v;
  }
  *options = std::move(o);
  return Status::Ok();
}

int ImportCommand(const ImportArgs& args) {
  auto fail = [](const std::string& message) {
    std::cerr << "fleetsim: " << message << "\n";
    return 2;
  };
  import::ImportOptions options;
  if (Status st = ToImportOptions(args.flags, &options); !st.ok()) return fail(st.message());
  std::vector<std::string> files = args.specs;
  files.insert(files.end(), options.with.begin(), options.with.end());
  if (!args.output.empty()) {
    if (Status st = CheckWritable(args.output); !st.ok()) return fail(st.message());
  }
  Result<import::ImportedPolicy> imported = import::ImportSpecFiles(files, options);
  if (!imported.ok()) return fail(imported.status().message());
  const import::ImportedPolicy& p = imported.value();
  // What is written must be a valid policy: parse it as --policy would.
  if (Result<Policy> check = PolicyFromImport(p, args.specs.front()); !check.ok())
    return fail(check.status().message());
  std::ostream& info = args.output.empty() ? std::cerr : std::cout;
  if (!args.output.empty()) {
    if (Status st = WriteFileAtomically(args.output, p.yaml); !st.ok()) {
      std::cerr << "fleetsim: " << st.message() << "\n";
      return 1;
    }
  } else {
    std::cout << p.yaml;
  }
  if (args.quiet) return 0;
  info << import::SpecFormatName(p.format) << " -> fleetsim policy '" << p.name << "'"
       << (args.output.empty() ? "" : " written to " + args.output) << "\n";
  for (const std::string& n : p.notes) info << "note: " << n << "\n";
  info << "\n" << p.report.Table();
  return 0;
}

}  // namespace fleetsim::cli
