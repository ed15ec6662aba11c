#include "sim/sim_time.h"

#include <cctype>

namespace fleetsim {
namespace {

Status DurationError(std::string_view text, std::string_view why) {
  return Status::Error("invalid duration '" + std::string(text) + "': " + std::string(why) +
                       " (expected a non-negative number with a unit: ms, s, m, h, d; e.g. 30s, "
                       "15m, 1h30m)");
}

}  // namespace

Result<SimTime> ParseDuration(std::string_view text) {
  if (text.empty()) return DurationError(text, "empty");
  if (text == "0") return SimTime::Zero();
  if (text.front() == '-') return DurationError(text, "negative durations are not allowed");
  constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / 4;
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return DurationError(text, "expected a digit at position " + std::to_string(i + 1));
    }
    int64_t value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > kMaxMs) return DurationError(text, "too large");
      ++i;
    }
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    int64_t scale = 0;
    if (unit == "ms")
      scale = 1;
    else if (unit == "s")
      scale = 1000;
    else if (unit == "m")
      scale = 60'000;
    else if (unit == "h")
      scale = 3'600'000;
    else if (unit == "d")
      scale = 86'400'000;
    else if (unit.empty())
      return DurationError(text, "missing unit");
    else
      return DurationError(text, "unknown unit '" + std::string(unit) + "'");
    if (value > kMaxMs / scale) return DurationError(text, "too large");
    total += value * scale;
    if (total > kMaxMs) return DurationError(text, "too large");
  }
  return SimTime::Millis(total);
}

std::string FormatDuration(SimTime t) {
  int64_t ms = t.millis();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  struct Unit {
    int64_t scale;
    const char* name;
  };
  static constexpr Unit kUnits[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const Unit& u : kUnits) {
    if (ms >= u.scale) {
      out += std::to_string(ms / u.scale) + u.name;
      ms %= u.scale;
    }
  }
  return out;
}

}  // namespace fleetsim
