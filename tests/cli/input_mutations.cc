// Implementation of tests/cli/input_mutations.h (see there for the families of mutants).
#include "tests/cli/input_mutations.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>

namespace fleetsim::testing {
namespace {

// One step from a node to a child: a mapping key or a list index.
struct Step {
  bool is_index = false;
  std::string key;
  size_t index = 0;
};
using Path = std::vector<Step>;

std::string Describe(const Path& path) {
  std::string out;
  for (const Step& s : path) {
    if (s.is_index)
      out += "[" + std::to_string(s.index) + "]";
    else
      out += (out.empty() ? "" : ".") + s.key;
  }
  return out.empty() ? "(top level)" : out;
}

struct Nodes {
  std::vector<Path> maps;
  std::vector<Path> scalars;
  std::vector<Path> stage_lists;
};

void Walk(const YAML::Node& node, Path& path, Nodes& out) {
  if (node.IsMap()) {
    out.maps.push_back(path);
    for (const auto& entry : node) {
      path.push_back(Step{false, entry.first.Scalar(), 0});
      Walk(entry.second, path, out);
      path.pop_back();
    }
  } else if (node.IsSequence()) {
    if (!path.empty() && !path.back().is_index && path.back().key == "stages" && node.size() >= 2) {
      out.stage_lists.push_back(path);
    }
    for (size_t i = 0; i < node.size(); ++i) {
      path.push_back(Step{true, "", i});
      Walk(node[i], path, out);
      path.pop_back();
    }
  } else if (node.IsScalar()) {
    out.scalars.push_back(path);
  }
}

// The node at `path` of `root` (a reference into the tree: assigning to it changes the tree).
YAML::Node At(YAML::Node root, const Path& path) {
  YAML::Node current = root;
  for (const Step& s : path) {
    YAML::Node next = s.is_index ? current[s.index] : current[s.key];
    current.reset(next);
  }
  return current;
}

// Replaces the node at `path` (not the root) with `value`.
void Replace(YAML::Node root, const Path& path, const YAML::Node& value) {
  YAML::Node parent = At(root, Path(path.begin(), path.end() - 1));
  const Step& last = path.back();
  if (last.is_index)
    parent[last.index] = value;
  else
    parent[last.key] = value;
}

// A scenario's `policy: FILE` as an absolute path into the source tree, so that the mutant can
// live in any directory.
void AbsolutePolicyPath(YAML::Node root, bool is_policy, const std::string& source_dir) {
  if (is_policy || !root.IsMap() || !root["policy"] || !root["policy"].IsScalar()) return;
  const std::string file = std::filesystem::path(root["policy"].Scalar()).filename().string();
  root["policy"] = source_dir + "/scenarios/policies/" + file;
}

std::string Emit(const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

// 1-based number of the first line where `a` and `b` differ.
int FirstDifferentLine(const std::string& a, const std::string& b) {
  int line = 1;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) return line;
    if (a[i] == '\n') ++line;
  }
  return line;
}

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

YAML::Node FlowList() {
  YAML::Node list(YAML::NodeType::Sequence);
  list.push_back("x");
  list.SetStyle(YAML::EmitterStyle::Flow);
  return list;
}

YAML::Node FlowMap() {
  YAML::Node map(YAML::NodeType::Map);
  map["zz"] = "x";
  map.SetStyle(YAML::EmitterStyle::Flow);
  return map;
}

}  // namespace

std::string EmitUnmutated(const std::string& base_yaml, bool is_policy,
                          const std::string& source_dir) {
  YAML::Node root = YAML::Load(base_yaml);
  AbsolutePolicyPath(root, is_policy, source_dir);
  return Emit(root);
}

std::vector<Mutant> TreeMutants(const std::string& name, const std::string& base_yaml,
                                bool is_policy, const std::string& source_dir) {
  const YAML::Node base = YAML::Load(base_yaml);
  AbsolutePolicyPath(base, is_policy, source_dir);
  const std::string unmutated = Emit(base);
  Nodes nodes;
  Path path;
  Walk(base, path, nodes);
  std::vector<Mutant> out;
  // Adds the mutant made by `change` on a fresh copy of the tree.
  const auto add = [&](const std::string& family, const Path& at, const std::string& must_say,
                       bool locate_line, const std::function<void(YAML::Node)>& change) {
    YAML::Node copy = YAML::Clone(base);
    change(copy);
    Mutant m;
    m.family = family;
    m.where = name + ": " + Describe(at);
    m.text = Emit(copy);
    m.must_say = must_say;
    m.line = locate_line ? FirstDifferentLine(unmutated, m.text) : 0;
    m.is_policy = is_policy;
    out.push_back(std::move(m));
  };

  for (const Path& p : nodes.maps) {
    add("unknown key", p, "'zz_unknown_key'", true,
        [&](YAML::Node root) { At(root, p)["zz_unknown_key"] = 1; });
    const YAML::Node map = At(base, p);
    const std::string first = map.begin()->first.Scalar();
    add("duplicate key", p, "duplicate key '" + first + "'", true, [&](YAML::Node root) {
      YAML::Node target = At(root, p);
      target.force_insert(first, YAML::Clone(map.begin()->second));
    });
  }
  size_t number_variant = 0;
  const char* const kNumbers[] = {"-1e300", "1e300", ".nan", ".inf", "123456789012345678901"};
  for (size_t i = 0; i < nodes.scalars.size(); ++i) {
    const Path& p = nodes.scalars[i];
    if (p.empty()) continue;
    const std::string value = At(base, p).Scalar();
    const bool even = i % 2 == 0;
    add("wrong type", p, "expected", true,
        [&](YAML::Node root) { Replace(root, p, even ? FlowList() : FlowMap()); });
    if (IsNumber(value)) {
      const std::string number = kNumbers[number_variant++ % 5];
      add("bad number " + number, p, "expected", true,
          [&](YAML::Node root) { Replace(root, p, YAML::Node(number)); });
    }
    const bool percent_key = !p.back().is_index && p.back().key == "percent";
    if (percent_key ||
        (!value.empty() && value.back() == '%' && IsNumber(value.substr(0, value.size() - 1)))) {
      add("percent over 100", p, "expected", true,
          [&](YAML::Node root) { Replace(root, p, YAML::Node(percent_key ? "150" : "150%")); });
    }
  }
  for (const Path& p : nodes.stage_lists) {
    add("non-increasing stages", p, "", false, [&](YAML::Node root) {
      YAML::Node stages = At(root, p);
      std::vector<YAML::Node> items;
      for (size_t i = 0; i < stages.size(); ++i) items.push_back(YAML::Clone(stages[i]));
      std::reverse(items.begin(), items.end());
      YAML::Node reversed(YAML::NodeType::Sequence);
      for (const YAML::Node& n : items) reversed.push_back(n);
      Replace(root, p, reversed);
    });
  }
  if (!is_policy && base["policy"] && base["policy"].IsScalar()) {
    add("missing referenced file", Path{Step{false, "policy", 0}}, "no policy file", true,
        [&](YAML::Node root) { root["policy"] = "no-such-policy-file.yaml"; });
  }
  return out;
}

std::vector<Mutant> ByteMutants(const std::string& name, const std::string& base_yaml,
                                bool is_policy, const std::string& source_dir) {
  const std::string text = EmitUnmutated(base_yaml, is_policy, source_dir);
  std::vector<Mutant> out;
  const auto add = [&](const std::string& family, const std::string& mutated,
                       const std::string& must_say, int line) {
    out.push_back(Mutant{family, name, mutated, must_say, line, is_policy});
  };
  // Offsets of the start of line 3 and of the first flow collection's opening bracket.
  size_t line3 = 0;
  for (int newlines = 0; line3 < text.size() && newlines < 2; ++line3) {
    if (text[line3] == '\n') ++newlines;
  }
  const size_t flow = text.find_first_of("[{");

  add("empty file", "", "empty", 1);
  add("only a comment", "# nothing here\n", "empty", 1);
  std::string noise;
  for (int i = 0; i < 256; ++i) noise += static_cast<char>((i * 167 + 13) % 256);
  add("binary noise", noise, "expected", 1);
  if (flow != std::string::npos) add("truncated", text.substr(0, flow + 3), "", 0);
  add("invalid UTF-8 (0xFF)", text.substr(0, line3) + "\xFF" + text.substr(line3), "UTF-8", 3);
  add("overlong UTF-8", text.substr(0, line3) + "\xC0\xAF" + text.substr(line3), "UTF-8", 3);
  add("UTF-8 surrogate", text.substr(0, line3) + "\xED\xA0\x80" + text.substr(line3), "UTF-8", 3);
  add("UTF-8 cut at the end", text + "# \xE2\x82", "UTF-8", 0);
  add("control character", text.substr(0, line3) + "\x01" + text.substr(line3), "control", 3);
  add("UTF-16 BOM", std::string("\xFF\xFE") + text, "UTF-16", 1);
  add("UTF-32 BOM", std::string("\x00\x00\xFE\xFF", 4) + text, "UTF-32", 1);
  add("BOM in the middle", text.substr(0, line3) + "\xEF\xBB\xBF" + text.substr(line3),
      "byte order mark", 3);
  // A tab where an indentation is expected (the first indented line).
  const size_t indented = text.find("\n  ");
  if (indented != std::string::npos) {
    add("tab indentation", text.substr(0, indented + 1) + "\t" + text.substr(indented + 3), "", 0);
  }
  add("second document", text + "---\nname: again\n", "second YAML document", 0);
  std::string bomb = text + "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "lol" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += (j ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  add("alias bomb", bomb, "alias", 0);
  add("deep flow nesting",
      text + "deep: " + std::string(10000, '[') + std::string(10000, ']') + "\n", "nested deeper",
      0);
  std::string block = text + "deep:\n";
  for (int depth = 1; depth <= 100; ++depth)
    block += std::string(static_cast<size_t>(2 * depth), ' ') + "k:\n";
  add("deep block nesting", block, "nested deeper", 0);
  add("2 MiB file", text + "# " + std::string(2 << 20, 'x') + "\n", "bytes", 1);
  return out;
}

}  // namespace fleetsim::testing
