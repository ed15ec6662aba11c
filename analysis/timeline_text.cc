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

namespace {

// What the lines need to know about later events: each step's target (exposed hosts when it was
// reached), passing verdicts per change, the changes that arrived, the subject column's width.
struct TimelineIndex {
  std::map<std::pair<int64_t, int>, double> step_target;
  std::map<int64_t, int> passes;
  std::vector<int64_t> arrived;
  size_t width = std::string("fleet").size();
};

TimelineIndex IndexTimeline(const std::vector<TimelineEvent>& events) {
  TimelineIndex index;
  for (const TimelineEvent& e : events) {
    if (e.kind == TimelineKind::kStepReached) index.step_target[{e.change, e.step}] = e.value;
    if (e.kind == TimelineKind::kArrived) {
      index.arrived.push_back(e.change);
      index.passes.emplace(e.change, 0);
      index.width = std::max(index.width, ChangeLabel(e.change).size());
    }
    if (e.kind == TimelineKind::kVerdict && StartsWith(e.text, "pass")) ++index.passes[e.change];
  }
  return index;
}

// Writes the events in order; holds what a line depends on from earlier events.
class TimelineRenderer {
 public:
  TimelineRenderer(const Timeline& timeline, const Scenario& scenario)
      : events_(timeline.events),
        scenario_(scenario),
        scope_(timeline.scope_hosts),
        index_(IndexTimeline(timeline.events)),
        out_(index_.width) {}

  std::string Render(uint32_t replica) {
    out_.Raw("timeline of " + scenario_.name + ", replica " + std::to_string(replica) + ", " +
             Thousands(scope_) + " hosts, " + FormatDuration(scenario_.duration) + "\n");
    for (size_t i = 0; i < events_.size(); ++i) i = Write(i);
    FlushQuiet(scenario_.duration);
    out_.Line(scenario_.duration, "fleet", "run ended");
    PassingVerdicts();
    return out_.Take();
  }

 private:
  // Writes event i; returns the index of the last event it consumed.
  size_t Write(size_t i) {
    const TimelineEvent& e = events_[i];
    const std::string subject =
        e.kind == TimelineKind::kAlert || e.kind == TimelineKind::kHumanResponse
            ? std::string("fleet")
            : ChangeLabel(e.change);
    switch (e.kind) {
      case TimelineKind::kArrived:
        if (e.text != "good") fault_of_[e.change] = scenario_.faults.Find(e.text);
        out_.Line(e.time, subject,
                  e.text == "good" ? "arrived (good)" : "arrived (bad: " + e.text + ")");
        break;
      case TimelineKind::kStepStarted:
        StepStarted(e, subject);
        break;
      case TimelineKind::kStepReached:
        // A deploy within the minute its step started adds nothing to the "started" line.
        if (FormatClock(e.time) == FormatClock(step_start_[e.change])) break;
        out_.Line(e.time, subject,
                  "stage " + step_name_[e.change] + " reached " + Percent(e.value, scope_) + " (" +
                      Thousands(static_cast<int64_t>(e.value)) + " hosts)");
        break;
      case TimelineKind::kFullExposure:
        out_.Line(e.time, subject, "running on 100% of " + Thousands(scope_) + " hosts");
        break;
      case TimelineKind::kCompleted:
        out_.Line(e.time, subject, "rollout completed");
        break;
      case TimelineKind::kExposure:
        break;
      case TimelineKind::kVerdict:
        if (StartsWith(e.text, "pass")) break;
        out_.Line(e.time, subject,
                  "verdict " + UpperVerdict(e.text) +
                      (e.value != 0 ? " (canary also hit by another change's fault)" : "") +
                      (HaltFollows(i) ? "; the step holds" : ""));
        break;
      case TimelineKind::kHalted:
        break;  // said on its verdict's line
      case TimelineKind::kVerdictsLost: {
        const int n = static_cast<int>(e.value);
        out_.Line(e.time, subject,
                  "verdict lost: " + std::to_string(n) + " failing verdict" + (n == 1 ? "" : "s") +
                      " acted on nothing (" + e.text + ")");
        break;
      }
      case TimelineKind::kRollbackStarted:
        RollbackStarted(i, subject);
        break;
      case TimelineKind::kRollbackFinished:
        return RollbackFinished(i, subject);
      case TimelineKind::kImpactBegan:
        manifesting_[e.change] = true;
        out_.Line(e.time, subject, "fault manifests");
        break;
      case TimelineKind::kImpactEnded:
        manifesting_[e.change] = false;
        out_.Line(e.time, subject, "impact ended");
        break;
      case TimelineKind::kRegionImpacted:
        out_.Line(e.time, subject,
                  "fault hits region " + RegionName(scenario_, static_cast<int>(e.value)));
        break;
      case TimelineKind::kAlert:
        Alert(i, subject);
        break;
      case TimelineKind::kHumanResponse:
        HumanResponse(e, subject);
        break;
      case TimelineKind::kPaused:
        out_.Line(e.time, subject, "paused by automation; waiting for a person's review");
        break;
      case TimelineKind::kResumed:
        out_.Line(e.time, subject, "resumed by a person");
        break;
      case TimelineKind::kDryRunStop:
        out_.Line(e.time, subject, "dry run: the health policy would stop this change now");
        break;
      case TimelineKind::kDeployFailed:
        out_.Line(e.time, subject, e.text);
        break;
    }
    return i;
  }

  // The verdict at i held its step (the engine reports the hold right after the verdict).
  bool HaltFollows(size_t i) const {
    const TimelineEvent& e = events_[i];
    return i + 1 < events_.size() && events_[i + 1].kind == TimelineKind::kHalted &&
           events_[i + 1].change == e.change && events_[i + 1].time == e.time;
  }

  void StepStarted(const TimelineEvent& e, const std::string& subject) {
    step_name_[e.change] = e.text;
    step_start_[e.change] = e.time;
    std::string what = "stage " + e.text + " started";
    std::string details = e.value != 0 ? "final stage" : "";
    auto target = index_.step_target.find({e.change, e.step});
    if (target != index_.step_target.end()) {
      if (!details.empty()) details += "; ";
      details +=
          "target " + Percent(target->second, scope_) + " of " + Thousands(scope_) + " hosts";
    }
    if (!details.empty()) what += " (" + details + ")";
    out_.Line(e.time, subject, what);
  }

  void RollbackStarted(size_t i, const std::string& subject) {
    const TimelineEvent& e = events_[i];
    std::string what = "rollback started by " + e.text;
    // The engine reports the exposure at the rollback's start right after this event.
    for (size_t j = i + 1; j < events_.size() && events_[j].time == e.time; ++j) {
      if (events_[j].change == e.change && events_[j].kind == TimelineKind::kExposure) {
        what += " (exposed " + Thousands(static_cast<int64_t>(events_[j].value)) + " hosts)";
        break;
      }
    }
    // A fault that blocks the revert holds it until people repair the hosts (sim/fault.h).
    const auto fault = fault_of_.find(e.change);
    if (fault != fault_of_.end() && fault->second >= 0 && manifesting_[e.change] &&
        scenario_.faults.faults[static_cast<size_t>(fault->second)].blocks_rollback) {
      what += "; the fault blocks the revert: it waits for the hosts' repair by hand";
    }
    rolling_back_.push_back(e.change);
    out_.Line(e.time, subject, what);
  }

  size_t RollbackFinished(size_t i, const std::string& subject) {
    const TimelineEvent& e = events_[i];
    std::erase(rolling_back_, e.change);
    if (rolling_back_.empty()) FlushQuiet(e.time);
    // The engine ends the impact in the same instant; say both on one line.
    if (i + 1 < events_.size() && events_[i + 1].kind == TimelineKind::kImpactEnded &&
        events_[i + 1].change == e.change && events_[i + 1].time == e.time) {
      out_.Line(e.time, subject, "rollback finished; impact ended");
      return i + 1;
    }
    out_.Line(e.time, subject, "rollback finished");
    return i;
  }

  void Alert(size_t i, const std::string& subject) {
    // The next event of the alert's response: if it only finds a rollback already under way,
    // and the previous alert got the same answer, this one just adds to the count.
    size_t j = i + 1;
    while (j < events_.size() && events_[j].kind != TimelineKind::kHumanResponse &&
           events_[j].kind != TimelineKind::kAlert)
      ++j;
    const bool nothing_new = j < events_.size() &&
                             events_[j].kind == TimelineKind::kHumanResponse &&
                             events_[j].change < 0 && !rolling_back_.empty();
    if (nothing_new && quieting_) {
      ++repeats_;
      ++unanswered_;
      return;
    }
    out_.Line(events_[i].time, subject, "alert fired");
  }

  void HumanResponse(const TimelineEvent& e, const std::string& subject) {
    if (e.change < 0 && unanswered_ > 0) {
      --unanswered_;  // counted with its alert
      return;
    }
    if (e.change < 0 && !rolling_back_.empty()) {
      out_.Line(e.time, subject,
                "human response: nothing new to roll back (" + ChangeLabel(rolling_back_.front()) +
                    " is still rolling back)");
      quieting_ = true;
      return;
    }
    out_.Line(e.time, subject,
              e.change >= 0 ? "human response: rolled back " + ChangeLabel(e.change)
                            : std::string("human response: nothing to roll back"));
  }

  void FlushQuiet(SimTime t) {
    if (repeats_ > 0) {
      out_.Line(t, "fleet",
                "(meanwhile the alert fired " + std::to_string(repeats_) + " more time" +
                    (repeats_ == 1 ? "" : "s") + "; each time nothing new to roll back)");
    }
    quieting_ = false;
    repeats_ = 0;
  }

  void PassingVerdicts() {
    out_.Raw("passing verdicts (not listed above):\n");
    if (index_.arrived.empty()) out_.Raw("  (no changes)\n");
    for (const auto& [id, count] : index_.passes) {
      std::string label = ChangeLabel(id);
      if (label.size() < index_.width) label.append(index_.width - label.size(), ' ');
      out_.Raw("  " + label + "  " + std::to_string(count) + "\n");
    }
  }

  const std::vector<TimelineEvent>& events_;
  const Scenario& scenario_;
  const int64_t scope_;
  const TimelineIndex index_;
  TextWriter out_;
  std::map<int64_t, std::string> step_name_;  // current step name per change
  std::map<int64_t, SimTime> step_start_;     // when it started
  std::map<int64_t, int> fault_of_;           // catalog index of each bad change's fault
  std::map<int64_t, bool> manifesting_;       // its fault manifests now
  std::vector<int64_t> rolling_back_;         // rollbacks under way, in start order
  // While a rollback is under way the alert keeps re-firing and people find nothing new to roll
  // back: say so once, then count the repeats and report them when the rollbacks are over.
  bool quieting_ = false;  // "nothing new to roll back" has been said
  int repeats_ = 0;        // alerts since then with the same answer
  int unanswered_ = 0;     // of those, alerts whose response (to be skipped too) is still to come
};

}  // namespace

std::string RenderTimelineText(const Timeline& timeline, const Scenario& scenario) {
  return TimelineRenderer(timeline, scenario).Render(timeline.replica);
}

}  // namespace fleetsim
