// The metric registry (analysis/metrics.h) is the single source of the metrics: every entry
// reaches the run summary, the JSON summary, the paired comparison, the check baseline's list of
// metrics, the terminal table and the sweep, in registry order, and nothing else does; its pooled
// and per-replica reducers agree where they must (derived below, on hand-built and real runs);
// and the rates agree with the run's totals, which run_summary.cc counts on its own.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/baseline.h"
#include "analysis/experiment.h"
#include "analysis/metrics.h"
#include "analysis/report.h"
#include "tests/test_support.h"

namespace fleetsim {
namespace {

using nlohmann::ordered_json;

// quickstart under configerator and under a dry-run policy (so the dry-run rows show), or
// instagram-day (a commit flow) under its backlog policy and one commit per release. Held by
// pointer: the report points into the experiment.
struct Runs {
  Experiment experiment;
  Report report;
};

std::unique_ptr<Runs> LoadRuns(const std::string& scenario,
                               const std::vector<std::string>& policies) {
  Result<Experiment> loaded = LoadExperiment(
      std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/" + scenario, policies);
  INFO(loaded.status().message());
  REQUIRE(loaded.ok());
  return std::make_unique<Runs>(Runs{std::move(loaded).value(), {}});
}

void Run(Runs& runs, int replicas) {
  Report& report = runs.report;
  report.scenario = &runs.experiment.scenario;
  report.seed = 1;
  report.replicas = replicas;
  RunOptions options;
  options.replicas = replicas;
  options.seed = 1;
  options.threads = 1;
  for (const Policy& p : runs.experiment.policies) {
    PolicyRun run;
    run.policy = &p;
    run.replicas = RunReplicas(runs.experiment.scenario, p, options);
    run.summary = SummarizeRun(run.replicas);
    report.runs.push_back(std::move(run));
  }
  AddPairedComparisons(report);
}

const char* const kDryRunPolicyYaml = R"(
rollout:
  kind: stages
  stages:
    - {name: canary, percent: 1,   bake: 30m}
    - {name: all,    percent: 100, bake: 1h}
health:
  interval: 1m
  dry_run: true
  failure_limit: 1
  checks:
    - {kind: threshold, metric: error_rate, max: 0.005}
)";

std::unique_ptr<Runs> Quickstart() {
  std::unique_ptr<Runs> runs = LoadRuns("quickstart.yaml", {"configerator"});
  runs->experiment.policies.push_back(testing::PolicyFromYaml(kDryRunPolicyYaml, "dry"));
  Run(*runs, 3);
  return runs;
}

std::unique_ptr<Runs> InstagramDay() {
  std::unique_ptr<Runs> runs =
      LoadRuns("instagram-day.yaml", {"instagram-backlog", "instagram-single"});
  Run(*runs, 2);
  return runs;
}

// The registry's names that satisfy `keep`, in registry order.
template <typename Keep>
std::vector<std::string> Names(Keep keep) {
  std::vector<std::string> out;
  for (const MetricDef& m : Metrics()) {
    if (keep(m)) out.push_back(m.name);
  }
  return out;
}

std::vector<std::string> Keys(const ordered_json& object) {
  std::vector<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it) out.push_back(it.key());
  return out;
}

// The labels of the terminal table's rows (up to the first blank line after the header).
std::set<std::string> TableLabels(const std::string& table) {
  std::set<std::string> labels;
  std::istringstream in(table);
  std::string line;
  bool in_rows = false;
  while (std::getline(in, line)) {
    if (line.rfind("policy ", 0) == 0) in_rows = true;
    if (!in_rows) continue;
    if (line.empty()) break;
    const size_t gap = line.find("  ", line.find_first_not_of(' '));
    labels.insert(line.substr(0, gap));
  }
  return labels;
}

TEST_CASE("metric registry: entries are well formed and no two share a name", "[metrics]") {
  std::set<std::string> names;
  std::set<int> axes;
  for (const MetricDef& m : Metrics()) {
    INFO(m.name);
    CHECK(names.insert(m.name).second);
    CHECK(std::string(m.unit).size() > 0);
    CHECK(std::string(m.over).size() > 0);
    CHECK((m.observe == nullptr) != (m.tally == nullptr));  // exactly one reducer
    if (m.is_rate()) CHECK(std::string(m.unit).rfind("fraction of ", 0) == 0);
    CHECK(m.lo < m.hi);
    CHECK((m.table.section == TableSection::kNone) == (m.table.label == nullptr));
    CHECK((m.sweep.header == nullptr) == (m.sweep.format == nullptr));
    if (m.sweep.pareto_axis > 0) {
      CHECK(m.sweep.header != nullptr);
      CHECK(axes.insert(m.sweep.pareto_axis).second);
    }
    CHECK(FindMetric(m.name) == &m);
    // Commit-flow entries sit in their own table section (shown only for commit flows).
    if (m.table.section == TableSection::kCommitFlow) CHECK(m.commit_flow);
  }
  // Pareto axes are numbered 1..n.
  CHECK(static_cast<int>(axes.size()) == static_cast<int>(ParetoAxes().size()));
  if (!axes.empty()) CHECK(*axes.rbegin() == static_cast<int>(axes.size()));
  CHECK(FindMetric("no_such_metric") == nullptr);
}

TEST_CASE("metric registry: every entry reaches summary, JSON, compare, check and table",
          "[metrics]") {
  const std::unique_ptr<Runs> quick = Quickstart();
  const std::unique_ptr<Runs> commits = InstagramDay();
  const auto applies = [](bool commit_flow) {
    return [commit_flow](const MetricDef& m) { return MetricApplies(m, commit_flow); };
  };
  // Sample metrics first, then rates, each in registry order: the JSON summary's key order.
  const auto json_order = [](bool commit_flow) {
    std::vector<std::string> order =
        Names([&](const MetricDef& m) { return MetricApplies(m, commit_flow) && !m.is_rate(); });
    for (const std::string& n :
         Names([&](const MetricDef& m) { return MetricApplies(m, commit_flow) && m.is_rate(); }))
      order.push_back(n);
    return order;
  };
  const auto paired = [](bool commit_flow) {
    return Names([&](const MetricDef& m) { return m.paired && MetricApplies(m, commit_flow); });
  };

  for (const auto& [runs, commit_flow] : {std::pair<const Runs*, bool>{quick.get(), false},
                                          std::pair<const Runs*, bool>{commits.get(), true}}) {
    const Report& report = runs->report;
    INFO(report.scenario->name);
    REQUIRE(report.runs.size() == 2);
    REQUIRE(AnyCommitFlow(report.runs[0].replicas) == commit_flow);
    // Summary: every applicable entry, nothing else.
    std::vector<std::string> summary;
    for (const SampleMetric& m : report.runs[0].summary.samples) summary.push_back(m.name);
    for (const RateMetric& m : report.runs[0].summary.rates) summary.push_back(m.name);
    CHECK(summary == json_order(commit_flow));
    CHECK(summary.size() == Names(applies(commit_flow)).size());

    // JSON summary of each run, and the paired comparison, in the same order.
    const ordered_json j = ordered_json::parse(RenderJson(report));
    for (const ordered_json& run : j.at("runs")) CHECK(Keys(run.at("summary")) == summary);
    CHECK(Keys(j.at("paired").at(0).at("metrics")) == paired(commit_flow));
    std::vector<std::string> compared;
    for (const PairedMetric& m : report.paired.at(0).metrics) compared.push_back(m.name);
    CHECK(compared == paired(commit_flow));

    // Terminal table: a row for every entry with a table section that applies; the dry-run
    // section only shows when a dry run would have stopped something (quickstart's dry policy).
    bool dry_run = false;
    for (const PolicyRun& run : report.runs) {
      dry_run |= run.summary.totals.dry_run_would_stop_good > 0;
    }
    CHECK(dry_run == !commit_flow);
    const std::set<std::string> labels = TableLabels(RenderTable(report));
    for (const MetricDef& m : Metrics()) {
      if (m.table.section == TableSection::kNone || !MetricApplies(m, commit_flow)) continue;
      INFO(m.name);
      CHECK(labels.count(m.table.label) == (m.table.section != TableSection::kDryRun || dry_run));
    }
    CHECK(labels.count("  p50") == (commit_flow ? 1 : 0));  // commit lead time's median row
  }

  // Check: a baseline accepts exactly the paired entries, and says so when given another name.
  const std::filesystem::path dir = testing::FreshTempDir("metrics-baseline");
  const std::string file = (dir / "b.yaml").string();
  std::ofstream(file) << "scenario: s.yaml\npolicy: p\nmetrics:\n  nope: {tolerance: not_worse}\n";
  Result<Baseline> bad = LoadBaseline(file);
  REQUIRE_FALSE(bad.ok());
  std::string known;
  for (const std::string& n : paired(true)) known += (known.empty() ? "" : ", ") + n;
  CHECK_THAT(bad.status().message(), Catch::Contains("expected one of: " + known));
  for (const std::string& n : paired(true)) {
    std::ofstream(file) << "scenario: s.yaml\npolicy: p\nmetrics:\n  " << n
                        << ": {tolerance: not_worse}\n";
    INFO(n);
    CHECK(LoadBaseline(file).ok());
  }
  std::filesystem::remove_all(dir);

  // Sweep: one table column per entry with a sweep column, one JSON key per Pareto axis.
  Report& sweep = quick->report;
  AddSweepPoints(sweep, {"p=1", "p=2"});
  const std::string table = RenderSweepTable(sweep);
  for (const MetricDef& m : Metrics()) {
    if (!m.sweep.header) continue;
    INFO(m.name);
    CHECK(table.find(m.sweep.header) != std::string::npos);
  }
  std::vector<std::string> keys = {"point"};
  for (const MetricDef* m : ParetoAxes()) keys.push_back(SweepKey(*m));
  keys.push_back("on_pareto_front");
  const ordered_json j = ordered_json::parse(RenderJson(sweep));
  CHECK(Keys(j.at("sweep").at(0)) == keys);
  const std::vector<const MetricDef*> axes = ParetoAxes();
  for (size_t k = 0; k < axes.size(); ++k) {
    CHECK(sweep.sweep[1].axes[k] == SweepValue(sweep.runs[1].summary, *axes[k]));
  }
}

// Hand-built replicas: replica 0 has bad changes of blast radius 0.1 and 0.3 (one escaped) and
// a false positive among two good changes; replica 1 one bad change of blast radius 0.5 (not
// escaped) and one good change.
std::vector<ReplicaResult> HandBuilt() {
  auto bad = [](double blast, bool escaped) {
    ChangeOutcome o;
    o.bad = o.carries_fault = true;
    o.peak_exposed_fraction = blast;
    o.escaped = escaped;
    o.failed_requests = 100;
    return o;
  };
  auto good = [](bool false_positive) {
    ChangeOutcome o;
    o.false_positive = false_positive;
    return o;
  };
  std::vector<ReplicaResult> r(2);
  r[0].outcomes = {bad(0.1, true), good(true), bad(0.3, false), good(false)};
  r[1].outcomes = {good(false), bad(0.5, false)};
  return r;
}

TEST_CASE("metric registry: pooled and per-replica reducers of one definition, by hand",
          "[metrics]") {
  const std::vector<ReplicaResult> r = HandBuilt();
  // Blast radius: per replica the mean over its bad changes (0.2 and 0.5); pooled over all
  // three bad changes, 0.3 = (2 x 0.2 + 1 x 0.5) / 3, not the mean of the replicas (0.35).
  const MetricDef& blast = *FindMetric("blast_radius");
  CHECK(blast.PerReplica(r[0]) == Approx(0.2));
  CHECK(blast.PerReplica(r[1]) == Approx(0.5));
  CHECK(blast.PoolSample(r).n == 3);
  CHECK(blast.PoolSample(r).mean == Approx(0.3));
  // Escape rate: 1/2 and 0/1 per replica; pooled 1/3.
  const MetricDef& escape = *FindMetric("escape_rate");
  CHECK(escape.PerReplica(r[0]) == 0.5);
  CHECK(escape.PerReplica(r[1]) == 0);
  CHECK(escape.PoolRate(r).count == 1);
  CHECK(escape.PoolRate(r).trials == 3);
  // False-positive rate: 1/2 and 0/1; pooled 1/3.
  const MetricDef& fp = *FindMetric("false_positive_rate");
  CHECK(fp.PerReplica(r[0]) == 0.5);
  CHECK(fp.PoolRate(r).count == 1);
  CHECK(fp.PoolRate(r).trials == 3);
  // A per-replica quantity: one observation per replica, so pooled = mean of the replicas.
  const MetricDef& failed = *FindMetric("failed_requests_per_replica");
  CHECK(failed.PerReplica(r[0]) == 200);
  CHECK(failed.PerReplica(r[1]) == 100);
  CHECK(failed.PoolSample(r).n == 2);
  CHECK(failed.PoolSample(r).mean == 150);
  // No bad change detected: TTD undefined in every replica, an empty pooled sample.
  CHECK(std::isnan(FindMetric("ttd")->PerReplica(r[0])));
  CHECK(FindMetric("ttd")->PoolSample(r).n == 0);
  // No commit flow: commit-flow metrics undefined per replica and absent from the summary.
  for (const MetricDef& m : Metrics()) {
    if (!m.commit_flow) continue;
    INFO(m.name);
    CHECK(std::isnan(m.PerReplica(r[0])));
    CHECK((m.is_rate() ? SummarizeRun(r).FindRate(m.name) == nullptr
                       : SummarizeRun(r).FindSample(m.name) == nullptr));
  }
}

// For any run and any metric, with n_r observations (or trials) in replica r:
//   sample: pooled n = sum n_r and pooled mean = sum n_r x PerReplica(r) / sum n_r, so a metric
//           over "replicas" (n_r = 1) has pooled mean = the plain mean of its per-replica values;
//   rate:   pooled trials = sum trials_r and pooled count = sum trials_r x PerReplica(r).
void CheckReducersAgree(const std::vector<ReplicaResult>& replicas) {
  const bool commit_flow = AnyCommitFlow(replicas);
  for (const MetricDef& m : Metrics()) {
    if (!MetricApplies(m, commit_flow)) continue;
    INFO(m.name);
    double weighted = 0;
    int64_t n = 0;
    for (const ReplicaResult& r : replicas) {
      int64_t n_r = 0;
      if (m.is_rate()) {
        n_r = m.tally(r).trials;
      } else {
        std::vector<double> values;
        m.observe(r, values);
        n_r = static_cast<int64_t>(values.size());
      }
      if (std::string(m.over) == "replicas")
        CHECK(n_r == (m.commit_flow && !r.commit_flow ? 0 : 1));
      const double v = m.PerReplica(r);
      CHECK(std::isnan(v) == (n_r == 0));
      if (n_r == 0) continue;
      weighted += static_cast<double>(n_r) * v;
      n += n_r;
    }
    if (m.is_rate()) {
      const RateSummary pooled = m.PoolRate(replicas);
      CHECK(pooled.trials == n);
      CHECK(static_cast<double>(pooled.count) == Approx(weighted).margin(1e-9));
    } else {
      const SampleSummary pooled = m.PoolSample(replicas);
      CHECK(pooled.n == n);
      if (n > 0) CHECK(pooled.mean == Approx(weighted / static_cast<double>(n)));
    }
  }
}

TEST_CASE("metric registry: pooled and per-replica reducers agree on real runs, and with totals",
          "[metrics]") {
  const std::unique_ptr<Runs> quick = Quickstart();
  const std::unique_ptr<Runs> commits = InstagramDay();
  for (const Runs* runs : {quick.get(), commits.get()}) {
    for (const PolicyRun& run : runs->report.runs) {
      INFO(runs->report.scenario->name << " / " << run.policy->name);
      CheckReducersAgree(run.replicas);
      // The rates count what run_summary.cc's totals count on their own.
      const RunTotals& t = run.summary.totals;
      auto rate = [&](const char* name) { return run.summary.FindRate(name)->summary; };
      CHECK(rate("escape_rate").count == t.escaped);
      CHECK(rate("escape_rate").trials == t.bad);
      CHECK(rate("false_positive_rate").count == t.false_positives);
      CHECK(rate("false_positive_rate").trials == t.good);
      CHECK(rate("detection_rate").count == t.detected);
      CHECK(rate("automated_detection_rate").count == t.detected_by_automation);
      CHECK(rate("misattribution_rate").count == t.misattributed);
      CHECK(rate("dry_run_false_positive_rate").count == t.dry_run_would_stop_good);
      CHECK(rate("dry_run_detection_rate").count == t.dry_run_would_stop_bad);
      auto sample = [&](const char* name) { return run.summary.FindSample(name)->summary; };
      CHECK(sample("changes_per_replica").mean * static_cast<double>(t.replicas) ==
            Approx(static_cast<double>(t.changes)));
      CHECK(sample("bad_changes_per_replica").mean * static_cast<double>(t.replicas) ==
            Approx(static_cast<double>(t.bad)));
      CHECK(sample("blast_radius").n == t.bad);
      CHECK(sample("ttm").n == t.bad - t.unmitigated);
    }
  }
}

TEST_CASE("paired verdicts follow the metric's direction", "[metrics][paired]") {
  PairedDifference lower;
  lower.n = 5;
  lower.mean = -1;
  lower.p_value = 0.01;
  CHECK(PairedVerdictOf(lower, true) == PairedVerdict::kBetter);
  CHECK(PairedVerdictOf(lower, false) == PairedVerdict::kWorse);
  PairedDifference higher = lower;
  higher.mean = 1;
  CHECK(PairedVerdictOf(higher, true) == PairedVerdict::kWorse);
  CHECK(PairedVerdictOf(higher, false) == PairedVerdict::kBetter);
  higher.p_value = 0.2;
  CHECK(PairedVerdictOf(higher, false) == PairedVerdict::kNoSignificantDifference);
  higher.n = 1;
  CHECK(PairedVerdictOf(higher, false) == PairedVerdict::kNotComparable);
}

}  // namespace
}  // namespace fleetsim
