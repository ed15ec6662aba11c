// OutageSpec: the published record of a past outage that a scenario reproduces (the `outage:`
// block of a scenario file), as data next to the scenario that models it.
//
// It names the outage, cites its sources, and states the published key moments, each as a time
// after the triggering change (T+), with the tolerance within which a replay must reproduce it
// and a mark saying whether the number was published by the company, derived from published
// timestamps, or assumed by the scenario's author. `fleetsim replay` prints these next to the
// simulated moments; the outage tests hold every replay to them.
//
//   outage:
//     title: Cloudflare WAF managed-rule regex, global CPU exhaustion
//     date: 2019-07-02
//     change: waf-rule          # label of the injected change at T+0, the one that triggered
//                               # it (default: the culprit)
//     culprit: waf-rule         # label of the injected change whose fault did the damage
//                               # (default: `change` if it carries a fault, else the first
//                               # injected change that carries one; differs from `change`
//                               # when a later change triggers a latent fault)
//     t0_delay: 0s              # T+0 is this long after `change` arrived (optional; for a
//                               # latent fault whose trigger the scenario does not model as a
//                               change)
//     clock_zero: "13:42 UTC"   # real time of T+0, printed next to simulated times (optional)
//     sources:
//       - {title: "Details of the Cloudflare outage on July 2, 2019", url: "https://..."}
//     published:                # any of change, first_impact, detection, mitigation_start,
//     recovery
//       detection: {at: 3m, tolerance: 2m, mark: published, note: first PagerDuty page}
//     blast_radius:             # any of peak_exposed_fraction, impacted_traffic_peak,
//                               # failed_traffic_peak, regions_impacted
//       failed_traffic_peak: {value: 0.82, mark: published, note: traffic dropped 82% at worst}
//     notes:                    # published events that the model does not simulate (printed only)
//       - {at: 70m, text: WAF re-enabled globally}
//
// Parsed strictly by loader/outage_yaml.h (file:line:col errors, unknown keys rejected). Plain
// value types; sim/ only stores it; the simulation never reads it (an outage block changes no
// result).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/change_stream.h"
#include "sim/sim_time.h"

namespace fleetsim {

// How a number was obtained.
enum class EvidenceMark : uint8_t {
  kPublished,  // stated by the company's post-mortem (or a verbatim copy of it)
  kDerived,    // computed from published timestamps
  kSecondary,  // from a third-party account attributed to the company
  kAssumed,    // not published: the scenario author's assumption
};

const char* EvidenceMarkName(EvidenceMark mark);

// The key moments of an outage timeline, in their natural order.
enum class OutageMoment : uint8_t {
  kChange,
  kFirstImpact,
  kDetection,
  kMitigationStart,
  kRecovery
};
inline constexpr int kOutageMomentCount = 5;

// "change", "first_impact", "detection", "mitigation_start", "recovery".
const char* OutageMomentKey(OutageMoment moment);

struct PublishedTime {
  SimTime at;         // after the triggering change (T+)
  SimTime tolerance;  // a replay must land within [at - tolerance, at + tolerance]
  EvidenceMark mark = EvidenceMark::kPublished;
  std::string note;

  bool Within(SimTime simulated) const {
    const SimTime d = simulated > at ? simulated - at : at - simulated;
    return d <= tolerance;
  }
};

struct PublishedValue {
  double value = 0;
  std::optional<double> tolerance;  // absolute; none = shown for comparison only
  EvidenceMark mark = EvidenceMark::kPublished;
  std::string note;
};

struct OutageSource {
  std::string title;
  std::string url;
};

struct OutageNote {
  SimTime at;  // T+
  std::string text;
};

struct OutageSpec {
  std::string title;
  std::string date;
  std::string change_label;  // T+0; "" = the culprit
  std::string
      culprit_label;  // "" = `change` if it carries a fault, else the first injected one that does
  SimTime t0_delay;   // T+0 = arrival of `change` + t0_delay
  std::string clock_zero;
  std::vector<OutageSource> sources;
  std::array<std::optional<PublishedTime>, kOutageMomentCount> published;
  std::optional<PublishedValue> peak_exposed_fraction;
  std::optional<PublishedValue> impacted_traffic_peak;  // share of traffic on hosts the fault is on
  std::optional<PublishedValue> failed_traffic_peak;    // share of traffic that failed
  std::optional<PublishedValue> regions_impacted;
  std::vector<OutageNote> notes;

  const std::optional<PublishedTime>& Published(OutageMoment m) const {
    return published[static_cast<size_t>(m)];
  }
};

// Index into `changes.injected` of the outage's culprit (the faulty change), or -1 if none.
// An empty spec gives the first injected change with a fault.
int OutageCulpritIndex(const OutageSpec& spec, const ChangeStreamsSpec& changes);

// Index into `changes.injected` of the change at T+0, or -1 if none.
int OutageReferenceIndex(const OutageSpec& spec, const ChangeStreamsSpec& changes);

}  // namespace fleetsim
