// Readable timeline text: see timeline_text.h for the format and the contract.
#include "analysis/timeline_text.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

namespace fleetsim {
namespace {

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Percent(double hosts, int64_t scope) {
  if (scope <= 0) return "?%";
  const double pct = 100.0 * hosts / static_cast<double>(scope);
  char buf[32];
  if (pct > 0 && pct < 0.05) {
    std::snprintf(buf, sizeof buf, "%.2g%%", pct);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f%%", pct);
  }
  return buf;
}

std::string ChangeLabel(int64_t id) { return "change #" + std::to_string(id); }

std::string RegionName(const Scenario& scenario, int region) {
  if (scenario.fleet && region >= 0 && static_cast<size_t>(region) < scenario.fleet->regions().size()) {
    return scenario.fleet->regions()[region].name;
  }
  return "#" + std::to_string(region);
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// "fail: reason" -> "FAIL: reason"; "inconclusive" -> "INCONCLUSIVE".
std::string UpperVerdict(const std::string& text) {
  const size_t colon = text.find(':');
  std::string head = text.substr(0, colon);
  for (char& c : head) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return colon == std::string::npos ? head : head + text.substr(colon);
}

class TextWriter {
 public:
  explicit TextWriter(size_t subject_width) : width_(subject_width) {}
  void Line(SimTime t, const std::string& subject, const std::string& what) {
    out_ += "  " + FormatClock(t) + "  " + subject;
    if (subject.size() < width_) out_.append(width_ - subject.size(), ' ');
    out_ += "  " + what + "\n";
  }
  void Raw(const std::string& s) { out_ += s; }
  std::string Take() { return std::move(out_); }

 private:
  size_t width_;
  std::string out_;
};

}  // namespace

std::string FormatClock(SimTime t) {
  const int64_t minutes_total = t.millis() / SimTime::Minutes(1).millis();
  const int64_t days = minutes_total / (24 * 60);
  const int64_t hours = minutes_total / 60 % 24;
  const int64_t minutes = minutes_total % 60;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lldd %02lld:%02lld", static_cast<long long>(days), static_cast<long long>(hours),
                static_cast<long long>(minutes));
  return buf;
}

std::string RenderTimelineText(const Timeline& timeline, const Scenario& scenario) {
  const std::vector<TimelineEvent>& events = timeline.events;
  const int64_t scope = timeline.scope_hosts;

  // Step targets (exposed hosts when each step's target was reached), passes per change, and the
  // width of the subject column.
  std::map<std::pair<int64_t, int>, double> step_target;
  std::map<int64_t, int> passes;
  std::vector<int64_t> arrived;
  size_t width = std::string("fleet").size();
  for (const TimelineEvent& e : events) {
    if (e.kind == TimelineKind::kStepReached) step_target[{e.change, e.step}] = e.value;
    if (e.kind == TimelineKind::kArrived) {
      arrived.push_back(e.change);
      passes.emplace(e.change, 0);
      width = std::max(width, ChangeLabel(e.change).size());
    }
    if (e.kind == TimelineKind::kVerdict && StartsWith(e.text, "pass")) ++passes[e.change];
  }

  TextWriter out(width);
  out.Raw("timeline of " + scenario.name + ", replica " + std::to_string(timeline.replica) + ", " +
          Thousands(scope) + " hosts, " + FormatDuration(scenario.duration) + "\n");

  std::map<int64_t, std::string> step_name;  // current step name per change
  std::map<int64_t, SimTime> step_start;      // when it started
  for (size_t i = 0; i < events.size(); ++i) {
    const TimelineEvent& e = events[i];
    const std::string subject = e.kind == TimelineKind::kAlert || e.kind == TimelineKind::kHumanResponse
                                    ? std::string("fleet")
                                    : ChangeLabel(e.change);
    switch (e.kind) {
      case TimelineKind::kArrived:
        out.Line(e.time, subject, e.text == "good" ? "arrived (good)" : "arrived (bad: " + e.text + ")");
        break;
      case TimelineKind::kStepStarted: {
        step_name[e.change] = e.text;
        step_start[e.change] = e.time;
        std::string what = "stage " + e.text + " started";
        std::string details = e.value != 0 ? "final stage" : "";
        auto target = step_target.find({e.change, e.step});
        if (target != step_target.end()) {
          if (!details.empty()) details += "; ";
          details += "target " + Percent(target->second, scope) + " of " + Thousands(scope) + " hosts";
        }
        if (!details.empty()) what += " (" + details + ")";
        out.Line(e.time, subject, what);
        break;
      }
      case TimelineKind::kStepReached:
        // A deploy within the minute its step started adds nothing to the "started" line.
        if (FormatClock(e.time) == FormatClock(step_start[e.change])) break;
        out.Line(e.time, subject,
                 "stage " + step_name[e.change] + " reached " + Percent(e.value, scope) + " (" +
                     Thousands(static_cast<int64_t>(e.value)) + " hosts)");
        break;
      case TimelineKind::kFullExposure:
        out.Line(e.time, subject, "running on 100% of " + Thousands(scope) + " hosts");
        break;
      case TimelineKind::kCompleted:
        out.Line(e.time, subject, "rollout completed");
        break;
      case TimelineKind::kExposure:
        break;
      case TimelineKind::kVerdict:
        if (StartsWith(e.text, "pass")) break;
        out.Line(e.time, subject,
                 "verdict " + UpperVerdict(e.text) + (e.value != 0 ? " (canary also hit by another change's fault)" : ""));
        break;
      case TimelineKind::kRollbackStarted: {
        std::string what = "rollback started by " + e.text;
        // The engine reports the exposure at the rollback's start right after this event.
        for (size_t j = i + 1; j < events.size() && events[j].time == e.time; ++j) {
          if (events[j].change == e.change && events[j].kind == TimelineKind::kExposure) {
            what += " (exposed " + Thousands(static_cast<int64_t>(events[j].value)) + " hosts)";
            break;
          }
        }
        out.Line(e.time, subject, what);
        break;
      }
      case TimelineKind::kRollbackFinished:
        // The engine ends the impact in the same instant; say both on one line.
        if (i + 1 < events.size() && events[i + 1].kind == TimelineKind::kImpactEnded &&
            events[i + 1].change == e.change && events[i + 1].time == e.time) {
          out.Line(e.time, subject, "rollback finished; impact ended");
          ++i;
        } else {
          out.Line(e.time, subject, "rollback finished");
        }
        break;
      case TimelineKind::kImpactBegan:
        out.Line(e.time, subject, "fault manifests");
        break;
      case TimelineKind::kImpactEnded:
        out.Line(e.time, subject, "impact ended");
        break;
      case TimelineKind::kRegionImpacted:
        out.Line(e.time, subject, "fault hits region " + RegionName(scenario, static_cast<int>(e.value)));
        break;
      case TimelineKind::kAlert:
        out.Line(e.time, subject, "alert fired");
        break;
      case TimelineKind::kHumanResponse:
        out.Line(e.time, subject,
                 e.change >= 0 ? "human response: rolled back " + ChangeLabel(e.change)
                               : std::string("human response: no culprit found"));
        break;
      case TimelineKind::kPaused:
        out.Line(e.time, subject, "paused by automation; waiting for a person's review");
        break;
      case TimelineKind::kResumed:
        out.Line(e.time, subject, "resumed by a person");
        break;
      case TimelineKind::kDryRunStop:
        out.Line(e.time, subject, "dry run: the health policy would stop this change now");
        break;
      case TimelineKind::kDeployFailed:
        out.Line(e.time, subject, e.text);
        break;
    }
  }
  out.Line(scenario.duration, "fleet", "run ended");

  out.Raw("passing verdicts (not listed above):\n");
  if (arrived.empty()) out.Raw("  (no changes)\n");
  for (const auto& [id, count] : passes) {
    std::string label = ChangeLabel(id);
    if (label.size() < width) label.append(width - label.size(), ' ');
    out.Raw("  " + label + "  " + std::to_string(count) + "\n");
  }
  return out.Take();
}

}  // namespace fleetsim
