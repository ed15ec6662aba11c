// SimTime: simulated time as an integer count of milliseconds behind a strong type.
//
// Used both as an instant (time since the start of a run) and as a duration. Integer time keeps
// event ordering exact and results portable; nothing in sim/ reads the wall clock. Durations
// are written in scenario files as "250ms", "30s", "15m", "2h", "1d" (or compounds "1h30m", or
// exact decimals "1.5h").
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "sim/status.h"

namespace fleetsim {

class SimTime {
 public:
  constexpr SimTime() = default;
  static constexpr SimTime Millis(int64_t ms) { return SimTime(ms); }
  static constexpr SimTime Seconds(int64_t s) { return SimTime(s * 1000); }
  static constexpr SimTime Minutes(int64_t m) { return SimTime(m * 60'000); }
  static constexpr SimTime Hours(int64_t h) { return SimTime(h * 3'600'000); }
  static constexpr SimTime Days(int64_t d) { return SimTime(d * 86'400'000); }
  static constexpr SimTime Zero() { return SimTime(0); }
  static constexpr SimTime Max() { return SimTime(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t millis() const { return ms_; }
  constexpr double minutes() const { return static_cast<double>(ms_) / 60'000.0; }
  constexpr double hours() const { return static_cast<double>(ms_) / 3'600'000.0; }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(SimTime o) const { return SimTime(ms_ + o.ms_); }
  constexpr SimTime operator-(SimTime o) const { return SimTime(ms_ - o.ms_); }
  constexpr SimTime& operator+=(SimTime o) {
    ms_ += o.ms_;
    return *this;
  }
  constexpr SimTime operator*(int64_t k) const { return SimTime(ms_ * k); }

 private:
  constexpr explicit SimTime(int64_t ms) : ms_(ms) {}
  int64_t ms_ = 0;
};

// Parses "30s", "15m", "2h", "1d", "250ms", "1h30m", "0", and decimals that are a whole number
// of milliseconds ("23.5m" = 1,410,000 ms, "0.25s" = 250 ms; "0.0001s" is refused). Rejects
// negative values, missing or unknown units, more than 100 years (36500d), and empty input,
// with a message naming what was expected.
Result<SimTime> ParseDuration(std::string_view text);

// Formats the shortest exact compound form: 5400000 ms -> "1h30m", 0 -> "0s".
std::string FormatDuration(SimTime t);

}  // namespace fleetsim
