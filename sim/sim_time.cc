#include "sim/sim_time.h"

#include <cctype>

namespace fleetsim {
namespace {

// 100 years: far beyond any simulated horizon, and small enough that sums of durations and
// instants never come near int64 overflow.
constexpr int64_t kMaxDurationMillis = 36'500LL * 86'400'000;
// At most 9 significant decimals in a number (10^9 x 8.64e7 ms/day still fits in int64).
constexpr int64_t kMaxDenominator = 1'000'000'000;

std::string TooLarge() { return "too large (at most 36500d)"; }

// The input as quoted in a message: at most 40 characters.
std::string Quoted(std::string_view text) {
  return text.size() <= 40 ? std::string(text) : std::string(text.substr(0, 40)) + "...";
}

Status DurationError(std::string_view text, std::string_view why) {
  return Status::Error("invalid duration '" + Quoted(text) + "': " + std::string(why) +
                       " (expected a non-negative number with a unit: ms, s, m, h, d; e.g. 30s, "
                       "15m, 1h30m, 23.5m)");
}

}  // namespace

Result<SimTime> ParseDuration(std::string_view text) {
  if (text.empty()) return DurationError(text, "empty");
  if (text == "0") return SimTime::Zero();
  if (text.front() == '-') return DurationError(text, "negative durations are not allowed");
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return DurationError(text, "expected a digit at position " + std::to_string(i + 1));
    }
    const size_t term_start = i;
    // The number: whole part, then an optional fraction kept as digits / 10^fraction_digits.
    int64_t whole = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      whole = whole * 10 + (text[i] - '0');
      if (whole > kMaxDurationMillis) return DurationError(text, TooLarge());
      ++i;
    }
    int64_t fraction = 0, denominator = 1;
    const size_t dot = i;
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (i == text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) {
        return DurationError(text, "expected a digit after the decimal point at position " +
                                       std::to_string(dot + 1));
      }
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        // Trailing zeros change nothing; more than 9 significant decimals cannot be whole ms.
        if (denominator == kMaxDenominator) {
          if (text[i] != '0') {
            return DurationError(text, "more decimals than whole milliseconds can hold");
          }
        } else {
          fraction = fraction * 10 + (text[i] - '0');
          denominator *= 10;
        }
        ++i;
      }
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
    // fraction < 10^9 and scale <= 8.64e7, so the product fits in int64.
    if (fraction * scale % denominator != 0) {
      return DurationError(text, "'" + Quoted(text.substr(term_start, i - term_start)) +
                                     "' is not a whole number of milliseconds");
    }
    if (whole > kMaxDurationMillis / scale) return DurationError(text, TooLarge());
    total += whole * scale + fraction * scale / denominator;
    if (total > kMaxDurationMillis) return DurationError(text, TooLarge());
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
