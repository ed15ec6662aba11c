// PolicyDraft and WriteNativePolicy: the fleetsim policy an import produces, as commented YAML.
//
// Importers fill a PolicyDraft (ordered mappings, sequences and scalars, each scalar with the
// source field it came from); WriteNativePolicy renders it as block YAML in which every field's
// line ends with a comment naming that source field ("# spec.analysis.threshold, line 41"), so
// a reader can check each value against the vendor spec. The writer also returns, for every
// output line, the file:line:col of the source field it came from: when the native parser
// rejects a value (policies/policy_loader.h), spec_import.h reports the error at the vendor
// field instead of at a line of text the user never wrote.
//
// Scalars are quoted only when they must be (anything beyond letters, digits and _ . / % + -).
// Value type; not thread-safe for concurrent mutation.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fleetsim::import {

class DraftNode {
 public:
  enum class Type { kScalar, kMap, kSequence };

  DraftNode() = default;
  static DraftNode Scalar(std::string value, std::string comment = "", std::string origin = "");

  Type type() const { return type_; }
  const std::string& value() const { return value_; }
  const std::string& comment() const { return comment_; }
  const std::string& origin() const { return origin_; }

  // Mapping access (turns an empty node into a mapping). Child() creates the key if missing,
  // keeping insertion order; Set() replaces an existing scalar in place.
  DraftNode& Child(const std::string& key);
  void Set(const std::string& key, std::string value, std::string comment = "",
           std::string origin = "");
  bool Has(const std::string& key) const;
  const DraftNode* Find(const std::string& key) const;
  void Erase(const std::string& key);
  const std::vector<std::pair<std::string, DraftNode>>& entries() const { return map_; }

  // Sequence access (turns an empty node into a sequence).
  DraftNode& Append();
  void AppendScalar(std::string value, std::string comment = "", std::string origin = "");
  std::vector<DraftNode>& items() { return seq_; }
  const std::vector<DraftNode>& items() const { return seq_; }

  // A comment on the line that opens this mapping or sequence (or on the scalar's line).
  void Annotate(std::string comment, std::string origin = "") {
    comment_ = std::move(comment);
    origin_ = std::move(origin);
  }

 private:
  Type type_ = Type::kMap;
  bool empty_ = true;  // a fresh node becomes whatever is first asked of it
  std::string value_;
  std::string comment_;
  std::string origin_;  // "file:line:col" of the source field, for error positions
  std::vector<std::pair<std::string, DraftNode>> map_;
  std::vector<DraftNode> seq_;
};

// Renders `root` (a mapping) after `header` (each line becomes a "# " comment line).
// `line_origins`, when given, receives one entry per output line (index 0 = line 1): the
// origin of the field on that line, or "" for lines that came from no single field.
std::string WriteNativePolicy(const DraftNode& root, const std::vector<std::string>& header,
                              std::vector<std::string>* line_origins);

// The scalar as YAML: plain when safe, else double-quoted.
std::string YamlScalar(const std::string& value);

}  // namespace fleetsim::import
