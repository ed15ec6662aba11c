// SpecField: one located field of a vendor spec (an Argo Rollout, a Flagger Canary, an AWS
// deployment strategy...), read by the importers in import/.
//
// A SpecField is a YAML node plus the dotted path of the field in its document
// ("spec.strategy.canary.steps[1].pause") and the file it came from, so that every mapping row
// and every error can say which source field it is about and where it is (file:line:col).
// Reading is strict in the fleetsim way: a wrong type or an unknown key is a ConfigError at the
// field's position (importers throw; spec_import.h turns it into a Status). Vendor durations
// are Go durations ("1m30s", "1.5h", "300ms") or plain integer seconds, as Argo and Flagger
// accept them.
//
// Value type; borrows the file name string through ConfigNode (it must outlive the field).
// Not thread-safe for concurrent mutation (there is none: fields are read-only views).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loader/yaml_reader.h"
#include "sim/sim_time.h"

namespace fleetsim::import {

class SpecField {
 public:
  SpecField(ConfigNode node, std::string path) : node_(std::move(node)), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  const ConfigNode& config() const { return node_; }
  std::string Where() const { return node_.Where(); }
  // "path (file:line:col)" for messages and mapping rows.
  std::string Describe() const { return path_ + " (" + Where() + ")"; }
  [[noreturn]] void Fail(const std::string& message) const;

  bool IsMap() const { return node_.node.IsMap(); }
  bool IsSequence() const { return node_.node.IsSequence(); }
  bool IsScalar() const { return node_.node.IsScalar(); }
  bool IsNull() const { return !node_.node || node_.node.IsNull(); }

  bool Has(const std::string& key) const;
  std::optional<SpecField> Optional(const std::string& key) const;
  SpecField Required(const std::string& key) const;
  // Keys of a mapping in file order (Fail unless a mapping).
  std::vector<std::string> Keys() const;
  // Items of a sequence, each with path "path[i]" (Fail unless a sequence).
  std::vector<SpecField> Items() const;

  std::string String() const;
  double Number() const;
  int64_t Int() const;
  bool Bool() const;
  // An integer, or an integer followed by '%' ("25%"); `percent` says which.
  double IntOrPercent(bool* percent) const;
  // A Go duration string ("10m", "1h30m", "1.5s", "300ms") or integer seconds (Argo `pause:
  // {duration: 30}`). Negative or sub-millisecond remainders are errors.
  SimTime GoDuration() const;

  // Fails at the first key of this mapping not in `known`, naming the vendor ("Argo Rollouts")
  // and listing the known keys: a typo in a spec must not silently vanish.
  void RequireKnownKeys(std::initializer_list<const char*> known, const std::string& vendor) const;

 private:
  ConfigNode node_;
  std::string path_;
};

// Formats a number the way a person writes it: 0.05, 20, 1e-06 (12 significant digits, so
// 1 - 0.95 prints as 0.05).
std::string FormatNumber(double v);

// Parses a Go duration; nullopt when malformed (used by SpecField::GoDuration and tests).
std::optional<SimTime> ParseGoDuration(const std::string& text);

}  // namespace fleetsim::import
