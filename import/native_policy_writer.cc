#include "import/native_policy_writer.h"

#include <cassert>

namespace fleetsim::import {

DraftNode DraftNode::Scalar(std::string value, std::string comment, std::string origin) {
  DraftNode n;
  n.type_ = Type::kScalar;
  n.empty_ = false;
  n.value_ = std::move(value);
  n.comment_ = std::move(comment);
  n.origin_ = std::move(origin);
  return n;
}

DraftNode& DraftNode::Child(const std::string& key) {
  if (empty_) {
    type_ = Type::kMap;
    empty_ = false;
  }
  assert(type_ == Type::kMap);
  for (auto& [k, v] : map_) {
    if (k == key) return v;
  }
  map_.emplace_back(key, DraftNode{});
  return map_.back().second;
}

void DraftNode::Set(const std::string& key, std::string value, std::string comment,
                    std::string origin) {
  Child(key) = Scalar(std::move(value), std::move(comment), std::move(origin));
}

bool DraftNode::Has(const std::string& key) const { return Find(key) != nullptr; }

const DraftNode* DraftNode::Find(const std::string& key) const {
  if (type_ != Type::kMap) return nullptr;
  for (const auto& [k, v] : map_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void DraftNode::Erase(const std::string& key) {
  for (auto it = map_.begin(); it != map_.end(); ++it) {
    if (it->first == key) {
      map_.erase(it);
      return;
    }
  }
}

DraftNode& DraftNode::Append() {
  if (empty_) {
    type_ = Type::kSequence;
    empty_ = false;
  }
  assert(type_ == Type::kSequence);
  seq_.emplace_back();
  return seq_.back();
}

void DraftNode::AppendScalar(std::string value, std::string comment, std::string origin) {
  Append() = Scalar(std::move(value), std::move(comment), std::move(origin));
}

std::string YamlScalar(const std::string& value) {
  bool plain = !value.empty();
  for (char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '/' || c == '%' || c == '+' || c == '-';
    plain = plain && ok;
  }
  // A leading '-' is plain only for a negative number ("-1"), not a sequence item ("- x").
  const bool negative_number =
      value.size() > 1 && value.front() == '-' && value[1] >= '0' && value[1] <= '9';
  if (plain && (value.front() != '-' || negative_number) && value.front() != '%') return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

namespace {

class Writer {
 public:
  explicit Writer(std::vector<std::string>* origins) : origins_(origins) {}

  void Line(const std::string& text, const std::string& comment, const std::string& origin) {
    std::string line = text;
    if (!comment.empty()) {
      if (line.size() < kCommentColumn) line += std::string(kCommentColumn - line.size(), ' ');
      line += "  # " + comment;
    }
    out_ += line + "\n";
    if (origins_) origins_->push_back(origin);
  }

  // Writes the entries of a mapping; the first line may carry a "- " prefix (sequence item).
  void Map(const DraftNode& node, int indent, bool first_has_dash) {
    bool first = true;
    for (const auto& [key, value] : node.entries()) {
      std::string lead = std::string(static_cast<size_t>(indent), ' ');
      if (first && first_has_dash) lead = std::string(static_cast<size_t>(indent - 2), ' ') + "- ";
      first = false;
      Entry(lead + key + ":", value, indent);
    }
    if (first && first_has_dash)
      Line(std::string(static_cast<size_t>(indent - 2), ' ') + "- {}", node.comment(),
           node.origin());
  }

  void Entry(const std::string& lead, const DraftNode& value, int indent) {
    switch (value.type()) {
      case DraftNode::Type::kScalar:
        Line(lead + " " + YamlScalar(value.value()), value.comment(), value.origin());
        break;
      case DraftNode::Type::kMap:
        Line(lead, value.comment(), value.origin());
        Map(value, indent + 2, false);
        break;
      case DraftNode::Type::kSequence:
        Line(lead, value.comment(), value.origin());
        Sequence(value, indent + 2);
        break;
    }
  }

  void Sequence(const DraftNode& node, int indent) {
    for (const DraftNode& item : node.items()) {
      const std::string dash = std::string(static_cast<size_t>(indent), ' ') + "- ";
      switch (item.type()) {
        case DraftNode::Type::kScalar:
          Line(dash + YamlScalar(item.value()), item.comment(), item.origin());
          break;
        case DraftNode::Type::kMap:
          if (!item.comment().empty()) {
            // The item's own comment goes on a line of its own above it.
            Line(std::string(static_cast<size_t>(indent), ' ') + "# " + item.comment(), "",
                 item.origin());
          }
          Map(item, indent + 2, true);
          break;
        case DraftNode::Type::kSequence:
          Line(dash.substr(0, dash.size() - 1), item.comment(), item.origin());
          Sequence(item, indent + 2);
          break;
      }
    }
  }

  std::string Take() { return std::move(out_); }

 private:
  static constexpr size_t kCommentColumn = 40;
  std::string out_;
  std::vector<std::string>* origins_;
};

}  // namespace

std::string WriteNativePolicy(const DraftNode& root, const std::vector<std::string>& header,
                              std::vector<std::string>* line_origins) {
  if (line_origins) line_origins->clear();
  Writer w(line_origins);
  for (const std::string& h : header) w.Line(h.empty() ? "#" : "# " + h, "", "");
  w.Map(root, 0, false);
  return w.Take();
}

}  // namespace fleetsim::import
