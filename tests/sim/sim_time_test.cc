// Tests for sim/sim_time.h (DESIGN §4.1): ParseDuration turns "250ms", "30s", "15m", "2h", "1d",
// compounds and "0" into exact milliseconds, rejects malformed input with a message that names
// the input and the accepted units, and FormatDuration round-trips. Reference values are the
// unit definitions worked by hand (1 d = 86 400 000 ms, etc.).
#include "sim/sim_time.h"

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

namespace fleetsim {
namespace {

int64_t ParsedMillis(const std::string& text) {
  Result<SimTime> r = ParseDuration(text);
  INFO("input: '" << text << "' error: " << r.status().message());
  REQUIRE(r.ok());
  return r.value().millis();
}

TEST_CASE("ParseDuration gives exact milliseconds", "[sim_time]") {
  CHECK(ParsedMillis("250ms") == 250);
  CHECK(ParsedMillis("30s") == 30'000);
  CHECK(ParsedMillis("15m") == 900'000);
  CHECK(ParsedMillis("2h") == 7'200'000);
  CHECK(ParsedMillis("1d") == 86'400'000);
  CHECK(ParsedMillis("1h30m") == 5'400'000);
  CHECK(ParsedMillis("0") == 0);
  CHECK(ParsedMillis("0s") == 0);
  CHECK(ParsedMillis("1d2h3m4s5ms") == 86'400'000 + 7'200'000 + 180'000 + 4'000 + 5);
  CHECK(ParsedMillis("90m") == 5'400'000);  // non-normalised forms are fine
  CHECK(ParsedMillis("1000ms") == 1'000);
}

TEST_CASE("ParseDuration takes decimals that are whole milliseconds", "[sim_time]") {
  CHECK(ParsedMillis("23.5m") == 1'410'000);
  CHECK(ParsedMillis("1.5h") == 5'400'000);
  CHECK(ParsedMillis("0.25s") == 250);
  CHECK(ParsedMillis("0.001s") == 1);
  CHECK(ParsedMillis("1d0.5h") == 86'400'000 + 1'800'000);
  CHECK(ParsedMillis("0.00001d") == 864);
  CHECK(ParsedMillis("1.000000000000s") == 1'000);  // trailing zeros beyond 9 decimals are fine
  CHECK(ParsedMillis("36500d") == 36'500LL * 86'400'000);
}

TEST_CASE("ParseDuration refuses decimals that are not whole milliseconds", "[sim_time]") {
  for (const char* text : {"2.5ms", "0.0001s", "1.0000001s", "0.1234567891s"}) {
    INFO("input: '" << text << "'");
    Result<SimTime> r = ParseDuration(text);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("milliseconds"));
  }
}

TEST_CASE("SimTime constructors agree with the units", "[sim_time]") {
  CHECK(SimTime::Seconds(1).millis() == 1'000);
  CHECK(SimTime::Minutes(1).millis() == 60'000);
  CHECK(SimTime::Hours(1).millis() == 3'600'000);
  CHECK(SimTime::Days(1).millis() == 86'400'000);
  CHECK(SimTime::Minutes(90).hours() == 1.5);
  CHECK(SimTime::Seconds(30).minutes() == 0.5);
}

TEST_CASE("ParseDuration rejects malformed input, naming it and the units", "[sim_time]") {
  const char* bad[] = {
      "",                            // empty
      "-5m",                         // negative
      "5",                           // missing unit
      "5x",                          // unknown unit
      "m5",                          // unit before number
      "1.h",                         // a decimal point needs digits after it
      ".5h",                         // and before it
      "1.5.5h",                      // one decimal point per number
      "36501d",                      // more than 100 years
      "99999999999999999999d",       // overflows int64 digits
      "200000000000d",               // 1.7e19 ms: the product overflows int64
      "100000000000d100000000000d",  // each term fits, the sum overflows int64
      "1h 30m",                      // embedded space
      "5M",                          // units are case sensitive
  };
  for (const char* text : bad) {
    INFO("input: '" << text << "'");
    Result<SimTime> r = ParseDuration(text);
    REQUIRE_FALSE(r.ok());
    const std::string& msg = r.status().message();
    CHECK_THAT(msg, Catch::Contains("'" + std::string(text) + "'"));
    for (const char* unit : {"ms", "s", "m", "h", "d"}) CHECK_THAT(msg, Catch::Contains(unit));
    CHECK_THAT(msg, Catch::Contains("expected"));
  }
}

TEST_CASE("FormatDuration gives the shortest compound form", "[sim_time]") {
  CHECK(FormatDuration(SimTime::Zero()) == "0s");
  CHECK(FormatDuration(SimTime::Millis(5'400'000)) == "1h30m");
  CHECK(FormatDuration(SimTime::Millis(250)) == "250ms");
  CHECK(FormatDuration(SimTime::Days(2)) == "2d");
  CHECK(FormatDuration(SimTime::Millis(86'400'000 + 1)) == "1d1ms");
}

TEST_CASE("FormatDuration round-trips through ParseDuration", "[sim_time]") {
  const int64_t values[] = {0,          1,          999,         1'000,          59'999,
                            60'000,     3'599'999,  3'600'000,   5'400'000,      86'399'999,
                            86'400'000, 90'061'001, 604'800'000, 31'536'000'000, 123'456'789'012};
  for (int64_t ms : values) {
    const std::string text = FormatDuration(SimTime::Millis(ms));
    INFO(ms << " ms formatted as '" << text << "'");
    CHECK(ParsedMillis(text) == ms);
  }
  // And the other way: canonical strings survive parse + format unchanged.
  for (const char* text : {"250ms", "30s", "15m", "2h", "1d", "1h30m", "1d2h3m4s5ms"}) {
    CHECK(FormatDuration(SimTime::Millis(ParsedMillis(text))) == text);
  }
}

}  // namespace
}  // namespace fleetsim
