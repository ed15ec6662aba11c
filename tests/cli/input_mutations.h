// The generator of the malformed-input battery (tests/cli/malformed_input_test.cc): bad inputs
// made from the shipped example scenarios and policies, each with what its error must say.
//
// How mutants are made (deterministic; no randomness):
//   - Tree mutations: the base file is parsed with yaml-cpp, every mapping and every scalar of
//     the tree is visited in document order, and for each visited node one copy of the tree is
//     changed there and emitted again as YAML (comments are lost; flow and block styles are
//     kept). Families: an unknown key added to every mapping; the first key of every mapping
//     repeated; every scalar replaced by a list and by a mapping (wrong type); every number
//     replaced by -1e300, 1e300, .nan, .inf and a 21-digit integer; every percent set to 150;
//     every list of rollout stages reversed (non-increasing); a policy reference to a missing
//     file. The line an error must name is the first line where the mutant's text differs from
//     the unmutated emission (where the changed node is), or any line for semantic families.
//   - Byte mutations of the raw file: empty, only a comment, binary noise with NUL bytes,
//     truncated inside a flow collection, invalid UTF-8 (a stray 0xFF, an overlong '/', a
//     surrogate, a sequence cut at the end), a control character, UTF-16 and UTF-32 byte order
//     marks, a byte order mark in the middle, a tab as indentation, a second document, an alias
//     bomb ("billion laughs"), 10,000 nested flow lists, 100 nested block mappings, 2 MiB of
//     text.
// Each mutant is a whole file; the battery writes it to a temp directory and runs fleetsim on it.
#pragma once

#include <string>
#include <vector>

namespace fleetsim::testing {

struct Mutant {
  std::string family;      // e.g. "unknown key", "wrong type", "invalid UTF-8"
  std::string where;       // the base file and the node or byte position changed
  std::string text;        // the mutated file
  std::string must_say;    // a substring the error message must contain ("" = any)
  int line = 0;            // the line the error must name (0 = any line)
  bool is_policy = false;  // a policy file (run with --policy) rather than a scenario
};

// Tree mutations of `base_yaml` (a scenario or policy file's text; `name` labels it). Scenario
// policy references are rewritten to absolute paths under `source_dir` so that the mutant can be
// written anywhere.
std::vector<Mutant> TreeMutants(const std::string& name, const std::string& base_yaml,
                                bool is_policy, const std::string& source_dir);

// Byte mutations of `base_yaml`.
std::vector<Mutant> ByteMutants(const std::string& name, const std::string& base_yaml,
                                bool is_policy, const std::string& source_dir);

// The unmutated emission of `base_yaml` as TreeMutants writes it (the battery's positive control:
// it must load and run).
std::string EmitUnmutated(const std::string& base_yaml, bool is_policy,
                          const std::string& source_dir);

}  // namespace fleetsim::testing
