// MetricsTable: what a vendor spec's provider queries measure, in fleetsim's terms.
//
// A Prometheus, Datadog or CloudWatch query cannot run inside a simulation, so every metric a
// spec judges must be mapped to one of fleetsim's canary signals, or explicitly left out:
//
//   metrics:                                   # --metrics FILE
//     - name: success-rate                     # the metric's name in the spec (Argo metric,
//       measures: success_rate                 #   Flagger metric or MetricTemplate, CloudWatch
//     - query: histogram_quantile(0.99         #   MetricName), or text the query contains
//       measures: latency_p99
//       unit: s                                # the query returns seconds
//     - name: smoke-job
//       ignore: true                           # leave it out of the simulation
//
// or on the command line: --metric NAME=QUANTITY[:UNIT] and --ignore-metric NAME.
// Quantities: error_rate (failed / requests), success_rate (1 - error_rate), latency_p99 (ms)
// and status_2xx (share answered 2xx). Units: fraction (default) or percent for the rates, ms
// (default) or s for latency. The comparison and the threshold always come from the spec's own
// condition (successCondition, thresholdRange, an alarm's Threshold); the table says only what
// the number is. Entries are tried in order and the first match wins (command-line entries
// before the file's). Flagger's builtin request-success-rate and request-duration need no entry.
//
// Value type; immutable once built.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/status.h"

namespace fleetsim::import {

enum class Quantity : uint8_t { kErrorRate, kSuccessRate, kLatencyP99, kStatus2xx };

const char* QuantityName(Quantity q);

struct MetricMapping {
  std::string name;            // exact metric name, or empty
  std::string query_contains;  // substring of the query text, or empty
  bool ignore = false;
  Quantity quantity = Quantity::kErrorRate;
  double scale = 1.0;  // source value x scale = fleetsim units (percent: 0.01, seconds: 1000)
  std::string origin;  // "file:line:col" or "--metric NAME=..."

  std::string Describe() const;  // "success_rate (from metrics.yaml:3:5)"
};

// A bound on the source value as the spec states it: value OP threshold.
struct ValueBound {
  std::optional<double> min, max;  // pass region [min, max] (either may be open)
  bool min_strict = false, max_strict = false;
};

// The fleetsim threshold check equivalent to a pass region on a mapped quantity.
struct NativeThreshold {
  std::string metric;  // error_rate | latency_p99 | status_2xx
  std::optional<double> min, max;
  bool strict = false;  // some bound was strict (<, >): fleetsim's bounds are inclusive
};

// Converts the pass region of a value measuring `m` into fleetsim's units and metric
// (success_rate >= X becomes error_rate <= 1 - X). Rate bounds are clamped to [0, 1] and a
// bound that then excludes nothing is dropped.
NativeThreshold ToNative(const MetricMapping& m, const ValueBound& pass);

class MetricsTable {
 public:
  // Reads a `metrics:` file (format above). Errors are file:line:col.
  static Result<MetricsTable> Load(const std::string& path);
  // "NAME=QUANTITY[:UNIT]" from --metric.
  Status AddFlag(const std::string& text);
  void AddIgnore(const std::string& name);
  void Add(MetricMapping m) { entries_.push_back(std::move(m)); }
  // Appends another table's entries after this one's.
  void Append(const MetricsTable& other);

  // The first entry matching the metric's name or its query text; null when none does.
  const MetricMapping* Find(const std::string& name, const std::string& query) const;
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<MetricMapping> entries_;
};

// Parses a quantity and unit name into `m` (quantity and scale); an error message or "".
std::string SetQuantity(const std::string& quantity, const std::string& unit, MetricMapping* m);

}  // namespace fleetsim::import
