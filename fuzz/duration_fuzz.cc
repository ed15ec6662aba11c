// fuzz_duration: a duration ("30s", "1h30m", "23.5m"), as every duration field of a scenario or
// policy (ConfigNode::AsDuration) and run's --max-runtime read it: ParseDuration on the raw
// bytes. A duration that parses is not negative and survives FormatDuration: the shortest form
// it is printed in parses back to the same number of milliseconds.
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "sim/sim_time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fleetsim;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<SimTime> t = ParseDuration(text);
  if (!t.ok()) {
    fuzz::Require(!t.status().message().empty(), "a refused duration without a message");
    return 0;
  }
  fuzz::Require(t.value() >= SimTime::Zero(), "a negative duration parsed");
  const std::string printed = FormatDuration(t.value());
  Result<SimTime> back = ParseDuration(printed);
  fuzz::Require(back.ok() && back.value() == t.value(),
                "FormatDuration(ParseDuration(x)) = '" + printed + "' does not parse back");
  return 0;
}
