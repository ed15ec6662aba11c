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
  if (scenario.fleet && region >= 0 &&
      static_cast<size_t>(region) < scenario.fleet->regions().size()) {
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
  std::snprintf(buf, sizeof buf, "%lldd %02lld:%02lld", static_cast<long long>(days),
                static_cast<long long>(hours), static_cast<long long>(minutes));
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
  std::map<int64_t, SimTime> step_start;     // when it started
  std::map<int64_t, int> fault_of;           // catalog index of each bad change's fault
  std::map<int64_t, bool> manifesting;       // its fault manifests now
  std::vector<int64_t> rolling_back;         // rollbacks under way, in start order
  // While a rollback is under way the alert keeps re-firing and people find nothing new to roll
  // back: say so once, then count the repeats and report them when the rollbacks are over.
  bool quieting = false;  // "nothing new to roll back" has been said
  int repeats = 0;        // alerts since then with the same answer
  int unanswered = 0;     // of those, alerts whose response (to be skipped too) is still to come
  const auto flush_quiet = [&](SimTime t) {
    if (repeats > 0) {
      out.Line(t, "fleet",
               "(meanwhile the alert fired " + std::to_string(repeats) + " more time" +
                   (repeats == 1 ? "" : "s") + "; each time nothing new to roll back)");
    }
    quieting = false;
    repeats = 0;
  };
  for (size_t i = 0; i < events.size(); ++i) {
    const TimelineEvent& e = events[i];
    const std::string subject =
        e.kind == TimelineKind::kAlert || e.kind == TimelineKind::kHumanResponse
            ? std::string("fleet")
            : ChangeLabel(e.change);
    switch (e.kind) {
      case TimelineKind::kArrived:
        if (e.text != "good") fault_of[e.change] = scenario.faults.Find(e.text);
        out.Line(e.time, subject,
                 e.text == "good" ? "arrived (good)" : "arrived (bad: " + e.text + ")");
        break;
      case TimelineKind::kStepStarted: {
        step_name[e.change] = e.text;
        step_start[e.change] = e.time;
        std::string what = "stage " + e.text + " started";
        std::string details = e.value != 0 ? "final stage" : "";
        auto target = step_target.find({e.change, e.step});
        if (target != step_target.end()) {
          if (!details.empty()) details += "; ";
          details +=
              "target " + Percent(target->second, scope) + " of " + Thousands(scope) + " hosts";
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
                 "verdict " + UpperVerdict(e.text) +
                     (e.value != 0 ? " (canary also hit by another change's fault)" : ""));
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
        // A fault that blocks the revert holds it until people repair the hosts (sim/fault.h).
        const auto fault = fault_of.find(e.change);
        if (fault != fault_of.end() && fault->second >= 0 && manifesting[e.change] &&
            scenario.faults.faults[static_cast<size_t>(fault->second)].blocks_rollback) {
          what += "; the fault blocks the revert: it waits for the hosts' repair by hand";
        }
        rolling_back.push_back(e.change);
        out.Line(e.time, subject, what);
        break;
      }
      case TimelineKind::kRollbackFinished:
        std::erase(rolling_back, e.change);
        if (rolling_back.empty()) flush_quiet(e.time);
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
        manifesting[e.change] = true;
        out.Line(e.time, subject, "fault manifests");
        break;
      case TimelineKind::kImpactEnded:
        manifesting[e.change] = false;
        out.Line(e.time, subject, "impact ended");
        break;
      case TimelineKind::kRegionImpacted:
        out.Line(e.time, subject,
                 "fault hits region " + RegionName(scenario, static_cast<int>(e.value)));
        break;
      case TimelineKind::kAlert: {
        // The next event of the alert's response: if it only finds a rollback already under way,
        // and the previous alert got the same answer, this one just adds to the count.
        size_t j = i + 1;
        while (j < events.size() && events[j].kind != TimelineKind::kHumanResponse &&
               events[j].kind != TimelineKind::kAlert)
          ++j;
        const bool nothing_new = j < events.size() &&
                                 events[j].kind == TimelineKind::kHumanResponse &&
                                 events[j].change < 0 && !rolling_back.empty();
        if (nothing_new && quieting) {
          ++repeats;
          ++unanswered;
          break;
        }
        out.Line(e.time, subject, "alert fired");
        break;
      }
      case TimelineKind::kHumanResponse:
        if (e.change < 0 && unanswered > 0) {
          --unanswered;  // counted with its alert
          break;
        }
        if (e.change < 0 && !rolling_back.empty()) {
          out.Line(e.time, subject,
                   "human response: nothing new to roll back (" +
                       ChangeLabel(rolling_back.front()) + " is still rolling back)");
          quieting = true;
          break;
        }
        out.Line(e.time, subject,
                 e.change >= 0 ? "human response: rolled back " + ChangeLabel(e.change)
                               : std::string("human response: nothing to roll back"));
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
  flush_quiet(scenario.duration);
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
