#include "loader/yaml_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

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

std::string Show(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "nothing";
}

}  // namespace

double ConfigNode::AsDouble(const std::string& what) const {
  if (!node.IsScalar()) Fail(what + ": expected a number, got " + Show(node));
  const std::string& s = node.Scalar();
  try {
    size_t used = 0;
    double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  Fail(what + ": expected a number, got " + Show(node));
}

int64_t ConfigNode::AsInt(const std::string& what) const {
  if (!node.IsScalar()) Fail(what + ": expected an integer, got " + Show(node));
  std::string s = node.Scalar();
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());  // allow 1_000_000
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  Fail(what + ": expected an integer, got " + Show(node));
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
  try {
    size_t used = 0;
    v = std::stod(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
  } catch (const std::exception&) {
    Fail(what + ": expected a fraction (0.05) or percent (5%), got " + Show(node));
  }
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
        ConfigNode{entry.first, node_.file}.Fail("unknown key '" + other + "' in " + context_ +
                                                 " (did you mean '" + key + "'?)");
      }
    }
    node_.Fail(context_ + ": missing required key '" + key + "'");
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
  if (value < min) {
    ConfigNode at = Has(key) ? ConfigNode{node_.node[key], node_.file} : node_;
    std::ostringstream msg;
    msg << context_ << "." << key << ": expected a value >= " << min << ", got " << value;
    at.Fail(msg.str());
  }
}

void YamlMap::RequireRange(const std::string& key, double value, double lo, double hi) {
  if (value < lo || value > hi) {
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
    ConfigNode{entry.first, node_.file}.Fail("unknown key '" + key + "' in " + context_ +
                                             "; expected one of: " + expected);
  }
}

ConfigNode ParseYamlText(const std::string& text, const std::string* file) {
  try {
    return ConfigNode{YAML::Load(text), file};
  } catch (const YAML::Exception& e) {
    std::string where = file ? *file : std::string("<input>");
    if (e.mark.line >= 0) {
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    }
    throw ConfigError(where + ": YAML syntax error: " + e.msg);
  }
}

ConfigNode LoadYamlFile(const std::string& path, const std::string* file_name_storage) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseYamlText(buffer.str(), file_name_storage);
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
