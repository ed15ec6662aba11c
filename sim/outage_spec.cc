// The names of evidence marks and outage moments, and which injected changes an outage names.
#include "sim/outage_spec.h"

namespace fleetsim {

const char* EvidenceMarkName(EvidenceMark mark) {
  switch (mark) {
    case EvidenceMark::kPublished:
      return "published";
    case EvidenceMark::kDerived:
      return "derived";
    case EvidenceMark::kSecondary:
      return "secondary";
    case EvidenceMark::kAssumed:
      return "assumed";
  }
  return "?";
}

const char* OutageMomentKey(OutageMoment moment) {
  switch (moment) {
    case OutageMoment::kChange:
      return "change";
    case OutageMoment::kFirstImpact:
      return "first_impact";
    case OutageMoment::kDetection:
      return "detection";
    case OutageMoment::kMitigationStart:
      return "mitigation_start";
    case OutageMoment::kRecovery:
      return "recovery";
  }
  return "?";
}

namespace {

int LabelIndex(const std::string& label, const ChangeStreamsSpec& changes) {
  for (size_t i = 0; i < changes.injected.size(); ++i) {
    if (changes.injected[i].label == label) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int OutageCulpritIndex(const OutageSpec& spec, const ChangeStreamsSpec& changes) {
  const auto faulty = [&](int i) {
    return i >= 0 && !changes.injected[static_cast<size_t>(i)].fault.empty();
  };
  if (!spec.culprit_label.empty()) {
    const int i = LabelIndex(spec.culprit_label, changes);
    return faulty(i) ? i : -1;
  }
  if (!spec.change_label.empty() && faulty(LabelIndex(spec.change_label, changes))) {
    return LabelIndex(spec.change_label, changes);
  }
  for (size_t i = 0; i < changes.injected.size(); ++i) {
    if (faulty(static_cast<int>(i))) return static_cast<int>(i);
  }
  return -1;
}

int OutageReferenceIndex(const OutageSpec& spec, const ChangeStreamsSpec& changes) {
  if (!spec.change_label.empty()) return LabelIndex(spec.change_label, changes);
  return OutageCulpritIndex(spec, changes);
}

}  // namespace fleetsim
