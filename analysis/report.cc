// Report assembly helpers shared by the renderers.
#include "analysis/report.h"

namespace fleetsim {

void AddPairedComparisons(Report& report) {
  report.paired.clear();
  for (size_t i = 1; i < report.runs.size(); ++i) {
    report.paired.push_back(ComparePaired(report.runs[0].policy->name, report.runs[0].replicas,
                                          report.runs[i].policy->name, report.runs[i].replicas));
  }
}

}  // namespace fleetsim
