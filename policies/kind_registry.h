// KindRegistry<Interface>: named, documented factories for one family of policy kinds (rollout,
// health check, batching, risk), and the one place where a kind's YAML mapping is parsed.
//
// A kind lives in ONE .cc file: its class, its `Params` struct (every default written once, as
// a member initializer), a reader `Params Read(YamlMap&)` that starts from `Params{}`, and a
// function returning its KindDef (summary, parameter table, example, read, make). One line at
// the end of the file registers it:
//
//   FLEETSIM_REGISTER_ROLLOUT_KIND(big_bang, BigBangKind);   // or _HEALTH_CHECK_, _BATCHING_,
//                                                            // _RISK_ (see each *_registry.h)
//
// The parameter table takes each default from a default-constructed Params (Param(name, type,
// &Params::field, help)), so `fleetsim policies` can never disagree with the parser; parameters
// without a value default are RequiredParam or OptionalParam (a description, e.g. "none").
// tests/policies/kind_registry_test.cc checks, for every registered kind, that omitting each
// such parameter reads Params{}'s value and that the documented default string reads it too.
//
// How registration reaches the registry, and why this way: the macro defines a plain function
// `FleetsimRegister<Family>Kind_<name>(<Family>Registry&)`. At build time
// policies/list_kinds.cmake scans policies/**/*.cc for the macro and writes
// <build>/policies/generated/<family>_kinds.inc, one FLEETSIM_KIND(name) line per kind; each
// family's registry .cc includes that list twice, to declare the functions and to call them
// while building its function-local static registry. We did not use static registrar objects:
// fleetsim_policies is a static library, and the linker drops an object file nothing refers to,
// so a kind whose only symbol is a registrar would vanish from `fleetsim` and the tests (fixing
// that needs whole-archive or object-library linking in every consumer's CMakeLists), and it
// would run registration during static initialization, in an unspecified order. With the
// generated list every kind's function is referenced (a listed kind without its definition is
// a link error; a definition the list missed is caught by kind_registry_test, which scans the
// sources independently), there is no global object at all, and registries are filled lazily
// on first use, thread-safely (C++ function-local static).
//
// Ownership and thread safety: each family's registry is a function-local static built once and
// read-only afterwards, safe to share between threads. KindDefs and their functions are
// stateless. Parsing throws ConfigError with file:line:col (unknown keys included).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "loader/yaml_reader.h"
#include "sim/sim_time.h"

namespace fleetsim {

struct ParamDoc {
  std::string name;
  std::string type;
  std::string default_value;  // "required", a value formatted from Params{}, or a description
  std::string help;
  bool from_params = false;  // default_value is the kind's Params{} field (checked by tests)
};

struct KindDoc {
  std::string kind;
  std::string summary;
  std::vector<ParamDoc> params;
  std::string example;  // a complete YAML mapping for this kind (docs and conformance tests)
};

// How a default value is written, in YAML the kind's reader accepts back.
inline std::string FormatDefault(SimTime t) { return FormatDuration(t); }
inline std::string FormatDefault(bool b) { return b ? "true" : "false"; }
inline std::string FormatDefault(int64_t v) { return std::to_string(v); }
inline std::string FormatDefault(int v) { return std::to_string(v); }
inline std::string FormatDefault(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// One row of a kind's parameter table; for a Param, also how to tell whether parsed Params
// hold the default value.
template <typename Params>
struct ParamDef {
  // Implicit, so that RequiredParam(...) and OptionalParam(...) rows fit in the same list.
  ParamDef(ParamDoc d) : doc(std::move(d)) {}
  ParamDef(ParamDoc d, std::function<bool(const Params&)> is_default)
      : doc(std::move(d)), holds_default(std::move(is_default)) {}
  ParamDoc doc;
  std::function<bool(const Params&)> holds_default;  // null unless doc.from_params
};

// A parameter whose default is `Params{}.*field`, written by `format` (for an enum: the name the
// reader accepts) or by FormatDefault.
template <typename P, typename T, typename Format>
ParamDef<P> Param(std::string name, std::string type, T P::*field, std::string help,
                  Format format) {
  const P defaults{};
  return ParamDef<P>(
      ParamDoc{std::move(name), std::move(type), format(defaults.*field), std::move(help), true},
      [field](const P& p) { return p.*field == P{}.*field; });
}
template <typename P, typename T>
ParamDef<P> Param(std::string name, std::string type, T P::*field, std::string help) {
  return Param(std::move(name), std::move(type), field, std::move(help),
               [](const T& value) { return FormatDefault(value); });
}
inline ParamDoc RequiredParam(std::string name, std::string type, std::string help) {
  return ParamDoc{std::move(name), std::move(type), "required", std::move(help)};
}
// Optional without a value default: `when_omitted` says what happens ("none", "equal").
inline ParamDoc OptionalParam(std::string name, std::string type, std::string when_omitted,
                              std::string help) {
  return ParamDoc{std::move(name), std::move(type), std::move(when_omitted), std::move(help)};
}

// Everything a kind hands to its registry.
template <typename Interface, typename Params>
struct KindDef {
  std::string summary;
  std::vector<ParamDef<Params>> params;
  std::string example;
  std::function<Params(YamlMap&)> read;                    // starts from Params{}
  std::function<std::unique_ptr<Interface>(Params)> make;  // e.g. New<Kind>{}
};

// `make` for a kind constructed from its Params.
template <typename Kind>
struct New {
  template <typename Params>
  std::unique_ptr<Kind> operator()(Params p) const {
    return std::make_unique<Kind>(std::move(p));
  }
};

template <typename Interface>
class KindRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Interface>(YamlMap& params)>;
  // Reads a kind's mapping and returns the documented parameters (from_params) whose parsed
  // value differs from Params{}'s. For tests of the documented defaults.
  using DefaultsProbe = std::function<std::vector<std::string>(YamlMap& params)>;

  template <typename Params>
  void Add(const std::string& kind, KindDef<Interface, Params> def) {
    Entry e;
    e.doc = KindDoc{kind, std::move(def.summary), {}, std::move(def.example)};
    std::vector<std::pair<std::string, std::function<bool(const Params&)>>> checks;
    for (ParamDef<Params>& p : def.params) {
      if (p.holds_default) checks.emplace_back(p.doc.name, std::move(p.holds_default));
      e.doc.params.push_back(std::move(p.doc));
    }
    e.factory = [read = def.read, make = def.make](YamlMap& m) { return make(read(m)); };
    e.probe = [read = def.read, checks = std::move(checks)](YamlMap& m) {
      const Params p = read(m);
      std::vector<std::string> off;
      for (const auto& [name, holds_default] : checks) {
        if (!holds_default(p)) off.push_back(name);
      }
      return off;
    };
    if (!entries_.emplace(kind, std::move(e)).second)
      throw std::logic_error("policy kind registered twice: " + kind);
  }

  // Null when unknown.
  const Factory* Find(const std::string& kind) const {
    auto it = entries_.find(kind);
    return it == entries_.end() ? nullptr : &it->second.factory;
  }
  const DefaultsProbe* FindDefaultsProbe(const std::string& kind) const {
    auto it = entries_.find(kind);
    return it == entries_.end() ? nullptr : &it->second.probe;
  }

  // Sorted by name.
  std::vector<KindDoc> Docs() const {
    std::vector<KindDoc> out;
    for (const auto& [name, e] : entries_) out.push_back(e.doc);
    return out;
  }

  std::string Names() const {
    std::string out;
    for (const auto& [name, e] : entries_) out += (out.empty() ? "" : ", ") + name;
    return out;
  }

 private:
  struct Entry {
    KindDoc doc;
    Factory factory;
    DefaultsProbe probe;
  };
  std::map<std::string, Entry> entries_;
};

// Parses a `{kind: NAME, ...params}` mapping through `registry`: unknown kinds list the
// registered ones, unknown keys are rejected. `context` names the section in messages
// ("rollout", "health.checks[]"). Throws ConfigError.
template <typename Interface>
std::unique_ptr<Interface> ParseKind(const KindRegistry<Interface>& registry,
                                     const ConfigNode& node, const std::string& context) {
  YamlMap m(node, context);
  ConfigNode kind_node = m.Required("kind");
  const std::string kind = kind_node.AsString(context + ".kind");
  const typename KindRegistry<Interface>::Factory* factory = registry.Find(kind);
  if (!factory) {
    kind_node.Fail(context + ".kind: unknown kind '" + kind +
                   "'; expected one of: " + registry.Names());
  }
  std::unique_ptr<Interface> parsed = (*factory)(m);
  m.Finish();
  return parsed;
}

}  // namespace fleetsim

// Defines the registration function of one kind; `definition` names a function returning its
// KindDef. Use through FLEETSIM_REGISTER_<FAMILY>_KIND, at namespace fleetsim scope, followed by
// a semicolon. The family's generated list calls it (see the header comment).
#define FLEETSIM_REGISTER_KIND(Family, name, definition)                   \
  void FleetsimRegister##Family##Kind_##name(Family##Registry& registry);  \
  void FleetsimRegister##Family##Kind_##name(Family##Registry& registry) { \
    registry.Add(#name, definition());                                     \
  }                                                                        \
  static_assert(true, "")
