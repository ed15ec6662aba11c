// Helpers of the import tests: import YAML text or files and REQUIRE the outcome, parse the
// imported policy as `--policy` would, find report rows, and locate the shared vendor specs
// (../shared/interop-specs beside the checkout; absent -> the tests that need them say so and
// skip).
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "import/spec_import.h"
#include "policies/policy_loader.h"
#include "tests/test_support.h"

namespace fleetsim::testing {

inline Result<import::ImportedPolicy> ImportYaml(const std::string& text, const std::string& file,
                                                 const import::ImportOptions& options = {}) {
  Result<import::SpecInput> input = import::ParseSpecText(text, file);
  if (!input.ok()) return input.status();
  return import::ImportSpecInput(input.value(), options);
}

inline import::ImportedPolicy ImportOk(const std::string& text, const std::string& file,
                                       const import::ImportOptions& options = {}) {
  Result<import::ImportedPolicy> r = ImportYaml(text, file, options);
  INFO((r.ok() ? std::string() : r.status().message()));
  REQUIRE(r.ok());
  return std::move(r).value();
}

inline std::string ImportError(const std::string& text, const std::string& file,
                               const import::ImportOptions& options = {}) {
  Result<import::ImportedPolicy> r = ImportYaml(text, file, options);
  REQUIRE_FALSE(r.ok());
  return r.status().message();
}

// The imported policy parsed by the native parser, as --policy does.
inline Policy PolicyOf(const import::ImportedPolicy& imported) {
  static const std::string kName = "imported.yaml";
  Policy p;
  Status st = CatchConfigErrors(
      [&] { p = ParsePolicyNode(ParseYamlText(imported.yaml, &kName), imported.name); });
  INFO(st.message() << "\n" << imported.yaml);
  REQUIRE(st.ok());
  return p;
}

// The first report row for fleetsim key `key`, or null.
inline const import::MappingRow* RowFor(const import::ImportedPolicy& p, const std::string& key) {
  for (const import::MappingRow& r : p.report.rows()) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

// The first report row for source field `source`, or null.
inline const import::MappingRow* RowFrom(const import::ImportedPolicy& p,
                                         const std::string& source) {
  for (const import::MappingRow& r : p.report.rows()) {
    if (r.source == source) return &r;
  }
  return nullptr;
}

// ../shared/interop-specs relative to the repository root ($FLEETSIM_INTEROP_SPECS instead, for
// a checkout elsewhere); "" when absent.
inline std::string SharedSpecsDir() {
  const char* env = std::getenv("FLEETSIM_INTEROP_SPECS");
  const std::filesystem::path dir =
      env && *env ? std::filesystem::path(env)
                  : std::filesystem::path(FLEETSIM_SOURCE_DIR) / ".." / "shared" / "interop-specs";
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) ? dir.lexically_normal().string() : "";
}

}  // namespace fleetsim::testing
