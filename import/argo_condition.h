// ArgoCondition: reads an Argo Rollouts successCondition / failureCondition (an expr-lang
// expression over the provider's `result`) into the set of values it accepts.
//
// Accepted, as used in Argo's docs and examples: comparisons of the value with a number in
// either order (< <= > >= == !=), where the value is `result`, `result[N]`, `result.field`,
// `asFloat(...)`, `default(value, N)` or `all(result, {# OP N})`; the no-data guards
// `isNaN(value)`, `isInf(value)` and `len(result) == 0`; combined with && / and, || / or,
// ! / not and parentheses. Anything else (a second variable, arithmetic, a function fleetsim
// cannot reason about) is an error at the condition's file:line:col: a condition must never be
// half understood.
//
// The result is a Region: a union of intervals of the real line plus whether "no data" (NaN or
// an empty result) is in it; ArgoConditionOnEmpty says apart what an empty result gives. Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "import/metrics_table.h"

namespace fleetsim::import {

struct Interval {
  double lo, hi;  // may be +-infinity
  bool lo_closed, hi_closed;
};

struct Region {
  std::vector<Interval> intervals;  // sorted, disjoint, non-empty
  bool no_data = false;             // NaN / empty results are in the region

  static Region All();
  static Region None();
  Region Complement() const;
  Region Intersect(const Region& o) const;
  Region Union(const Region& o) const;
  bool Empty() const { return intervals.empty() && !no_data; }
  bool CoversAllValues() const;  // every real number (no_data aside)
  // The region as one bound (an interval, possibly unbounded on one side); nullopt when it is
  // empty or not a single interval.
  std::optional<ValueBound> AsBound() const;
  std::string Describe() const;  // "[0.95, inf)" style, for notes
};

// Parses `expression`; on error returns nullopt and sets *error (without a position).
std::optional<Region> ParseArgoCondition(const std::string& expression, std::string* error);

// What the condition evaluates to when the provider returns an empty result (a canary that
// served no request): expr-lang fails on anything that reads the value (`result[0] >= 0.95`,
// `isNaN(result[0])`: an Error measurement), `len(result) == 0` is true, `all(...)` true and
// `any(...)` false, with && and || short-circuiting left to right as expr-lang does
// (`len(result) == 0 || result[0] >= 0.95` is true; the reverse order fails).
enum class EmptyResult : uint8_t { kTrue, kFalse, kError };
std::optional<EmptyResult> ArgoConditionOnEmpty(const std::string& expression, std::string* error);

}  // namespace fleetsim::import
