// Report assembly helpers shared by the renderers.
#include "analysis/report.h"

#include <cassert>

#include "analysis/sweep.h"

namespace fleetsim {

void AddPairedComparisons(Report& report) {
  report.paired.clear();
  for (size_t i = 1; i < report.runs.size(); ++i) {
    report.paired.push_back(ComparePaired(report.runs[0].policy->name, report.runs[0].replicas,
                                          report.runs[i].policy->name, report.runs[i].replicas));
  }
}

double ParetoPoint::Axis(std::string_view name) const {
  const std::vector<const MetricDef*> metrics = ParetoAxes();
  for (size_t i = 0; i < metrics.size() && i < axes.size(); ++i) {
    if (metrics[i]->name == name) return axes[i];
  }
  assert(false && "not a Pareto axis");
  return 0;
}

double SweepValue(const RunSummary& summary, const MetricDef& metric) {
  if (metric.is_rate()) return summary.FindRate(metric.name)->summary.rate;
  const SampleSummary& s = summary.FindSample(metric.name)->summary;
  return metric.sweep.statistic == SweepStatistic::kP50 ? s.p50 : s.mean;
}

void AddSweepPoints(Report& report, const std::vector<std::string>& labels) {
  report.sweep.clear();
  const std::vector<const MetricDef*> axes = ParetoAxes();
  for (size_t i = 0; i < report.runs.size(); ++i) {
    ParetoPoint p;
    p.label = i < labels.size() ? labels[i] : report.runs[i].policy->name;
    for (const MetricDef* axis : axes) p.axes.push_back(SweepValue(report.runs[i].summary, *axis));
    report.sweep.push_back(p);
  }
  MarkParetoFront(report.sweep);
}

}  // namespace fleetsim
