#include "analysis/vendor_policy.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fleetsim {
namespace {

Result<import::ImportedPolicy> Import(const std::string& path,
                                      const import::ImportOptions& options) {
  std::vector<std::string> files{path};
  files.insert(files.end(), options.with.begin(), options.with.end());
  return import::ImportSpecFiles(files, options);
}

}  // namespace

bool IsVendorPolicy(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return import::IsPredefinedName(path);
  auto file = std::make_shared<const std::string>(path);
  bool vendor = false;
  // A file that does not parse is not sniffed here: the native loader reports its error.
  (void)CatchConfigErrors(
      [&] { vendor = import::IsVendorDocument(LoadFirstYamlDocument(path, file.get())); });
  return vendor;
}

Result<Policy> PolicyFromImport(const import::ImportedPolicy& imported, const std::string& source) {
  const auto generated = std::make_shared<const std::string>(source + " (imported)");
  Policy policy;
  Status st = CatchConfigErrors([&] {
    ConfigNode root = ParseYamlText(imported.yaml, generated.get());
    policy = ParsePolicyNode(root, imported.name);
  });
  if (!st.ok())
    return Status::Error(import::RemapImportedError(st.message(), *generated, imported));
  policy.source = source;
  return policy;
}

Result<Policy> LoadAnyPolicy(const std::string& path, const import::ImportOptions& options) {
  if (!IsVendorPolicy(path)) return LoadPolicyFile(path);
  Result<import::ImportedPolicy> imported = Import(path, options);
  if (!imported.ok()) return imported.status();
  return PolicyFromImport(imported.value(), path);
}

Result<std::string> NativePolicyText(const std::string& path,
                                     const import::ImportOptions& options) {
  if (IsVendorPolicy(path)) {
    Result<import::ImportedPolicy> imported = Import(path, options);
    if (!imported.ok()) return imported.status();
    return imported.value().yaml;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace fleetsim
