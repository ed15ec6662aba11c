// Terminal summary: one column per policy, one row per metric, mean with its 95% interval
// (rates with their Wilson interval) and the tail where it matters.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "analysis/report.h"

namespace fleetsim {
namespace {

std::string Format(const char* fmt, double a, double b, double c) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}

std::string Count(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

struct Row {
  std::string label;
  std::vector<std::string> cells;
};

std::string SampleCell(const SampleMetric* m, double scale, const char* mean_fmt) {
  if (!m || m->summary.n == 0) return "-";
  const SampleSummary& s = m->summary;
  std::string cell = Format(mean_fmt, s.mean * scale, s.ci95.lo * scale, s.ci95.hi * scale);
  char tail[64];
  std::snprintf(tail, sizeof tail, "  p95 %.3g", s.p95 * scale);
  return cell + tail;
}

std::string RateCell(const RateMetric* m) {
  if (!m || m->summary.trials == 0) return "-";
  const RateSummary& r = m->summary;
  return Format("%.1f%% [%.1f, %.1f]", r.rate * 100, r.ci95.lo * 100, r.ci95.hi * 100) + "  " +
         Count(r.count) + "/" + Count(r.trials);
}

}  // namespace

std::string RenderTable(const Report& report) {
  const Scenario& sc = *report.scenario;
  std::ostringstream out;
  out << "scenario  " << sc.name << ": " << Count(sc.fleet->total_hosts()) << " hosts, "
      << sc.fleet->regions().size() << " regions, " << sc.fleet->clusters().size() << " clusters, "
      << FormatDuration(sc.duration) << " simulated\n";
  out << "seed      " << report.seed << ", " << report.replicas << " replica"
      << (report.replicas == 1 ? "" : "s") << " (same seeds for every policy)\n\n";

  std::vector<Row> rows;
  auto add = [&](const std::string& label, auto cell_of) {
    Row row{label, {}};
    for (const PolicyRun& run : report.runs) row.cells.push_back(cell_of(run));
    rows.push_back(row);
  };
  add("policy", [](const PolicyRun& r) {
    return r.policy->name + " (" + std::string(r.policy->rollout->Kind()) + ")";
  });
  add("changes / replica", [](const PolicyRun& r) {
    return SampleCell(r.summary.FindSample("changes_per_replica"), 1, "%.1f [%.1f, %.1f]");
  });
  add("bad changes (total)", [](const PolicyRun& r) {
    return Count(r.summary.totals.bad) + " (+" + Count(r.summary.totals.latent) + " latent)";
  });
  add("blast radius (% hosts)", [](const PolicyRun& r) {
    return SampleCell(r.summary.FindSample("blast_radius"), 100, "%.2f [%.2f, %.2f]");
  });
  add("failed requests / bad chg", [](const PolicyRun& r) {
    return SampleCell(r.summary.FindSample("failed_requests"), 1, "%.3g [%.3g, %.3g]");
  });
  add("failed requests / replica", [](const PolicyRun& r) {
    return SampleCell(r.summary.FindSample("failed_requests_per_replica"), 1, "%.3g [%.3g, %.3g]");
  });
  add("TTD (min)", [](const PolicyRun& r) {
    return SampleCell(r.summary.FindSample("ttd"), 1, "%.1f [%.1f, %.1f]");
  });
  add("TTM / MTTR (min)", [](const PolicyRun& r) {
    return SampleCell(r.summary.FindSample("ttm"), 1, "%.1f [%.1f, %.1f]");
  });
  add("escape rate",
      [](const PolicyRun& r) { return RateCell(r.summary.FindRate("escape_rate")); });
  add("detection rate",
      [](const PolicyRun& r) { return RateCell(r.summary.FindRate("detection_rate")); });
  add("  by automation",
      [](const PolicyRun& r) { return RateCell(r.summary.FindRate("automated_detection_rate")); });
  add("false-positive rate",
      [](const PolicyRun& r) { return RateCell(r.summary.FindRate("false_positive_rate")); });
  add("  misattributed",
      [](const PolicyRun& r) { return RateCell(r.summary.FindRate("misattribution_rate")); });
  add("lead time (min)", [](const PolicyRun& r) {
    return SampleCell(r.summary.FindSample("lead_time"), 1, "%.1f [%.1f, %.1f]");
  });
  add("unmitigated at end", [](const PolicyRun& r) { return Count(r.summary.totals.unmitigated); });
  if (!sc.severity.levels.empty()) {
    // SEV levels (sim/severity.h): bad changes per level, and each replica's worst level.
    std::vector<int> levels;
    for (const SevThreshold& l : sc.severity.levels) levels.push_back(l.level);
    std::sort(levels.begin(), levels.end());
    add("SEV changes (total)", [&](const PolicyRun& r) {
      std::string cell;
      for (int level : levels) {
        cell += (cell.empty() ? "" : ", ") + ("SEV" + std::to_string(level)) + " " +
                Count(r.summary.totals.sev_changes[static_cast<size_t>(level)]);
      }
      return cell;
    });
    add("worst SEV / replica", [&](const PolicyRun& r) {
      std::string cell;
      for (int level : levels) {
        cell += "SEV" + std::to_string(level) + " " +
                Count(r.summary.totals.worst_sev_replicas[static_cast<size_t>(level)]) + ", ";
      }
      return cell + "none " + Count(r.summary.totals.worst_sev_replicas[0]);
    });
  }
  bool any_dry_run = false, any_pause = false;
  for (const PolicyRun& run : report.runs) {
    any_dry_run |=
        run.summary.totals.dry_run_would_stop_good + run.summary.totals.dry_run_would_stop_bad > 0;
    any_pause |= run.summary.totals.paused > 0;
  }
  bool any_commits =
      false;  // commit flow (commit_flow_summary.h): only when a scenario has commits
  for (const PolicyRun& run : report.runs)
    any_commits |= run.summary.FindSample("commit_lead_time") != nullptr;
  if (any_commits) {
    add("batching", [](const PolicyRun& r) {
      return r.policy->batching ? std::string(r.policy->batching->Kind())
                                : std::string("single (default)");
    });
    add("commit lead time (min)", [](const PolicyRun& r) {
      return SampleCell(r.summary.FindSample("commit_lead_time"), 1, "%.1f [%.1f, %.1f]");
    });
    add("  p50", [](const PolicyRun& r) {
      const SampleMetric* m = r.summary.FindSample("commit_lead_time");
      return m && m->summary.n ? Format("%.1f", m->summary.p50, 0, 0) : std::string("-");
    });
    add("deploys / day", [](const PolicyRun& r) {
      return SampleCell(r.summary.FindSample("deploys_per_day"), 1, "%.1f [%.1f, %.1f]");
    });
    add("commits / release", [](const PolicyRun& r) {
      return SampleCell(r.summary.FindSample("commits_per_release"), 1, "%.2f [%.2f, %.2f]");
    });
    add("backlog (time avg)", [](const PolicyRun& r) {
      return SampleCell(r.summary.FindSample("backlog_mean"), 1, "%.2f [%.2f, %.2f]");
    });
    add("backlog max", [](const PolicyRun& r) {
      return SampleCell(r.summary.FindSample("backlog_max"), 1, "%.1f [%.1f, %.1f]");
    });
    add("pipeline blocked (min)", [](const PolicyRun& r) {
      return SampleCell(r.summary.FindSample("pipeline_blocked"), 1, "%.1f [%.1f, %.1f]");
    });
    add("bisection steps", [](const PolicyRun& r) {
      return SampleCell(r.summary.FindSample("bisection_steps"), 1, "%.2f [%.2f, %.2f]");
    });
    add("bad commits at 100%",
        [](const PolicyRun& r) { return RateCell(r.summary.FindRate("bad_commit_escape_rate")); });
    add("good commits reverted",
        [](const PolicyRun& r) { return RateCell(r.summary.FindRate("good_commit_revert_rate")); });
    add("commits deployed",
        [](const PolicyRun& r) { return RateCell(r.summary.FindRate("commits_deployed")); });
  }
  if (any_pause)
    add("paused for review", [](const PolicyRun& r) { return Count(r.summary.totals.paused); });
  if (any_dry_run) {
    add("dry run: would stop good", [](const PolicyRun& r) {
      return RateCell(r.summary.FindRate("dry_run_false_positive_rate"));
    });
    add("dry run: would stop bad",
        [](const PolicyRun& r) { return RateCell(r.summary.FindRate("dry_run_detection_rate")); });
  }

  size_t label_width = 0;
  std::vector<size_t> widths(report.runs.size(), 0);
  for (const Row& row : rows) {
    label_width = std::max(label_width, row.label.size());
    for (size_t i = 0; i < row.cells.size(); ++i)
      widths[i] = std::max(widths[i], row.cells[i].size());
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    out << row.label << std::string(label_width - row.label.size() + 2, ' ');
    for (size_t i = 0; i < row.cells.size(); ++i) {
      out << row.cells[i];
      if (i + 1 < row.cells.size()) out << std::string(widths[i] - row.cells[i].size() + 3, ' ');
    }
    out << '\n';
    if (r == 0)
      out << std::string(label_width + 2, '-') << std::string(widths.empty() ? 0 : [&] {
      size_t w = 0;
      for (size_t i = 0; i < widths.size(); ++i) w += widths[i] + (i + 1 < widths.size() ? 3 : 0);
      return w;
    }(), '-') << '\n';
  }
  out << "\nintervals: 95% (t for means, Wilson for rates); times in simulated minutes\n";
  for (const PairedComparison& c : report.paired) {
    out << "\npaired differences, " << c.policy << " - " << c.baseline
        << " (same seeds; paired t-test, "
        << "alpha = " << kPairedAlpha << ", lower is better):\n";
    size_t width = 0;
    for (const PairedMetric& m : c.metrics) width = std::max(width, m.name.size());
    for (const PairedMetric& m : c.metrics) {
      char line[256];
      std::snprintf(line, sizeof line,
                    "  %-*s  %12.4g -> %-12.4g  diff %+.4g [%+.4g, %+.4g]  p=%.3g  n=%lld  ",
                    static_cast<int>(width), m.name.c_str(), m.baseline_mean, m.policy_mean,
                    m.difference.mean, m.difference.ci95.lo, m.difference.ci95.hi,
                    m.difference.p_value, static_cast<long long>(m.difference.n));
      out << line << PairedVerdictName(m.verdict) << "\n";
    }
  }
  return out.str();
}

std::string RenderSweepTable(const Report& report) {
  const Scenario& sc = *report.scenario;
  std::ostringstream out;
  out << "sweep     " << sc.name << ": " << report.runs.size() << " grid points, "
      << report.replicas << " replicas each, seed " << report.seed
      << " (same seeds for every point)\n\n";
  size_t width = 5;
  for (const ParetoPoint& p : report.sweep) width = std::max(width, p.label.size());
  char line[512];
  std::snprintf(line, sizeof line, "  %-*s  %12s  %14s  %9s  %11s  %11s  %11s\n",
                static_cast<int>(width), "point", "blast radius", "failed req/rep", "TTD mean",
                "escape rate", "FP rate", "lead p50");
  out << line;
  for (size_t i = 0; i < report.runs.size() && i < report.sweep.size(); ++i) {
    const RunSummary& s = report.runs[i].summary;
    const ParetoPoint& p = report.sweep[i];
    std::snprintf(
        line, sizeof line, "%s %-*s  %11.2f%%  %14.4g  %9.2f  %10.1f%%  %10.2f%%  %11.1f\n",
        p.on_front ? "*" : " ", static_cast<int>(width), p.label.c_str(), p.blast_radius_mean * 100,
        s.FindSample("failed_requests_per_replica")->summary.mean,
        s.FindSample("ttd")->summary.mean, s.FindRate("escape_rate")->summary.rate * 100,
        p.false_positive_rate * 100, p.lead_time_p50);
    out << line;
  }
  out << "\n* = Pareto front on (lead time p50, blast radius, false-positive rate): no other point "
         "is at least as\n"
         "    good on all three and better on one. Times in simulated minutes.\n";
  return out.str();
}

}  // namespace fleetsim
