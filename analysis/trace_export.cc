// Chrome trace-event export: see trace_export.h for the layout and the contract.
#include "analysis/trace_export.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace fleetsim {
namespace {

using nlohmann::ordered_json;

constexpr int kPid = 1;
constexpr int kFleetTid = 0;
constexpr int kMaxInterpolationPoints = 8;  // per exposure ramp, at most one per simulated minute
constexpr SimTime kErrorRateHeartbeat = SimTime::Minutes(10);
constexpr double kErrorRateRelativeChange = 1e-6;

int64_t Micros(SimTime t) { return t.millis() * 1000; }

int Tid(int64_t change) { return static_cast<int>(change + 1); }

std::string ChangeTitle(int64_t id, const std::string& arrived_text) {
  std::string title = "change #" + std::to_string(id);
  if (arrived_text.empty() || arrived_text == "good") return title + " (good)";
  return title + " (bad: " + arrived_text + ")";
}

// Collects events with their timestamps; Finish() sorts them (stable) and serialises.
class TraceWriter {
 public:
  void Meta(const char* name, int tid, ordered_json args) {
    Push(0, ordered_json{{"name", name},
                         {"ph", "M"},
                         {"ts", 0},
                         {"pid", kPid},
                         {"tid", tid},
                         {"args", std::move(args)}});
  }
  void Instant(const std::string& name, const char* cat, int tid, SimTime t, ordered_json args) {
    Push(Micros(t), ordered_json{{"name", name},
                                 {"cat", cat},
                                 {"ph", "i"},
                                 {"s", "t"},
                                 {"ts", Micros(t)},
                                 {"pid", kPid},
                                 {"tid", tid},
                                 {"args", std::move(args)}});
  }
  void Complete(const std::string& name, const char* cat, int tid, SimTime start, SimTime end,
                ordered_json args) {
    const int64_t dur = std::max<int64_t>(0, Micros(end) - Micros(start));
    Push(Micros(start), ordered_json{{"name", name},
                                     {"cat", cat},
                                     {"ph", "X"},
                                     {"ts", Micros(start)},
                                     {"dur", dur},
                                     {"pid", kPid},
                                     {"tid", tid},
                                     {"args", std::move(args)}});
  }
  void Counter(const std::string& name, int tid, SimTime t, const char* series, double value) {
    Push(Micros(t), ordered_json{{"name", name},
                                 {"cat", "counter"},
                                 {"ph", "C"},
                                 {"ts", Micros(t)},
                                 {"pid", kPid},
                                 {"tid", tid},
                                 {"args", ordered_json{{series, value}}}});
  }

  std::string Finish(const ordered_json& metadata) {
    std::stable_sort(events_.begin(), events_.end(),
                     [](const Entry& a, const Entry& b) { return a.ts < b.ts; });
    std::string out = "{\"traceEvents\":[\n";
    for (size_t i = 0; i < events_.size(); ++i) {
      out += events_[i].json.dump();
      out += i + 1 < events_.size() ? ",\n" : "\n";
    }
    out += "],\n\"displayTimeUnit\":\"ms\",\n\"metadata\":";
    out += metadata.dump();
    out += "}\n";
    return out;
  }

 private:
  struct Entry {
    int64_t ts;
    ordered_json json;
  };
  void Push(int64_t ts, ordered_json json) { events_.push_back(Entry{ts, std::move(json)}); }
  std::vector<Entry> events_;
};

// Splits a verdict's text "fail: reason" into ("fail", "reason").
std::pair<std::string, std::string> SplitVerdict(const std::string& text) {
  const size_t colon = text.find(": ");
  if (colon == std::string::npos) return {text, ""};
  return {text.substr(0, colon), text.substr(colon + 2)};
}

std::string RegionName(const Scenario& scenario, int region) {
  if (scenario.fleet && region >= 0 &&
      static_cast<size_t>(region) < scenario.fleet->regions().size()) {
    return scenario.fleet->regions()[region].name;
  }
  return "region " + std::to_string(region);
}

class ChangeTrack {
 public:
  ChangeTrack(TraceWriter& out, const Timeline& timeline, const Scenario& scenario, int64_t id,
              const std::vector<size_t>& events)
      : out_(out),
        timeline_(timeline),
        scenario_(scenario),
        id_(id),
        tid_(Tid(id)),
        events_(events) {}

  void Emit(SimTime run_end) {
    for (size_t idx : events_) {
      const TimelineEvent& e = timeline_.events[idx];
      if (e.kind == TimelineKind::kStepReached) step_target_hosts_[e.step] = e.value;
    }
    for (size_t k = 0; k < events_.size(); ++k) EmitEvent(k);
    if (step_open_) CloseStep(std::max(run_end, step_start_), "end of run");
    if (rollback_open_) CloseRollback(std::max(run_end, rollback_start_), "end of run");
    EmitExposureCounter();
  }

 private:
  double Fraction(double hosts) const {
    return timeline_.scope_hosts > 0 ? hosts / static_cast<double>(timeline_.scope_hosts) : 0.0;
  }

  // Exposed hosts at the k-th event of this change: the next exposure breakpoint at that time.
  std::optional<double> ExposureFrom(size_t k) const {
    const SimTime t = timeline_.events[events_[k]].time;
    for (size_t j = k + 1; j < events_.size(); ++j) {
      const TimelineEvent& e = timeline_.events[events_[j]];
      if (e.time != t) break;
      if (e.kind == TimelineKind::kExposure) return e.value;
    }
    return std::nullopt;
  }

  void CloseStep(SimTime end, const char* ended_by) {
    ordered_json args{{"step", step_index_}, {"final_step", step_final_}};
    auto target = step_target_hosts_.find(step_index_);
    if (target != step_target_hosts_.end()) {
      args["target_hosts"] = static_cast<int64_t>(target->second);
      args["target_fraction"] = Fraction(target->second);
      args["reached_target"] = true;
    } else {
      args["reached_target"] = false;
    }
    args["ended_by"] = ended_by;
    out_.Complete(step_name_.empty() ? "step " + std::to_string(step_index_) : step_name_,
                  "rollout", tid_, step_start_, end, std::move(args));
    step_open_ = false;
  }

  void CloseRollback(SimTime end, const char* ended_by) {
    ordered_json args{{"source", rollback_source_}, {"from_step", rollback_step_}};
    if (rollback_exposed_)
      args["exposed_hosts_at_start"] = static_cast<int64_t>(*rollback_exposed_);
    args["ended_by"] = ended_by;
    out_.Complete("rollback", "rollback", tid_, rollback_start_, end, std::move(args));
    rollback_open_ = false;
  }

  void EmitEvent(size_t k) {
    const TimelineEvent& e = timeline_.events[events_[k]];
    switch (e.kind) {
      case TimelineKind::kArrived:
        out_.Instant("arrived", "rollout", tid_, e.time,
                     ordered_json{{"truth", e.text == "good" ? "good" : "bad"},
                                  {"fault", e.text == "good" ? "" : e.text},
                                  {"scope_hosts", timeline_.scope_hosts}});
        break;
      case TimelineKind::kStepStarted:
        if (step_open_) CloseStep(e.time, "next step");
        step_open_ = true;
        step_start_ = e.time;
        step_index_ = e.step;
        step_name_ = e.text;
        step_final_ = e.value != 0;
        break;
      case TimelineKind::kStepReached: {
        ordered_json args{{"step", e.step},
                          {"exposed_hosts", static_cast<int64_t>(e.value)},
                          {"fraction", Fraction(e.value)}};
        out_.Instant(
            "reached " + (step_name_.empty() ? "step " + std::to_string(e.step) : step_name_),
            "rollout", tid_, e.time, std::move(args));
        break;
      }
      case TimelineKind::kFullExposure:
        out_.Instant("full exposure", "rollout", tid_, e.time, ordered_json::object());
        break;
      case TimelineKind::kCompleted:
        if (step_open_) CloseStep(e.time, "completed");
        out_.Instant("completed", "rollout", tid_, e.time, ordered_json::object());
        break;
      case TimelineKind::kExposure:
        exposure_.emplace_back(e.time, e.value);
        break;
      case TimelineKind::kVerdict: {
        auto [verdict, reason] = SplitVerdict(e.text);
        ordered_json args{{"step", e.step},
                          {"step_name", step_name_},
                          {"verdict", verdict},
                          {"reason", reason},
                          {"foreign_fault_in_canary", e.value != 0}};
        out_.Instant("verdict " + verdict, "health", tid_, e.time, std::move(args));
        break;
      }
      case TimelineKind::kRollbackStarted:
        if (step_open_) CloseStep(e.time, "rollback");
        rollback_open_ = true;
        rollback_start_ = e.time;
        rollback_source_ = e.text;
        rollback_step_ = e.step;
        rollback_exposed_ = ExposureFrom(k);
        break;
      case TimelineKind::kRollbackFinished:
        if (rollback_open_) CloseRollback(e.time, "finished");
        break;
      case TimelineKind::kImpactBegan:
        out_.Instant("impact began", "impact", tid_, e.time, ordered_json::object());
        break;
      case TimelineKind::kImpactEnded:
        out_.Instant("impact ended", "impact", tid_, e.time, ordered_json::object());
        break;
      case TimelineKind::kRegionImpacted: {
        const int region = static_cast<int>(e.value);
        out_.Instant(
            "impact in region " + RegionName(scenario_, region), "impact", tid_, e.time,
            ordered_json{{"region", RegionName(scenario_, region)}, {"region_index", region}});
        break;
      }
      case TimelineKind::kPaused:
        out_.Instant("paused", "health", tid_, e.time, ordered_json{{"step", e.step}});
        break;
      case TimelineKind::kResumed:
        out_.Instant("resumed", "health", tid_, e.time, ordered_json::object());
        break;
      case TimelineKind::kDryRunStop:
        out_.Instant("dry run: would stop", "health", tid_, e.time, ordered_json{{"step", e.step}});
        break;
      case TimelineKind::kDeployFailed:
        out_.Instant("deploy failed", "deploy", tid_, e.time,
                     ordered_json{{"step", e.step}, {"reason", e.text}});
        break;
      case TimelineKind::kHalted:
        out_.Instant("halted", "health", tid_, e.time, ordered_json{{"step", e.step}});
        break;
      case TimelineKind::kVerdictsLost:
        out_.Instant("verdict lost", "health", tid_, e.time,
                     ordered_json{{"step", e.step},
                                  {"failing_verdicts", static_cast<int64_t>(e.value)},
                                  {"why", e.text}});
        break;
      case TimelineKind::kAlert:
      case TimelineKind::kHumanResponse:
        break;  // fleet track
    }
  }

  void EmitExposureCounter() {
    const std::string name = "exposure #" + std::to_string(id_);
    std::optional<double> last;
    for (size_t i = 0; i < exposure_.size(); ++i) {
      const auto& [t, hosts] = exposure_[i];
      if (i > 0) {
        const auto& [t0, hosts0] = exposure_[i - 1];
        const int64_t minutes = (t - t0).millis() / SimTime::Minutes(1).millis();
        const int n = static_cast<int>(std::min<int64_t>(kMaxInterpolationPoints, minutes));
        if (hosts != hosts0) {
          for (int j = 1; j <= n; ++j) {
            const SimTime tj = t0 + SimTime::Millis((t - t0).millis() * j / (n + 1));
            const double v = Fraction(hosts0 + (hosts - hosts0) * j / (n + 1));
            out_.Counter(name, tid_, tj, "fraction", v);
            last = v;
          }
        }
      }
      const double v = Fraction(hosts);
      if (!last || *last != v || i + 1 == exposure_.size()) {
        out_.Counter(name, tid_, t, "fraction", v);
        last = v;
      }
    }
  }

  TraceWriter& out_;
  const Timeline& timeline_;
  const Scenario& scenario_;
  int64_t id_;
  int tid_;
  const std::vector<size_t>& events_;
  std::map<int, double> step_target_hosts_;
  std::vector<std::pair<SimTime, double>> exposure_;

  bool step_open_ = false;
  SimTime step_start_;
  int step_index_ = -1;
  std::string step_name_;
  bool step_final_ = false;

  bool rollback_open_ = false;
  SimTime rollback_start_;
  std::string rollback_source_;
  int rollback_step_ = -1;
  std::optional<double> rollback_exposed_;
};

void EmitFleetTrack(TraceWriter& out, const Timeline& timeline, const Scenario& scenario) {
  for (const TimelineEvent& e : timeline.events) {
    if (e.kind == TimelineKind::kAlert) {
      out.Instant("alert fired", "people", kFleetTid, e.time, ordered_json::object());
    } else if (e.kind == TimelineKind::kHumanResponse) {
      ordered_json args;
      if (e.change >= 0) {
        args["culprit"] = e.change;
        args["action"] = "rolled back change #" + std::to_string(e.change);
      } else {
        args["culprit"] = nullptr;
        args["action"] = "no culprit found";
      }
      out.Instant("human response", "people", kFleetTid, e.time, std::move(args));
    }
  }
  // Fleet error rate per tick; the value covers the tick's minute, so it starts a tick earlier.
  const std::string name = "fleet error rate";
  const size_t n = std::min(timeline.tick_times.size(), timeline.fleet_error_rate.size());
  bool have_last = false;
  double last = 0;
  SimTime last_time;
  for (size_t i = 0; i < n; ++i) {
    const double v = timeline.fleet_error_rate[i];
    const SimTime start = std::max(SimTime::Zero(), timeline.tick_times[i] - scenario.tick);
    const bool emit = !have_last ||
                      std::fabs(v - last) > kErrorRateRelativeChange * std::fabs(last) ||
                      start - last_time >= kErrorRateHeartbeat || i + 1 == n;
    if (!emit) continue;
    out.Counter(name, kFleetTid, start, "error_rate", v);
    have_last = true;
    last = v;
    last_time = start;
  }
}

}  // namespace

std::string RenderChromeTrace(const Timeline& timeline, const Scenario& scenario,
                              const Policy& policy, std::optional<uint64_t> seed) {
  TraceWriter out;
  // Group the change events by change id, keeping their order.
  std::vector<std::vector<size_t>> by_change;
  std::vector<std::string> arrived_text;
  for (size_t i = 0; i < timeline.events.size(); ++i) {
    const TimelineEvent& e = timeline.events[i];
    if (e.kind == TimelineKind::kAlert || e.kind == TimelineKind::kHumanResponse || e.change < 0)
      continue;
    const size_t id = static_cast<size_t>(e.change);
    if (id >= by_change.size()) {
      by_change.resize(id + 1);
      arrived_text.resize(id + 1);
    }
    by_change[id].push_back(i);
    if (e.kind == TimelineKind::kArrived) arrived_text[id] = e.text;
  }

  out.Meta("process_name", kFleetTid,
           ordered_json{{"name", scenario.name + " / " + policy.name + " / replica " +
                                     std::to_string(timeline.replica)}});
  out.Meta("thread_name", kFleetTid, ordered_json{{"name", "fleet"}});
  out.Meta("thread_sort_index", kFleetTid, ordered_json{{"sort_index", 0}});
  for (size_t id = 0; id < by_change.size(); ++id) {
    if (by_change[id].empty()) continue;
    const int64_t change = static_cast<int64_t>(id);
    out.Meta("thread_name", Tid(change),
             ordered_json{{"name", ChangeTitle(change, arrived_text[id])}});
    out.Meta("thread_sort_index", Tid(change), ordered_json{{"sort_index", Tid(change)}});
  }

  EmitFleetTrack(out, timeline, scenario);
  for (size_t id = 0; id < by_change.size(); ++id) {
    if (by_change[id].empty()) continue;
    ChangeTrack(out, timeline, scenario, static_cast<int64_t>(id), by_change[id])
        .Emit(scenario.duration);
  }

  ordered_json metadata;
  if (seed) metadata["seed"] = *seed;
  metadata["scenario"] = scenario.name;
  metadata["policy"] = policy.name;
  metadata["replica"] = timeline.replica;
  metadata["scope_hosts"] = timeline.scope_hosts;
  metadata["duration"] = FormatDuration(scenario.duration);
  metadata["time"] = "ts and dur are microseconds of simulated time since the start of the run";
  return out.Finish(metadata);
}

}  // namespace fleetsim
