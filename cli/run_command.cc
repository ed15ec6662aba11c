// `fleetsim run`, `compare` and `sweep`: load, run replicas (same seeds for every policy or grid
// point), and report.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "analysis/atomic_file.h"
#include "analysis/experiment.h"
#include "analysis/report.h"
#include "analysis/report_html.h"
#include "analysis/sweep.h"
#include "analysis/timeline_text.h"
#include "analysis/trace_export.h"
#include "cli/commands.h"

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

// Runs one (scenario, policy) pair with a progress line (replicas done, ETA) on a terminal.
PolicyRun RunWithProgress(const Scenario& scenario, const Policy& policy, const RunArgs& args,
                          int replicas, uint64_t seed, size_t index, size_t total) {
  RunOptions options;
  options.replicas = replicas;
  options.seed = seed;
  options.threads = args.threads;
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
  run.summary = SummarizeRun(run.replicas);
  return run;
}

Timeline RecordTimeline(const Scenario& scenario, const Policy& policy, uint64_t seed,
                        uint32_t replica) {
  TimelineRecorder recorder(scenario.faults, replica);
  RunReplica(scenario, policy, seed, replica, &recorder);
  return recorder.TakeTimeline();
}

// HTML report, trace and timeline: they replay sample replicas of the first run with a recorder.
int WriteReplayOutputs(const Report& report, const Scenario& scenario, const RunArgs& args) {
  const Policy& policy = *report.runs.front().policy;
  if (!args.trace_path.empty() || !args.timeline_path.empty()) {
    const Timeline timeline =
        RecordTimeline(scenario, policy, report.seed, static_cast<uint32_t>(args.trace_replica));
    if (!args.trace_path.empty()) {
      Status st = WriteFileAtomically(args.trace_path,
                                      RenderChromeTrace(timeline, scenario, policy, report.seed));
      if (!st.ok()) return Fail(1, st.message());
    }
    if (args.timeline_path == "-") {
      std::cout << RenderTimelineText(timeline, scenario);
    } else if (!args.timeline_path.empty()) {
      Status st = WriteFileAtomically(args.timeline_path, RenderTimelineText(timeline, scenario));
      if (!st.ok()) return Fail(1, st.message());
    }
  }
  if (!args.html_path.empty()) {
    std::vector<Timeline> samples;
    for (int r = 0; r < std::min(report.replicas, 2); ++r) {
      samples.push_back(RecordTimeline(scenario, policy, report.seed, static_cast<uint32_t>(r)));
    }
    Status st = WriteFileAtomically(args.html_path, RenderHtml(report, samples));
    if (!st.ok()) return Fail(1, st.message());
  }
  return 0;
}

int WriteOutputs(const Report& report, const RunArgs& args, bool sweep) {
  if (int rc = WriteReplayOutputs(report, *report.scenario, args); rc != 0) return rc;
  if (!args.json_path.empty()) {
    Status st = WriteFileAtomically(args.json_path, RenderJson(report));
    if (!st.ok()) return Fail(1, st.message());
  }
  if (!args.csv_path.empty()) {
    Status st = WriteFileAtomically(args.csv_path, RenderCsv(report));
    if (!st.ok()) return Fail(1, st.message());
  }
  if (!args.commits_csv_path.empty()) {
    Status st = WriteFileAtomically(args.commits_csv_path, RenderCommitsCsv(report));
    if (!st.ok()) return Fail(1, st.message());
  }
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
  for (size_t i = 0; i < experiment.policies.size(); ++i) {
    report.runs.push_back(RunWithProgress(experiment.scenario, experiment.policies[i], args,
                                          report.replicas, report.seed, i,
                                          experiment.policies.size()));
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
  std::vector<std::string> labels;
  for (size_t i = 0; i < points.value().size(); ++i) {
    const SweepPoint& point = points.value()[i];
    labels.push_back(point.label);
    report.runs.push_back(RunWithProgress(point.scenario, point.policy, args, report.replicas,
                                          report.seed, i, points.value().size()));
  }
  AddSweepPoints(report, labels);
  return WriteOutputs(report, args, true);
}

}  // namespace fleetsim::cli
