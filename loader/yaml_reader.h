// YamlReader: strict, located reading of fleetsim's YAML files (scenarios and policies).
//
// Every problem is reported as "file:line:col: what was wrong; expected what". Maps are read
// through YamlMap, which rejects repeated and non-scalar keys and remembers which keys the
// reader asked for; Finish() then rejects any other key, so a typo never silently becomes a
// default. Numbers must be finite (no .nan, .inf or overflow); strings must be printable. Parsing
// code throws ConfigError, and the public entry points (LoadScenario, LoadPolicy, ...) catch it and
// return a Status: the exception never crosses a library boundary.
//
// A YamlMap borrows the file name; the string must outlive it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/sim_time.h"
#include "sim/status.h"

namespace fleetsim {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A node together with the file it came from, for error messages.
struct ConfigNode {
  YAML::Node node;
  const std::string* file = nullptr;

  std::string Where() const;  // "file:line:col"
  [[noreturn]] void Fail(const std::string& message) const;

  bool IsMap() const { return node.IsMap(); }
  bool IsSequence() const { return node.IsSequence(); }
  bool IsScalar() const { return node.IsScalar(); }

  double AsDouble(const std::string& what) const;
  int64_t AsInt(const std::string& what) const;
  bool AsBool(const std::string& what) const;
  std::string AsString(const std::string& what) const;
  SimTime AsDuration(const std::string& what) const;
  // A fraction in [0, 1], written either as 0.05 or as "5%".
  double AsFraction(const std::string& what) const;
  std::vector<ConfigNode> AsSequence(const std::string& what) const;
};

class YamlMap {
 public:
  // Fails unless `node` is a mapping. `context` names the section for messages ("fleet").
  YamlMap(const ConfigNode& node, std::string context);

  bool Has(const std::string& key);
  ConfigNode Required(const std::string& key);
  std::optional<ConfigNode> Optional(const std::string& key);
  const ConfigNode& self() const { return node_; }

  double Double(const std::string& key, double fallback);
  // Double() that must lie in [lo, hi] (whether given or defaulted).
  double DoubleIn(const std::string& key, double fallback, double lo, double hi);
  double RequiredDouble(const std::string& key);
  int64_t Int(const std::string& key, int64_t fallback);
  // Int() that must lie in [lo, hi] (checked before any narrowing by the caller).
  int64_t IntIn(const std::string& key, int64_t fallback, int64_t lo, int64_t hi);
  bool Bool(const std::string& key, bool fallback);
  std::string String(const std::string& key, const std::string& fallback);
  std::string RequiredString(const std::string& key);
  SimTime Duration(const std::string& key, SimTime fallback);
  SimTime RequiredDuration(const std::string& key);
  double Fraction(const std::string& key, double fallback);

  // Checks numeric bounds on a value read from `key` (which must have been read already).
  void RequireAtLeast(const std::string& key, double value, double min);
  void RequireRange(const std::string& key, double value, double lo, double hi);

  // Rejects every key that was never asked for, listing the keys this section accepts.
  void Finish();

 private:
  ConfigNode node_;
  std::string context_;
  std::vector<std::string> known_;
};

// Parses YAML text after the checks of yaml_limits.h (size, UTF-8, nesting, one document, alias
// expansion, not empty); syntax errors become ConfigError with the file position.
ConfigNode ParseYamlText(const std::string& text, const std::string* file);

// Reads and parses a file; a missing file becomes a ConfigError naming it.
ConfigNode LoadYamlFile(const std::string& path, const std::string* file_name_storage);

// Same, for a file that may hold several documents (a vendor manifest sniffed by import/):
// the first document, after the same checks.
ConfigNode LoadFirstYamlDocument(const std::string& path, const std::string* file_name_storage);

// The bytes of a YAML file, reading no more than one byte past kMaxYamlBytes (so that the size
// check refuses a huge or endless input without reading it whole). Errors name the path.
Result<std::string> ReadYamlFile(const std::string& path);

// Runs `parse` and converts a ConfigError into a failed Status.
Status CatchConfigErrors(const std::function<void()>& parse);

}  // namespace fleetsim
