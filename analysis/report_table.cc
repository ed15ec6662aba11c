// Terminal summary: one column per policy, one row per metric, mean with its 95% interval
// (rates with their Wilson interval) and the tail where it matters. The metric rows are the
// registry's entries with a table section (metrics.h), section by section, in registry order
// within a section, with the table's own count rows (bad changes, unmitigated, SEV levels,
// batching kind, pauses) between sections. The sweep table's columns are the registry's entries
// with a sweep column, in registry order.
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

// Whether the run's summary has the commit-flow metrics (only runs with a commit flow do).
bool HasCommitFlowMetrics(const RunSummary& s) {
  for (const MetricDef& def : Metrics()) {
    if (def.commit_flow && (s.FindSample(def.name) || s.FindRate(def.name))) return true;
  }
  return false;
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
  // The registry's rows of one table section, in registry order (metrics.h).
  auto add_section = [&](TableSection section) {
    for (const MetricDef& def : Metrics()) {
      if (def.table.section != section) continue;
      const TableRow& t = def.table;
      if (def.is_rate()) {
        add(t.label, [&](const PolicyRun& r) { return RateCell(r.summary.FindRate(def.name)); });
        continue;
      }
      const std::string interval = std::string(t.number) + " [" + t.number + ", " + t.number + "]";
      add(t.label, [&](const PolicyRun& r) {
        return SampleCell(r.summary.FindSample(def.name), t.scale, interval.c_str());
      });
      if (t.p50_row) {
        add("  p50", [&](const PolicyRun& r) {
          const SampleMetric* m = r.summary.FindSample(def.name);
          return m && m->summary.n ? Format(t.number, m->summary.p50, 0, 0) : std::string("-");
        });
      }
    }
  };
  add_section(TableSection::kVolume);
  add("bad changes (total)", [](const PolicyRun& r) {
    return Count(r.summary.totals.bad) + " (+" + Count(r.summary.totals.latent) + " latent)";
  });
  add_section(TableSection::kBadChanges);
  add_section(TableSection::kGoodChanges);
  add_section(TableSection::kDelivery);
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
  bool any_dry_run = false, any_pause = false, any_commits = false;
  for (const PolicyRun& run : report.runs) {
    any_dry_run |=
        run.summary.totals.dry_run_would_stop_good + run.summary.totals.dry_run_would_stop_bad > 0;
    any_pause |= run.summary.totals.paused > 0;
    any_commits |= HasCommitFlowMetrics(run.summary);
  }
  if (any_commits) {
    add("batching", [](const PolicyRun& r) {
      return r.policy->batching ? std::string(r.policy->batching->Kind())
                                : std::string("single (default)");
    });
    add_section(TableSection::kCommitFlow);
  }
  if (any_pause)
    add("paused for review", [](const PolicyRun& r) { return Count(r.summary.totals.paused); });
  if (any_dry_run) add_section(TableSection::kDryRun);

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
  // One column per registry entry with a sweep column, in registry order (metrics.h).
  std::vector<const MetricDef*> columns;
  for (const MetricDef& def : Metrics()) {
    if (def.sweep.header) columns.push_back(&def);
  }
  auto padded = [width](const std::string& s) {
    return s + std::string(width - std::min(width, s.size()), ' ');
  };
  char cell[128];
  std::string line = "  " + padded("point");
  for (const MetricDef* c : columns) {
    std::snprintf(cell, sizeof cell, "  %*s", c->sweep.width, c->sweep.header);
    line += cell;
  }
  out << line << '\n';
  for (size_t i = 0; i < report.runs.size() && i < report.sweep.size(); ++i) {
    const ParetoPoint& p = report.sweep[i];
    line = (p.on_front ? "* " : "  ") + padded(p.label);
    for (const MetricDef* c : columns) {
      std::snprintf(cell, sizeof cell, c->sweep.format,
                    SweepValue(report.runs[i].summary, *c) * c->sweep.scale);
      line += "  ";
      line += cell;
    }
    out << line << '\n';
  }
  out << "\n* = Pareto front on (lead time p50, blast radius, false-positive rate): no other point "
         "is at least as\n"
         "    good on all three and better on one. Times in simulated minutes.\n";
  return out.str();
}

}  // namespace fleetsim
