#include "import/spec_field.h"

#include <cmath>
#include <cstdio>

namespace fleetsim::import {
namespace {

std::string Show(const YAML::Node& node) {
  if (!node || node.IsNull()) return "nothing";
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsMap()) return "a mapping";
  return "a list";
}

}  // namespace

void SpecField::Fail(const std::string& message) const { node_.Fail(message); }

bool SpecField::Has(const std::string& key) const {
  return node_.node.IsMap() && static_cast<bool>(node_.node[key]);
}

std::optional<SpecField> SpecField::Optional(const std::string& key) const {
  if (!Has(key)) return std::nullopt;
  return SpecField(ConfigNode{node_.node[key], node_.file},
                   path_.empty() ? key : path_ + "." + key);
}

SpecField SpecField::Required(const std::string& key) const {
  if (!node_.node.IsMap()) Fail(path_ + ": expected a mapping, got " + Show(node_.node));
  if (!Has(key)) Fail(path_ + ": missing required field '" + key + "'");
  return *Optional(key);
}

std::vector<std::string> SpecField::Keys() const {
  if (!node_.node.IsMap()) Fail(path_ + ": expected a mapping, got " + Show(node_.node));
  std::vector<std::string> out;
  for (const auto& entry : node_.node) out.push_back(entry.first.Scalar());
  return out;
}

std::vector<SpecField> SpecField::Items() const {
  if (!node_.node.IsSequence()) Fail(path_ + ": expected a list, got " + Show(node_.node));
  std::vector<SpecField> out;
  size_t i = 0;
  for (const YAML::Node& child : node_.node) {
    out.emplace_back(ConfigNode{child, node_.file}, path_ + "[" + std::to_string(i++) + "]");
  }
  return out;
}

std::string SpecField::String() const {
  if (!node_.node.IsScalar()) Fail(path_ + ": expected a string, got " + Show(node_.node));
  return node_.node.Scalar();
}

double SpecField::Number() const {
  if (node_.node.IsScalar()) {
    const std::string& s = node_.node.Scalar();
    try {
      size_t used = 0;
      const double v = std::stod(s, &used);
      if (used == s.size() && std::isfinite(v)) return v;
    } catch (const std::exception&) {
    }
  }
  Fail(path_ + ": expected a number, got " + Show(node_.node));
}

int64_t SpecField::Int() const {
  if (node_.node.IsScalar()) {
    const std::string& s = node_.node.Scalar();
    try {
      size_t used = 0;
      const long long v = std::stoll(s, &used);
      if (used == s.size()) return v;
    } catch (const std::exception&) {
    }
  }
  Fail(path_ + ": expected an integer, got " + Show(node_.node));
}

bool SpecField::Bool() const {
  if (node_.node.IsScalar()) {
    const std::string& s = node_.node.Scalar();
    if (s == "true" || s == "True") return true;
    if (s == "false" || s == "False") return false;
  }
  Fail(path_ + ": expected true or false, got " + Show(node_.node));
}

double SpecField::IntOrPercent(bool* percent) const {
  std::string s = String();
  *percent = !s.empty() && s.back() == '%';
  if (*percent) s.pop_back();
  try {
    size_t used = 0;
    const long long v = std::stoll(s, &used);
    if (used == s.size() && v >= 0) return static_cast<double>(v);
  } catch (const std::exception&) {
  }
  Fail(path_ + ": expected a non-negative integer or a percentage such as 25%, got " +
       Show(node_.node));
}

SimTime SpecField::GoDuration() const {
  const std::string s = String();
  if (auto t = ParseGoDuration(s)) return *t;
  Fail(path_ + ": expected a duration such as 30s, 10m, 1h30m or integer seconds, got '" + s + "'");
}

void SpecField::RequireKnownKeys(std::initializer_list<const char*> known,
                                 const std::string& vendor) const {
  if (!node_.node.IsMap()) Fail(path_ + ": expected a mapping, got " + Show(node_.node));
  for (const auto& entry : node_.node) {
    const std::string key = entry.first.Scalar();
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (ok) continue;
    std::string expected;
    for (const char* k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
    ConfigNode{entry.first, node_.file}.Fail("unknown " + vendor + " field '" +
                                             (path_.empty() ? key : path_ + "." + key) +
                                             "'; expected one of: " + expected);
  }
}

std::string FormatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::optional<SimTime> ParseGoDuration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  // Plain integer: seconds (Argo's DurationString and intstr durations).
  bool digits = true;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  if (digits) {
    if (text.size() > 12) return std::nullopt;
    return SimTime::Seconds(std::stoll(text));
  }
  if (text == "0") return SimTime::Zero();
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    double value = 0;
    try {
      size_t used = 0;
      value = std::stod(text.substr(start, i - start), &used);
      if (used != i - start) return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
    const size_t unit_start = i;
    while (i < text.size() && !((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    const std::string unit = text.substr(unit_start, i - unit_start);
    double scale = 0;
    if (unit == "ns")
      scale = 1e-6;
    else if (unit == "us" || unit == "\xC2\xB5s")
      scale = 1e-3;
    else if (unit == "ms")
      scale = 1;
    else if (unit == "s")
      scale = 1e3;
    else if (unit == "m")
      scale = 6e4;
    else if (unit == "h")
      scale = 3.6e6;
    else
      return std::nullopt;
    total_ms += value * scale;
  }
  if (total_ms > 1e15) return std::nullopt;
  const double rounded = std::round(total_ms);
  if (std::abs(rounded - total_ms) > 1e-6) return std::nullopt;  // finer than 1 ms
  return SimTime::Millis(static_cast<int64_t>(rounded));
}

}  // namespace fleetsim::import
