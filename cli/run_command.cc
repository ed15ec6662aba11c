// `fleetsim run`, `compare` and `sweep`: load, run replicas (same seeds for every policy or grid
// point), and report.
#include <algorithm>
#include <functional>
#include <iostream>
#include <thread>

#include "analysis/atomic_file.h"
#include "analysis/experiment.h"
#include "analysis/mpi_session.h"
#include "analysis/report.h"
#include "analysis/report_html.h"
#include "analysis/resource_estimate.h"
#include "analysis/settings.h"
#include "analysis/sweep.h"
#include "analysis/timeline_text.h"
#include "analysis/trace_export.h"
#include "cli/commands.h"
#include "cli/execution.h"
#include "cli/interrupt.h"
#include "cli/invocation.h"

namespace fleetsim::cli {
namespace {

int Fail(int code, const std::string& message) {
  std::cerr << "fleetsim: " << message << "\n";
  return code;
}

Status CheckOutputs(const RunArgs& args) {
  if (Status st =
          CheckShardOutputs(args.dist, {args.json_path, args.csv_path, args.commits_csv_path,
                                        args.html_path, args.trace_path, args.timeline_path});
      !st.ok()) {
    return st;
  }
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

// The resource limits (--max-memory, --max-runtime) and --estimate: a run estimated to exceed
// them is refused (a failed Status, exit 2); with --estimate the estimate is printed (by the
// reporting process only) and `*estimated` set: the command runs nothing and exits 0.
Status CheckResources(const Scenario& scenario, const RunArgs& args, int replicas, int runs,
                      const Launch& launch, bool* estimated) {
  // This process's share: one shard of the replicas, or the run spread over every rank.
  const int shards = ShardCount(args.dist);
  RunShape shape;
  shape.replicas = (replicas + shards - 1) / shards;
  shape.runs = runs;
  shape.threads =
      args.threads > 0 ? args.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (launch.mpi != nullptr) shape.threads *= launch.mpi->size();
  shape.per_change_rows = !args.csv_path.empty();
  const ResourceEstimate estimate = EstimateRun(scenario, shape);
  if (args.estimate) {
    if (launch.mpi == nullptr || launch.mpi->rank() == 0)
      std::cout << "estimate: " << estimate.Describe() << "\n";
    *estimated = true;
    return Status::Ok();
  }
  double max_memory = PhysicalMemoryBytes();
  if (!args.max_memory.empty()) {
    Result<double> m = ParseByteSize(args.max_memory);
    if (!m.ok()) return Status::Error("--max-memory: " + m.status().message());
    max_memory = m.value();
  }
  double max_runtime = 86'400;
  if (!args.max_runtime.empty()) {
    Result<SimTime> t = ParseDuration(args.max_runtime);
    if (!t.ok()) return Status::Error("--max-runtime: " + t.status().message());
    max_runtime = static_cast<double>(t.value().millis()) / 1000;
  }
  return CheckResourceLimits(estimate, max_memory, max_runtime);
}

// An interrupted command: what was done, and the exit code 128 + signal.
int ReportInterrupt(int finished, int planned, const std::string& written) {
  std::cerr << "\nfleetsim: interrupted by " << InterruptSignalName() << ": " << finished << " of "
            << planned << " replicas finished; " << written << "\n";
  return InterruptExitCode();
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

// The runs' results into the report, in plan order.
void AddRuns(const RunPlan& plan, Execution& execution, Report& report) {
  for (size_t i = 0; i < plan.runs().size(); ++i) {
    PolicyRun run;
    run.policy = plan.runs()[i].policy;
    run.replicas = std::move(execution.runs[i]);
    run.summary = SummarizeRun(run.replicas);
    report.runs.push_back(std::move(run));
  }
}

}  // namespace

int RunCommand(const RunArgs& args, bool require_several_policies, const Launch& launch) {
  // Every failure before the run goes to Execute, which says it once (rank 0) and exits 2.
  Status st = Status::Ok();
  if (require_several_policies && args.policies.size() < 2) {
    st = Status::Error("compare needs at least two --policy arguments");
  }
  import::ImportOptions import_options;
  if (st.ok()) st = ToImportOptions(args.import, &import_options);
  Result<std::vector<SweepAxis>> settings = ParseSettings(args.sets);
  if (st.ok() && !settings.ok()) st = settings.status();
  Result<Experiment> loaded = st.ok() ? LoadExperimentWithSettings(args.scenario, args.policies,
                                                                   settings.value(), import_options)
                                      : Result<Experiment>(st);
  if (st.ok()) st = loaded.ok() ? CheckOutputs(args) : loaded.status();
  Report report;
  RunPlan plan;
  if (st.ok()) {
    const Experiment& experiment = loaded.value();
    if (launch.mpi == nullptr || launch.mpi->rank() == 0) {
      for (const std::string& w : CadenceWarnings(experiment))
        std::cerr << "fleetsim: " << w << "\n";
    }
    report.scenario = &experiment.scenario;
    report.seed = args.seed.value_or(experiment.scenario.seed);
    report.replicas = args.replicas.value_or(experiment.scenario.replicas);
    bool estimated = false;
    st = CheckResources(experiment.scenario, args, report.replicas,
                        static_cast<int>(experiment.policies.size()), launch, &estimated);
    if (estimated) return 0;
    for (const Policy& policy : experiment.policies) {
      plan.Add(
          PlannedRun{policy.name, &experiment.scenario, &policy, report.seed, report.replicas});
    }
  }
  Execution execution = Execute(
      launch, st, plan, RunInvocation(require_several_policies ? "compare" : "run", args, {}),
      args.dist, args.threads, args.quiet);
  if (!execution.report) return execution.exit_code;
  AddRuns(plan, execution, report);
  AddPairedComparisons(report);
  return WriteOutputs(report, args, false);
}

int SweepCommand(const RunArgs& args, const std::vector<std::string>& params,
                 const Launch& launch) {
  Status st =
      args.policies.size() > 1 ? Status::Error("sweep takes at most one --policy") : Status::Ok();
  std::vector<SweepAxis> axes;
  for (const std::string& p : params) {
    if (!st.ok()) break;
    Result<SweepAxis> axis = ParseSweepAxis(p);
    if (axis.ok()) {
      axes.push_back(std::move(axis).value());
    } else {
      st = axis.status();
    }
  }
  import::ImportOptions import_options;
  if (st.ok()) st = ToImportOptions(args.import, &import_options);
  Result<std::vector<SweepPoint>> points =
      st.ok() ? ExpandSweep(args.scenario, args.policies.empty() ? "" : args.policies.front(), axes,
                            import_options)
              : Result<std::vector<SweepPoint>>(st);
  if (st.ok()) st = points.ok() ? CheckOutputs(args) : points.status();
  Report report;
  RunPlan plan;
  std::vector<std::string> labels;
  if (st.ok()) {
    report.scenario = &points.value().front().scenario;
    report.seed = args.seed.value_or(report.scenario->seed);
    report.replicas = args.replicas.value_or(report.scenario->replicas);
    bool estimated = false;
    st = CheckResources(*report.scenario, args, report.replicas,
                        static_cast<int>(points.value().size()), launch, &estimated);
    if (estimated) return 0;
    for (const SweepPoint& point : points.value()) {
      labels.push_back(point.label);
      plan.Add(
          PlannedRun{point.label, &point.scenario, &point.policy, report.seed, report.replicas});
    }
  }
  Execution execution = Execute(launch, st, plan, RunInvocation("sweep", args, params), args.dist,
                                args.threads, args.quiet);
  if (!execution.report) return execution.exit_code;
  AddRuns(plan, execution, report);
  AddSweepPoints(report, labels);
  return WriteOutputs(report, args, true);
}

}  // namespace fleetsim::cli
