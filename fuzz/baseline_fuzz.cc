// fuzz_baseline: a check baseline, as `fleetsim check BASELINE` reads it and `--update` rewrites
// it.
//
// The input is the file's text, taken to be scenarios/baselines/fuzz-input.yaml. It goes through
// ParseBaseline (LoadBaseline after reading the file) and the paths it names (ScenarioPath,
// PolicyArgument). A baseline that loads (with at most 256 replicas) must survive `--update`:
// after RecordBaseline, RenderBaselineYaml's text parses again, to a baseline that renders the
// same text (what check writes, check reads). A failed Status is normal; a parse error must name
// the input's file:line:col.
#include <cstdint>
#include <vector>

#include "analysis/baseline.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fleetsim;
  const std::string path = fuzz::ScenariosPath("baselines", "fuzz-input.yaml");
  Result<Baseline> baseline = ParseBaseline(fuzz::Text(data, size), path);
  if (!baseline.ok()) {
    fuzz::Require(fuzz::Located(baseline.status().message(), path),
                  "baseline error without file:line:col: " + baseline.status().message());
    return 0;
  }
  (void)baseline.value().ScenarioPath();
  (void)baseline.value().PolicyArgument();
  // What `check --update` does: record one value per replica, render. Default replicas give
  // each metric's value for a replica without changes (NaN, ~, where undefined); the replica
  // count is capped so that an input stays fast (the count is checked by ParseBaseline).
  if (baseline.value().replicas > 256) return 0;
  RecordBaseline(baseline.value(), std::vector<ReplicaResult>(baseline.value().replicas));
  const std::string written = RenderBaselineYaml(baseline.value());
  Result<Baseline> again = ParseBaseline(written, path);
  fuzz::Require(again.ok(), "the --update rendering does not load: " + again.status().message() +
                                "\n" + written);
  fuzz::Require(RenderBaselineYaml(again.value()) == written,
                "the --update rendering changes when loaded and rendered again:\n" + written);
  return 0;
}
