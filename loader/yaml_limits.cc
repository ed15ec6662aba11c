// Implementation of loader/yaml_limits.h: one pass over the bytes, then one pass of yaml-cpp's
// event parser (which builds no tree) before YAML::Load builds one. Columns count bytes, as
// yaml-cpp's marks do.
#include "loader/yaml_limits.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "loader/yaml_reader.h"

namespace fleetsim {
namespace {

std::string Position(const std::string* file, int64_t line, int64_t column) {
  return (file ? *file : std::string("<input>")) + ":" + std::to_string(line) + ":" +
         std::to_string(column);
}

[[noreturn]] void FailAt(const std::string* file, int64_t line, int64_t column,
                         const std::string& message) {
  throw ConfigError(Position(file, line, column) + ": " + message);
}

std::string Hex(unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02X", value);
  return buf;
}

// Length of the UTF-8 sequence at text[i] and its code point, or 0 if it is not valid UTF-8
// (truncated, overlong, a surrogate, or beyond U+10FFFF).
size_t DecodeUtf8(const std::string& text, size_t i, uint32_t* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  size_t length = 0;
  uint32_t cp = 0, min = 0;
  if (b0 < 0x80) {
    *code_point = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *code_point = cp;
  return length;
}

// YAML 1.2's c-printable, plus the line breaks.
bool Printable(uint32_t cp) {
  if (cp == 0x09 || cp == 0x0A || cp == 0x0D) return true;
  if (cp < 0x20 || cp == 0x7F) return false;
  if (cp >= 0x80 && cp <= 0x9F) return cp == 0x85;
  return cp != 0xFFFE && cp != 0xFFFF;
}

void CheckEncoding(const std::string& text, const std::string* file) {
  const auto starts_with = [&](const char* bom, size_t n) {
    return text.size() >= n && text.compare(0, n, bom, n) == 0;
  };
  if (starts_with("\x00\x00\xFE\xFF", 4) || starts_with("\xFF\xFE\x00\x00", 4)) {
    FailAt(file, 1, 1, "the file is UTF-32; expected UTF-8 text");
  }
  if (starts_with("\xFE\xFF", 2) || starts_with("\xFF\xFE", 2)) {
    FailAt(file, 1, 1, "the file is UTF-16; expected UTF-8 text");
  }
  int64_t line = 1, column = 1;
  size_t i = starts_with("\xEF\xBB\xBF", 3) ? 3 : 0;  // a leading byte order mark is allowed
  while (i < text.size()) {
    uint32_t cp = 0;
    const size_t length = DecodeUtf8(text, i, &cp);
    if (length == 0) {
      FailAt(file, line, column,
             "byte 0x" + Hex(static_cast<unsigned char>(text[i])) +
                 " is not valid UTF-8; expected UTF-8 text");
    }
    if (cp == 0) {
      FailAt(file, line, column,
             "NUL byte; expected UTF-8 text (is this a binary or UTF-16 file?)");
    }
    if (cp == 0xFEFF) {
      FailAt(file, line, column, "byte order mark inside the file; expected one only at its start");
    }
    if (!Printable(cp)) {
      FailAt(file, line, column,
             "control character U+" + Hex(cp) +
                 "; expected printable text (write it as an escape in a double-quoted string)");
    }
    if (cp == '\n') {
      ++line;
      column = 1;
    } else {
      column += static_cast<int64_t>(length);
    }
    i += length;
  }
}

// Flow nesting ('[' and '{' outside quoted scalars and comments), counted on the raw text.
// Conservative: a bracket inside a plain scalar counts too, which can only make the limit bite
// earlier on text with dozens of unbalanced brackets.
void CheckFlowDepth(const std::string& text, const std::string* file) {
  enum class State { kPlain, kSingle, kDouble, kComment } state = State::kPlain;
  int depth = 0;
  int64_t line = 1, column = 1;
  char previous = '\n';
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool token_start = previous == '\n' || previous == ' ' || previous == '\t' ||
                             previous == '[' || previous == '{' || previous == ',' ||
                             previous == ':';
    switch (state) {
      case State::kPlain:
        if (c == '\t' && previous == '\n' && depth == 0) {
          FailAt(file, line, column,
                 "tab at the start of a line; expected spaces for indentation (YAML forbids tabs "
                 "there)");
        }
        if (c == '#' && (previous == '\n' || previous == ' ' || previous == '\t')) {
          state = State::kComment;
        } else if (c == '\'' && token_start) {
          state = State::kSingle;
        } else if (c == '"' && token_start) {
          state = State::kDouble;
        } else if (c == '[' || c == '{') {
          if (++depth > kMaxYamlDepth) {
            FailAt(file, line, column,
                   "collections nested deeper than " + std::to_string(kMaxYamlDepth) +
                       " levels; expected a shallow scenario or policy file");
          }
        } else if ((c == ']' || c == '}') && depth > 0) {
          --depth;
        }
        break;
      case State::kSingle:
        if (c == '\'') state = State::kPlain;  // '' (an escaped quote) reopens at once
        break;
      case State::kDouble:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') {
          ++i;
          ++column;
        } else if (c == '"') {
          state = State::kPlain;
        }
        break;
      case State::kComment:
        if (c == '\n') state = State::kPlain;
        break;
    }
    previous = c;
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

// The document's structure as yaml-cpp's event parser sees it: documents, nesting depth, and
// the node count with every alias expanded (an anchored node's expanded size is known when it
// ends; an alias adds that size).
class StructureCheck : public YAML::EventHandler {
 public:
  StructureCheck(const std::string* file, bool many_documents)
      : file_(file), many_documents_(many_documents) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1 && !many_documents_) {
      Fail(mark,
           "a second YAML document (after ---); expected one scenario, policy or baseline per "
           "file");
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = sizes_.find(anchor);
    Count(mark, it == sizes_.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

  long nodes() const { return nodes_; }

 private:
  struct OpenNode {
    YAML::anchor_t anchor;
    long nodes_before;
  };

  [[noreturn]] void Fail(const YAML::Mark& mark, const std::string& message) const {
    FailAt(file_, mark.line + 1, mark.column + 1, message);
  }
  void Count(const YAML::Mark& mark, long n) {
    nodes_ += n;
    if (nodes_ > kMaxYamlNodes) {
      Fail(mark, "the document expands to more than " + std::to_string(kMaxYamlNodes) +
                     " nodes (aliases expanded); expected a small scenario or policy file (is "
                     "this an alias bomb?)");
    }
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Count(mark, 1);
    if (anchor != YAML::NullAnchor) sizes_[anchor] = 1;
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(open_.size()) >= kMaxYamlDepth) {
      Fail(mark, "collections nested deeper than " + std::to_string(kMaxYamlDepth) +
                     " levels; expected a shallow scenario or policy file");
    }
    open_.push_back(OpenNode{anchor, nodes_});
    Count(mark, 1);
  }
  void Close() {
    const OpenNode node = open_.back();
    open_.pop_back();
    if (node.anchor != YAML::NullAnchor) sizes_[node.anchor] = nodes_ - node.nodes_before;
  }

  const std::string* file_;
  bool many_documents_;
  int documents_ = 0;
  long nodes_ = 0;
  std::vector<OpenNode> open_;
  std::unordered_map<YAML::anchor_t, long> sizes_;
};

}  // namespace

void CheckYamlText(const std::string& text, const std::string* file, bool many_documents) {
  if (text.size() > kMaxYamlBytes) {
    FailAt(file, 1, 1,
           "the file has " + std::to_string(text.size()) + " bytes; expected at most " +
               std::to_string(kMaxYamlBytes) + " (a scenario or policy file is a few KB)");
  }
  CheckEncoding(text, file);
  CheckFlowDepth(text, file);
  std::istringstream in(text);
  StructureCheck check(file, many_documents);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(check)) {
    }
  } catch (const YAML::Exception& e) {
    const int64_t line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    const int64_t column = e.mark.line >= 0 ? e.mark.column + 1 : 1;
    FailAt(file, line, column, "YAML syntax error: " + e.msg + "; expected well-formed YAML");
  }
  if (check.nodes() == 0) {
    FailAt(file, 1, 1, "the file is empty; expected a YAML mapping (key: value lines)");
  }
}

}  // namespace fleetsim
