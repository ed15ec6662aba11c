// YAML input limits: what fleetsim's YAML files must be before yaml-cpp builds a tree of them.
//
// Scenario, policy and baseline files are small hand-written text (a few KB). CheckYamlText
// refuses, with "file:line:col: what was wrong; expected what", any input that is not that:
//   - larger than kMaxYamlBytes;
//   - not UTF-8 text: UTF-16/32 (by byte order mark or NUL bytes), invalid or overlong UTF-8
//     sequences, surrogates, characters YAML does not allow (C0/C1 controls other than tab, LF
//     and CR; DEL; U+FFFE/U+FFFF), or a byte order mark anywhere but at the very start;
//   - collections nested deeper than kMaxYamlDepth (flow brackets are counted on the raw text
//     first, because yaml-cpp's scanner reads a whole run of '[' before its own depth guard);
//   - more than one document ("---" followed by a second one);
//   - a document that, with every alias (*name) expanded, has more than kMaxYamlNodes nodes
//     (an "alias bomb": a few lines that expand to billions of nodes when walked);
//   - an empty document (nothing but comments or whitespace).
// The parser's own syntax errors are reported as "YAML syntax error". Pure functions; throw
// ConfigError (yaml_reader.h). Thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace fleetsim {

inline constexpr size_t kMaxYamlBytes = 1 << 20;  // 1 MiB
inline constexpr int kMaxYamlDepth = 64;
inline constexpr long kMaxYamlNodes = 1'000'000;

// Checks the raw bytes (size, encoding, characters, flow nesting) and then the document's
// structure (one document, nesting depth, expanded node count, not empty). `file` names the input
// in messages ("<input>" when null).
// `many_documents`: a multi-document stream is allowed (vendor manifests read by import/);
// fleetsim's own files hold exactly one document.
void CheckYamlText(const std::string& text, const std::string* file, bool many_documents = false);

}  // namespace fleetsim
