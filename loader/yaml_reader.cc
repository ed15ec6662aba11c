#include "loader/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "loader/yaml_limits.h"

namespace fleetsim {

std::string ConfigNode::Where() const {
  std::string where = file ? *file : std::string("<input>");
  YAML::Mark mark = node.Mark();
  if (mark.line >= 0) {
    where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  return where;
}

void ConfigNode::Fail(const std::string& message) const {
  throw ConfigError(Where() + ": " + message);
}

namespace {

// Text from the file as quoted in a message: control characters escaped, at most 60 bytes.
std::string Quote(const std::string& text) {
  std::string out;
  for (unsigned char c : text.substr(0, 60)) {
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return "'" + out + (text.size() > 60 ? "...'" : "'");
}

std::string Show(const YAML::Node& node) {
  if (node.IsScalar()) return Quote(node.Scalar());
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "nothing";
}

// A number as YAML writes it: an optional sign, digits, decimals, exponent (std::from_chars:
// no hexadecimal, no leading space). False if `s` is not one or overflows.
template <typename T>
bool ParseNumber(std::string s, T* value) {
  if (!s.empty() && s.front() == '+') s.erase(0, 1);
  if (s.empty() || s == "-") return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *value);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

double ConfigNode::AsDouble(const std::string& what) const {
  if (!node.IsScalar()) Fail(what + ": expected a number, got " + Show(node));
  double v = 0;
  if (!ParseNumber(node.Scalar(), &v)) Fail(what + ": expected a number, got " + Show(node));
  if (!std::isfinite(v)) Fail(what + ": expected a finite number, got " + Show(node));
  return v;
}

int64_t ConfigNode::AsInt(const std::string& what) const {
  if (!node.IsScalar()) Fail(what + ": expected an integer, got " + Show(node));
  std::string s = node.Scalar();
  if (s.find("__") != std::string::npos || (!s.empty() && (s.back() == '_' || s.front() == '_')))
    Fail(what + ": expected an integer, got " + Show(node));
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());  // allow 1_000_000
  int64_t v = 0;
  if (!ParseNumber(s, &v)) {
    Fail(what + ": expected an integer (of at most 18 digits), got " + Show(node));
  }
  return v;
}

bool ConfigNode::AsBool(const std::string& what) const {
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  Fail(what + ": expected true or false, got " + Show(node));
}

std::string ConfigNode::AsString(const std::string& what) const {
  if (!node.IsScalar()) Fail(what + ": expected a string, got " + Show(node));
  // The file is checked to be printable text, but a double-quoted escape ("\x1b") can still
  // make a control character; names end up in terminals, CSV and reports.
  for (unsigned char c : node.Scalar()) {
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
      Fail(what + ": expected printable text, got a control character in " + Show(node));
  }
  return node.Scalar();
}

SimTime ConfigNode::AsDuration(const std::string& what) const {
  if (!node.IsScalar())
    Fail(what + ": expected a duration such as 30s, 15m, 2h, got " + Show(node));
  Result<SimTime> t = ParseDuration(node.Scalar());
  if (!t.ok()) Fail(what + ": " + t.status().message());
  return t.value();
}

double ConfigNode::AsFraction(const std::string& what) const {
  if (!node.IsScalar())
    Fail(what + ": expected a fraction (0.05) or percent (5%), got " + Show(node));
  std::string s = node.Scalar();
  double scale = 1.0;
  if (!s.empty() && s.back() == '%') {
    s.pop_back();
    scale = 0.01;
  }
  double v = 0;
  if (!ParseNumber(s, &v) || !std::isfinite(v))
    Fail(what + ": expected a fraction (0.05) or percent (5%), got " + Show(node));
  v *= scale;
  if (!(v >= 0.0 && v <= 1.0))
    Fail(what + ": expected a value between 0 and 1 (0%..100%), got " + Show(node));
  return v;
}

std::vector<ConfigNode> ConfigNode::AsSequence(const std::string& what) const {
  if (!node.IsSequence()) Fail(what + ": expected a list, got " + Show(node));
  std::vector<ConfigNode> out;
  for (const YAML::Node& child : node) out.push_back(ConfigNode{child, file});
  return out;
}

YamlMap::YamlMap(const ConfigNode& node, std::string context)
    : node_(node), context_(std::move(context)) {
  if (!node_.node.IsMap())
    node_.Fail(context_ + ": expected a mapping (key: value), got " + Show(node_.node));
}

bool YamlMap::Has(const std::string& key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
  return static_cast<bool>(node_.node[key]);
}

std::optional<ConfigNode> YamlMap::Optional(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return ConfigNode{node_.node[key], node_.file};
}

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

ConfigNode YamlMap::Required(const std::string& key) {
  if (!Has(key)) {
    // A missing key next to an unknown one is most likely a typo: point at the typo.
    for (const auto& entry : node_.node) {
      const std::string other = entry.first.Scalar();
      if (std::find(known_.begin(), known_.end(), other) == known_.end() &&
          EditDistance(other, key) <= 2) {
        ConfigNode{entry.first, node_.file}.Fail("unknown key " + Quote(other) + " in " + context_ +
                                                 " (did you mean '" + key + "'?)");
      }
    }
    node_.Fail(context_ + ": missing required key '" + key + "' (expected " + key + ": here)");
  }
  return ConfigNode{node_.node[key], node_.file};
}

double YamlMap::Double(const std::string& key, double fallback) {
  auto n = Optional(key);
  return n ? n->AsDouble(context_ + "." + key) : fallback;
}
double YamlMap::DoubleIn(const std::string& key, double fallback, double lo, double hi) {
  const double v = Double(key, fallback);
  RequireRange(key, v, lo, hi);
  return v;
}
double YamlMap::RequiredDouble(const std::string& key) {
  return Required(key).AsDouble(context_ + "." + key);
}
int64_t YamlMap::Int(const std::string& key, int64_t fallback) {
  auto n = Optional(key);
  return n ? n->AsInt(context_ + "." + key) : fallback;
}
int64_t YamlMap::IntIn(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) {
  const int64_t v = Int(key, fallback);
  if (v < lo || v > hi) {
    ConfigNode at = Has(key) ? ConfigNode{node_.node[key], node_.file} : node_;
    at.Fail(context_ + "." + key + ": expected an integer in [" + std::to_string(lo) + ", " +
            std::to_string(hi) + "], got " + std::to_string(v));
  }
  return v;
}
bool YamlMap::Bool(const std::string& key, bool fallback) {
  auto n = Optional(key);
  return n ? n->AsBool(context_ + "." + key) : fallback;
}
std::string YamlMap::String(const std::string& key, const std::string& fallback) {
  auto n = Optional(key);
  return n ? n->AsString(context_ + "." + key) : fallback;
}
std::string YamlMap::RequiredString(const std::string& key) {
  return Required(key).AsString(context_ + "." + key);
}
SimTime YamlMap::Duration(const std::string& key, SimTime fallback) {
  auto n = Optional(key);
  return n ? n->AsDuration(context_ + "." + key) : fallback;
}
SimTime YamlMap::RequiredDuration(const std::string& key) {
  return Required(key).AsDuration(context_ + "." + key);
}
double YamlMap::Fraction(const std::string& key, double fallback) {
  auto n = Optional(key);
  return n ? n->AsFraction(context_ + "." + key) : fallback;
}

void YamlMap::RequireAtLeast(const std::string& key, double value, double min) {
  if (!(value >= min)) {
    ConfigNode at = Has(key) ? ConfigNode{node_.node[key], node_.file} : node_;
    std::ostringstream msg;
    msg << context_ << "." << key << ": expected a value >= " << min << ", got " << value;
    at.Fail(msg.str());
  }
}

void YamlMap::RequireRange(const std::string& key, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi)) {
    ConfigNode at = Has(key) ? ConfigNode{node_.node[key], node_.file} : node_;
    std::ostringstream msg;
    msg << context_ << "." << key << ": expected a value in [" << lo << ", " << hi << "], got "
        << value;
    at.Fail(msg.str());
  }
}

void YamlMap::Finish() {
  for (const auto& entry : node_.node) {
    std::string key = entry.first.Scalar();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string expected;
    for (size_t i = 0; i < known_.size(); ++i) expected += (i ? ", " : "") + known_[i];
    ConfigNode{entry.first, node_.file}.Fail("unknown key " + Quote(key) + " in " + context_ +
                                             "; expected one of: " + expected);
  }
}

namespace {

// Keys are names, each given once in its mapping: yaml-cpp keeps both copies of a repeated key
// and lookups see only one of them, so a repeated key would silently drop a value. Checked for
// every mapping of the document, including those read by iterating their entries (region
// delays, weights, metrics). Recursion depth is bounded by CheckYamlText's nesting limit.
void CheckKeys(const YAML::Node& node, const std::string* file) {
  if (node.IsSequence()) {
    for (const YAML::Node& child : node) CheckKeys(child, file);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, ConfigNode> keys;
  for (const auto& entry : node) {
    ConfigNode key{entry.first, file};
    if (!key.IsScalar())
      key.Fail("expected a plain key (a name), got " + Show(entry.first) + " as a key");
    const auto [earlier, inserted] = keys.emplace(key.node.Scalar(), key);
    if (!inserted) {
      key.Fail("duplicate key " + Quote(key.node.Scalar()) + " (first given at " +
               earlier->second.Where() + "); expected each key once in a mapping");
    }
    CheckKeys(entry.second, file);
  }
}

}  // namespace

namespace {

ConfigNode ParseChecked(const std::string& text, const std::string* file) {
  try {
    YAML::Node root = YAML::Load(text);
    CheckKeys(root, file);
    return ConfigNode{root, file};
  } catch (const YAML::Exception& e) {
    std::string where = file ? *file : std::string("<input>");
    if (e.mark.line >= 0) {
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    }
    throw ConfigError(where + ": YAML syntax error: " + e.msg + "; expected well-formed YAML");
  }
}

}  // namespace

ConfigNode ParseYamlText(const std::string& text, const std::string* file) {
  CheckYamlText(text, file);
  return ParseChecked(text, file);
}

ConfigNode LoadYamlFile(const std::string& path, const std::string* file_name_storage) {
  Result<std::string> text = ReadYamlFile(path);
  if (!text.ok()) throw ConfigError(text.status().message());
  return ParseYamlText(text.value(), file_name_storage);
}

ConfigNode LoadFirstYamlDocument(const std::string& path, const std::string* file_name_storage) {
  Result<std::string> text = ReadYamlFile(path);
  if (!text.ok()) throw ConfigError(text.status().message());
  CheckYamlText(text.value(), file_name_storage, /*many_documents=*/true);
  return ParseChecked(text.value(), file_name_storage);
}

Result<std::string> ReadYamlFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::Error(path + ": is a directory; expected a YAML file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open file");
  // Read at most one byte past the limit: a huge (or endless, like /dev/zero) input is refused
  // by size without being read whole.
  std::string text(kMaxYamlBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) return Status::Error(path + ": cannot read file");
  return text;
}

Status CatchConfigErrors(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const ConfigError& e) {
    return Status::Error(e.what());
  }
  return Status::Ok();
}

}  // namespace fleetsim
