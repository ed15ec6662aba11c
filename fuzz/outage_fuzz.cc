// fuzz_outage: a scenario's `outage:` block (sim/outage_spec.h), as `fleetsim replay` reads it.
//
// The input is the block's own text (the mapping under `outage:`). It is parsed as the scenario
// loader parses the whole file (ParseYamlText: the size, encoding, nesting and alias checks) and
// read by ParseOutageBlock against a scenario whose injected changes are labelled `trigger` (no
// fault), `culprit` (a fault) and one unlabelled faulty change; then the changes the outage names
// (OutageCulpritIndex, OutageReferenceIndex), which replay uses. A ConfigError is normal and must
// name file:line:col; the indices must be those of injected changes, the culprit a faulty one.
#include <cstdint>
#include <optional>

#include "fuzz/fuzz_support.h"
#include "loader/outage_yaml.h"
#include "loader/yaml_reader.h"

namespace fleetsim::fuzz {
namespace {

ChangeStreamsSpec Changes() {
  ChangeStreamsSpec changes;
  InjectedChange trigger;
  trigger.at = SimTime::Minutes(10);
  trigger.label = "trigger";
  InjectedChange culprit;
  culprit.at = SimTime::Minutes(20);
  culprit.label = "culprit";
  culprit.fault = "bad-config";
  InjectedChange unlabelled;
  unlabelled.at = SimTime::Minutes(30);
  unlabelled.fault = "leak";
  changes.injected = {trigger, culprit, unlabelled};
  return changes;
}

}  // namespace
}  // namespace fleetsim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fleetsim;
  static const ChangeStreamsSpec changes = fuzz::Changes();
  const std::string path = fuzz::ScenariosPath("outages", "fuzz-input.yaml");
  const std::string text = fuzz::Text(data, size);
  std::optional<OutageSpec> spec;
  Status st = CatchConfigErrors([&] {
    const ConfigNode root = ParseYamlText(text, &path);
    spec = ParseOutageBlock(root, changes);
  });
  if (!st.ok()) {
    fuzz::Require(fuzz::Located(st.message(), path),
                  "outage error without file:line:col: " + st.message());
    return 0;
  }
  const int n = static_cast<int>(changes.injected.size());
  const int culprit = OutageCulpritIndex(*spec, changes);
  const int reference = OutageReferenceIndex(*spec, changes);
  fuzz::Require(culprit >= 0 && culprit < n && !changes.injected[culprit].fault.empty(),
                "a loaded outage without a faulty culprit");
  fuzz::Require(reference >= 0 && reference < n, "a loaded outage without a change at T+0");
  return 0;
}
