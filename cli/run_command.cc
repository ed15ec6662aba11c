// `fleetsim run`, `compare` and `sweep`: load, run replicas (same seeds for every policy or grid
// point), and report.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <thread>

#include "analysis/atomic_file.h"
#include "analysis/experiment.h"
#include "analysis/report.h"
#include "analysis/report_html.h"
#include "analysis/resource_estimate.h"
#include "analysis/sweep.h"
#include "analysis/timeline_text.h"
#include "analysis/trace_export.h"
#include "cli/commands.h"
#include "cli/interrupt.h"

namespace fleetsim::cli {
namespace {

int Fail(int code, const std::string& message) {
  std::cerr << "fleetsim: " << message << "\n";
  return code;
}

Status CheckOutputs(const RunArgs& args) {
  if ((!args.trace_path.empty() || !args.timeline_path.empty()) && args.replicas &&
      args.trace_replica >= *args.replicas) {
    return Status::Error("--trace-replica " + std::to_string(args.trace_replica) +
                         " is not below --replicas " + std::to_string(*args.replicas));
  }
  for (const std::string* path : {&args.json_path, &args.csv_path, &args.commits_csv_path,
                                  &args.html_path, &args.trace_path, &args.timeline_path}) {
    if (path->empty() || *path == "-") continue;
    Status st = CheckWritable(*path);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

bool Interrupted() { return InterruptRequested()->load(); }

// Refuses (exit 2) a run whose estimated memory or time exceeds the limits, or prints the
// estimate (exit 0) for --estimate. -1: go ahead.
int CheckResources(const Scenario& scenario, const RunArgs& args, int replicas, int runs) {
  RunShape shape;
  shape.replicas = replicas;
  shape.runs = runs;
  shape.threads =
      args.threads > 0 ? args.threads : static_cast<int>(std::thread::hardware_concurrency());
  shape.per_change_rows = !args.csv_path.empty();
  const ResourceEstimate estimate = EstimateRun(scenario, shape);
  if (args.estimate) {
    std::cout << "estimate: " << estimate.Describe() << "\n";
    return 0;
  }
  double max_memory = PhysicalMemoryBytes();
  if (!args.max_memory.empty()) {
    Result<double> m = ParseByteSize(args.max_memory);
    if (!m.ok()) return Fail(2, "--max-memory: " + m.status().message());
    max_memory = m.value();
  }
  double max_runtime = 86'400;
  if (!args.max_runtime.empty()) {
    Result<SimTime> t = ParseDuration(args.max_runtime);
    if (!t.ok()) return Fail(2, "--max-runtime: " + t.status().message());
    max_runtime = static_cast<double>(t.value().millis()) / 1000;
  }
  if (Status st = CheckResourceLimits(estimate, max_memory, max_runtime); !st.ok())
    return Fail(2, st.message());
  return -1;
}

// An interrupted command: what was done, and the exit code 128 + signal.
int ReportInterrupt(int finished, int planned, const std::string& written) {
  std::cerr << "\nfleetsim: interrupted by " << InterruptSignalName() << ": " << finished << " of "
            << planned << " replicas finished; " << written << "\n";
  return InterruptExitCode();
}

// Runs one (scenario, policy) pair with a progress line (replicas done, ETA) on a terminal.
// Stops early when interrupted (`*completed` then says how many replicas finished).
PolicyRun RunWithProgress(const Scenario& scenario, const Policy& policy, const RunArgs& args,
                          int replicas, uint64_t seed, size_t index, size_t total, int* completed) {
  RunOptions options;
  options.replicas = replicas;
  options.seed = seed;
  options.threads = args.threads;
  options.cancel = InterruptRequested();
  options.completed = completed;
  if (!args.quiet && isatty(STDERR_FILENO)) {
    const auto start = std::chrono::steady_clock::now();
    options.progress = [&, start, index, total](int done, int all) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double eta = done > 0 ? elapsed * (all - done) / done : 0;
      const int width = 30, filled = all > 0 ? width * done / all : width;
      std::fprintf(stderr, "\r[%zu/%zu] %.40s [%.*s%*s] %d/%d  ETA %.0fs ", index + 1, total,
                   policy.name.c_str(), filled, "##############################", width - filled,
                   "", done, all, eta);
      if (done == all) std::fprintf(stderr, "\r\033[K");
      std::fflush(stderr);
    };
  }
  PolicyRun run;
  run.policy = &policy;
  run.replicas = RunReplicas(scenario, policy, options);
  if (!Interrupted()) run.summary = SummarizeRun(run.replicas);
  return run;
}

Timeline RecordTimeline(const Scenario& scenario, const Policy& policy, uint64_t seed,
                        uint32_t replica) {
  TimelineRecorder recorder(scenario.faults, replica);
  RunReplica(scenario, policy, seed, replica, &recorder);
  return recorder.TakeTimeline();
}

// Writes the outputs one by one, each atomically; stops before the next one once interrupted.
class OutputWriter {
 public:
  explicit OutputWriter(int replicas) : replicas_(replicas) {}

  // 0, or the exit code to return at once (1: a write failed; 128 + signal: interrupted).
  int Write(const std::string& path, const std::function<std::string()>& render) {
    if (Interrupted()) return Stop();
    const std::string content = render();
    if (Interrupted()) return Stop();
    if (Status st = WriteFileAtomically(path, content); !st.ok()) return Fail(1, st.message());
    written_ += (written_.empty() ? "" : ", ") + path;
    return 0;
  }
  int Stop() const {
    return ReportInterrupt(replicas_, replicas_,
                           written_.empty() ? "nothing written" : "wrote only " + written_);
  }

 private:
  int replicas_;
  std::string written_;
};

// HTML report, trace and timeline: they replay sample replicas of the first run with a recorder.
int WriteReplayOutputs(const Report& report, const Scenario& scenario, const RunArgs& args,
                       OutputWriter& out) {
  const Policy& policy = *report.runs.front().policy;
  if (!args.trace_path.empty() || !args.timeline_path.empty()) {
    const Timeline timeline =
        RecordTimeline(scenario, policy, report.seed, static_cast<uint32_t>(args.trace_replica));
    if (!args.trace_path.empty()) {
      const int rc = out.Write(args.trace_path, [&] {
        return RenderChromeTrace(timeline, scenario, policy, report.seed);
      });
      if (rc != 0) return rc;
    }
    if (args.timeline_path == "-") {
      std::cout << RenderTimelineText(timeline, scenario);
    } else if (!args.timeline_path.empty()) {
      const int rc =
          out.Write(args.timeline_path, [&] { return RenderTimelineText(timeline, scenario); });
      if (rc != 0) return rc;
    }
  }
  if (!args.html_path.empty()) {
    std::vector<Timeline> samples;
    for (int r = 0; r < std::min(report.replicas, 2); ++r) {
      if (Interrupted()) return out.Stop();
      samples.push_back(RecordTimeline(scenario, policy, report.seed, static_cast<uint32_t>(r)));
    }
    if (int rc = out.Write(args.html_path, [&] { return RenderHtml(report, samples); }); rc != 0)
      return rc;
  }
  return 0;
}

int WriteOutputs(const Report& report, const RunArgs& args, bool sweep) {
  OutputWriter out(report.replicas * static_cast<int>(report.runs.size()));
  if (int rc = WriteReplayOutputs(report, *report.scenario, args, out); rc != 0) return rc;
  if (!args.json_path.empty()) {
    if (int rc = out.Write(args.json_path, [&] { return RenderJson(report); }); rc != 0) return rc;
  }
  if (!args.csv_path.empty()) {
    if (int rc = out.Write(args.csv_path, [&] { return RenderCsv(report); }); rc != 0) return rc;
  }
  if (!args.commits_csv_path.empty()) {
    const int rc = out.Write(args.commits_csv_path, [&] { return RenderCommitsCsv(report); });
    if (rc != 0) return rc;
  }
  if (Interrupted()) return out.Stop();
  if (!args.quiet) std::cout << (sweep ? RenderSweepTable(report) : RenderTable(report));
  return 0;
}

}  // namespace

int RunCommand(const RunArgs& args, bool require_several_policies) {
  if (require_several_policies && args.policies.size() < 2) {
    return Fail(2, "compare needs at least two --policy arguments");
  }
  import::ImportOptions import_options;
  if (Status st = ToImportOptions(args.import, &import_options); !st.ok())
    return Fail(2, st.message());
  Result<Experiment> loaded = LoadExperiment(args.scenario, args.policies, import_options);
  if (!loaded.ok()) return Fail(2, loaded.status().message());
  Experiment& experiment = loaded.value();
  if (Status st = CheckOutputs(args); !st.ok()) return Fail(2, st.message());

  Report report;
  report.scenario = &experiment.scenario;
  report.seed = args.seed.value_or(experiment.scenario.seed);
  report.replicas = args.replicas.value_or(experiment.scenario.replicas);
  if (int rc = CheckResources(experiment.scenario, args, report.replicas,
                              static_cast<int>(experiment.policies.size()));
      rc >= 0)
    return rc;
  const int planned = report.replicas * static_cast<int>(experiment.policies.size());
  int finished = 0;
  for (size_t i = 0; i < experiment.policies.size(); ++i) {
    int completed = 0;
    report.runs.push_back(RunWithProgress(experiment.scenario, experiment.policies[i], args,
                                          report.replicas, report.seed, i,
                                          experiment.policies.size(), &completed));
    finished += completed;
    if (Interrupted()) return ReportInterrupt(finished, planned, "nothing written");
  }
  AddPairedComparisons(report);
  return WriteOutputs(report, args, false);
}

int SweepCommand(const RunArgs& args, const std::vector<std::string>& params) {
  if (args.policies.size() > 1) return Fail(2, "sweep takes at most one --policy");
  std::vector<SweepAxis> axes;
  for (const std::string& p : params) {
    Result<SweepAxis> axis = ParseSweepAxis(p);
    if (!axis.ok()) return Fail(2, axis.status().message());
    axes.push_back(std::move(axis).value());
  }
  import::ImportOptions import_options;
  if (Status st = ToImportOptions(args.import, &import_options); !st.ok())
    return Fail(2, st.message());
  Result<std::vector<SweepPoint>> points = ExpandSweep(
      args.scenario, args.policies.empty() ? "" : args.policies.front(), axes, import_options);
  if (!points.ok()) return Fail(2, points.status().message());
  if (Status st = CheckOutputs(args); !st.ok()) return Fail(2, st.message());

  Report report;
  report.scenario = &points.value().front().scenario;
  report.seed = args.seed.value_or(report.scenario->seed);
  report.replicas = args.replicas.value_or(report.scenario->replicas);
  if (int rc = CheckResources(*report.scenario, args, report.replicas,
                              static_cast<int>(points.value().size()));
      rc >= 0)
    return rc;
  std::vector<std::string> labels;
  const int planned = report.replicas * static_cast<int>(points.value().size());
  int finished = 0;
  for (size_t i = 0; i < points.value().size(); ++i) {
    const SweepPoint& point = points.value()[i];
    labels.push_back(point.label);
    int completed = 0;
    report.runs.push_back(RunWithProgress(point.scenario, point.policy, args, report.replicas,
                                          report.seed, i, points.value().size(), &completed));
    finished += completed;
    if (Interrupted()) return ReportInterrupt(finished, planned, "nothing written");
  }
  AddSweepPoints(report, labels);
  return WriteOutputs(report, args, true);
}

}  // namespace fleetsim::cli
