// Report assembly helpers shared by the renderers.
#include "analysis/report.h"

#include "analysis/sweep.h"

namespace fleetsim {

void AddPairedComparisons(Report& report) {
  report.paired.clear();
  for (size_t i = 1; i < report.runs.size(); ++i) {
    report.paired.push_back(ComparePaired(report.runs[0].policy->name, report.runs[0].replicas,
                                          report.runs[i].policy->name, report.runs[i].replicas));
  }
}

void AddSweepPoints(Report& report, const std::vector<std::string>& labels) {
  report.sweep.clear();
  for (size_t i = 0; i < report.runs.size(); ++i) {
    const RunSummary& s = report.runs[i].summary;
    ParetoPoint p;
    p.label = i < labels.size() ? labels[i] : report.runs[i].policy->name;
    p.lead_time_p50 = s.FindSample("lead_time")->summary.p50;
    p.blast_radius_mean = s.FindSample("blast_radius")->summary.mean;
    p.false_positive_rate = s.FindRate("false_positive_rate")->summary.rate;
    report.sweep.push_back(p);
  }
  MarkParetoFront(report.sweep);
}

}  // namespace fleetsim
