// KindRegistry<Interface>: named, documented factories for one family of policy kinds.
//
// Each kind registers a name, a one-line summary, a table of parameters (name, type, default,
// meaning) and a factory that reads its parameters from a YamlMap (unknown keys are rejected by
// the caller through YamlMap::Finish). `fleetsim policies` prints the tables, and the
// conformance tests iterate over every registered kind. Registries are function-local statics
// filled on first use (see rollout_registry.h, health_registry.h); after that they are
// read-only and safe to share between threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "loader/yaml_reader.h"

namespace fleetsim {

struct ParamDoc {
  std::string name;
  std::string type;
  std::string default_value;  // "required" when there is no default
  std::string help;
};

struct KindDoc {
  std::string kind;
  std::string summary;
  std::vector<ParamDoc> params;
  std::string
      example;  // a complete YAML mapping for this kind (used by docs and conformance tests)
};

template <typename Interface>
class KindRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Interface>(YamlMap& params)>;

  void Register(KindDoc doc, Factory factory) {
    const std::string name = doc.kind;
    entries_[name] = Entry{std::move(doc), std::move(factory)};
  }

  // Null when unknown.
  const Factory* Find(const std::string& kind) const {
    auto it = entries_.find(kind);
    return it == entries_.end() ? nullptr : &it->second.factory;
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
  };
  std::map<std::string, Entry> entries_;
};

}  // namespace fleetsim
