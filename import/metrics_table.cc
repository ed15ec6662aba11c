#include "import/metrics_table.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "loader/yaml_reader.h"

namespace fleetsim::import {

const char* QuantityName(Quantity q) {
  switch (q) {
    case Quantity::kErrorRate:
      return "error_rate";
    case Quantity::kSuccessRate:
      return "success_rate";
    case Quantity::kLatencyP99:
      return "latency_p99";
    case Quantity::kStatus2xx:
      return "status_2xx";
  }
  return "?";
}

std::string MetricMapping::Describe() const {
  std::string unit;
  if (scale == 0.01) unit = " in percent";
  if (scale == 1000) unit = " in seconds";
  return std::string(ignore ? "ignored" : QuantityName(quantity)) + unit + " (" + origin + ")";
}

std::string SetQuantity(const std::string& quantity, const std::string& unit, MetricMapping* m) {
  bool rate = true;
  if (quantity == "error_rate") {
    m->quantity = Quantity::kErrorRate;
  } else if (quantity == "success_rate") {
    m->quantity = Quantity::kSuccessRate;
  } else if (quantity == "status_2xx") {
    m->quantity = Quantity::kStatus2xx;
  } else if (quantity == "latency_p99") {
    m->quantity = Quantity::kLatencyP99;
    rate = false;
  } else {
    return "unknown quantity '" + quantity +
           "'; expected error_rate, success_rate, latency_p99 or status_2xx";
  }
  if (unit.empty() || (rate && unit == "fraction") || (!rate && unit == "ms")) {
    m->scale = 1.0;
  } else if (rate && unit == "percent") {
    m->scale = 0.01;
  } else if (!rate && unit == "s") {
    m->scale = 1000.0;
  } else {
    return "unknown unit '" + unit + "' for " + quantity + "; expected " +
           (rate ? "fraction or percent" : "ms or s");
  }
  return "";
}

NativeThreshold ToNative(const MetricMapping& m, const ValueBound& pass) {
  NativeThreshold t;
  t.strict = pass.min_strict || pass.max_strict;
  std::optional<double> lo, hi;
  if (pass.min) lo = *pass.min * m.scale;
  if (pass.max) hi = *pass.max * m.scale;
  switch (m.quantity) {
    case Quantity::kErrorRate:
      t.metric = "error_rate";
      break;
    case Quantity::kSuccessRate: {
      // success >= lo  <=>  error <= 1 - lo
      t.metric = "error_rate";
      std::optional<double> elo, ehi;
      if (hi) elo = 1.0 - *hi;
      if (lo) ehi = 1.0 - *lo;
      lo = elo;
      hi = ehi;
      break;
    }
    case Quantity::kStatus2xx:
      t.metric = "status_2xx";
      break;
    case Quantity::kLatencyP99:
      t.metric = "latency_p99";
      break;
  }
  const bool rate = m.quantity != Quantity::kLatencyP99;
  if (rate) {
    if (lo && *lo <= 0) lo.reset();
    if (hi && *hi >= 1) hi.reset();
  } else if (lo && *lo <= 0) {
    lo.reset();
  }
  t.min = lo;
  t.max = hi;
  return t;
}

Result<MetricsTable> MetricsTable::Load(const std::string& path) {
  auto file = std::make_shared<const std::string>(path);
  MetricsTable table;
  Status st = CatchConfigErrors([&] {
    ConfigNode root = LoadYamlFile(path, file.get());
    YamlMap top(root, "metrics table");
    ConfigNode list = top.Required("metrics");
    top.Finish();
    for (const ConfigNode& item : list.AsSequence("metrics")) {
      YamlMap e(item, "metrics[]");
      MetricMapping m;
      // Named by the file's base name: it ends up in policy comments, which carry no
      // directory of the machine the import ran on.
      m.origin = std::filesystem::path(path).filename().string() + item.Where().substr(path.size());
      m.name = e.String("name", "");
      m.query_contains = e.String("query", "");
      if (m.name.empty() == m.query_contains.empty())
        item.Fail("metrics[]: expected exactly one of name or query");
      m.ignore = e.Bool("ignore", false);
      if (m.ignore) {
        if (e.Has("measures") || e.Has("unit"))
          item.Fail("metrics[]: an ignored metric takes no measures or unit");
      } else {
        const std::string quantity = e.RequiredString("measures");
        const std::string why = SetQuantity(quantity, e.String("unit", ""), &m);
        if (!why.empty()) e.Required(e.Has("unit") ? "unit" : "measures").Fail("metrics[]: " + why);
      }
      e.Finish();
      table.entries_.push_back(m);
    }
  });
  if (!st.ok()) return st;
  // Keep the file's name alive for the origins (they are plain strings already).
  return table;
}

Status MetricsTable::AddFlag(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return Status::Error("--metric '" + text + "': expected NAME=QUANTITY[:UNIT]");
  MetricMapping m;
  m.name = text.substr(0, eq);
  std::string quantity = text.substr(eq + 1);
  std::string unit;
  if (const size_t colon = quantity.find(':'); colon != std::string::npos) {
    unit = quantity.substr(colon + 1);
    quantity = quantity.substr(0, colon);
  }
  const std::string why = SetQuantity(quantity, unit, &m);
  if (!why.empty()) return Status::Error("--metric '" + text + "': " + why);
  m.origin = "--metric " + text;
  entries_.insert(
      entries_.begin() + static_cast<long>(std::count_if(
                             entries_.begin(), entries_.end(),
                             [](const MetricMapping& e) { return e.origin.rfind("--", 0) == 0; })),
      m);
  return Status::Ok();
}

void MetricsTable::AddIgnore(const std::string& name) {
  MetricMapping m;
  m.name = name;
  m.ignore = true;
  m.origin = "--ignore-metric " + name;
  entries_.insert(
      entries_.begin() + static_cast<long>(std::count_if(
                             entries_.begin(), entries_.end(),
                             [](const MetricMapping& e) { return e.origin.rfind("--", 0) == 0; })),
      m);
}

void MetricsTable::Append(const MetricsTable& other) {
  entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
}

const MetricMapping* MetricsTable::Find(const std::string& name, const std::string& query) const {
  for (const MetricMapping& m : entries_) {
    if (!m.name.empty() && m.name == name) return &m;
    if (!m.query_contains.empty() && !query.empty() &&
        query.find(m.query_contains) != std::string::npos)
      return &m;
  }
  return nullptr;
}

}  // namespace fleetsim::import
