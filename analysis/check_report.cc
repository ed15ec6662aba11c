#include "analysis/check_report.h"
#include "analysis/markup_escape.h"

#include <cstdio>
#include <sstream>

namespace fleetsim {
namespace {

std::string Explain(const MetricCheck& m) {
  char buf[256];
  std::snprintf(
      buf, sizeof buf,
      "%s: baseline %.6g, now %.6g (delta %+.6g, allowed %+.6g); one-sided paired t-test p = %.3g, "
      "alpha = %.3g, %lld paired replicas",
      m.name.c_str(), m.baseline_mean, m.now_mean, m.now_mean - m.baseline_mean, m.threshold,
      m.p_value, m.alpha, static_cast<long long>(m.pairs));
  return buf;
}

}  // namespace

std::string RenderCheckTable(const std::vector<BaselineCheck>& checks) {
  std::ostringstream out;
  for (const BaselineCheck& c : checks) {
    out << c.file << "  (policy " << c.policy << ")\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-28s %12s %12s %12s  %-18s %-10s %s\n", "metric",
                  "baseline", "now", "delta", "tolerance", "p", "verdict");
    out << line;
    for (const MetricCheck& m : c.metrics) {
      std::snprintf(line, sizeof line, "  %-28s %12.5g %12.5g %+12.4g  %-18s %-10.3g %s\n",
                    m.name.c_str(), m.baseline_mean, m.now_mean, m.now_mean - m.baseline_mean,
                    m.tolerance.c_str(), m.p_value, CheckVerdictName(m.verdict));
      out << line;
    }
    out << (c.regression() ? "  => REGRESSION" : "  => ok")
        << (c.identical() ? " (results identical to the recorded baseline)\n"
                          : " (results differ from the recorded baseline; re-record with --update "
                            "if intended)\n");
  }
  out << "regression = significantly worse than the baseline by more than the tolerance (one-sided "
         "paired t-test "
         "on the same seeds, Bonferroni over each file's metrics, family-wise alpha 0.05)\n";
  return out.str();
}

std::string RenderJUnit(const std::vector<BaselineCheck>& checks) {
  int tests = 0, failures = 0;
  for (const BaselineCheck& c : checks) {
    for (const MetricCheck& m : c.metrics) {
      ++tests;
      if (m.verdict == CheckVerdict::kRegression || m.verdict == CheckVerdict::kNotRecorded)
        ++failures;
    }
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"fleetsim check\" tests=\"" << tests << "\" failures=\"" << failures
      << "\">\n";
  for (const BaselineCheck& c : checks) {
    int suite_failures = 0;
    for (const MetricCheck& m : c.metrics) {
      if (m.verdict == CheckVerdict::kRegression || m.verdict == CheckVerdict::kNotRecorded)
        ++suite_failures;
    }
    out << "  <testsuite name=\"" << EscapeMarkup(c.file) << "\" tests=\"" << c.metrics.size()
        << "\" failures=\"" << suite_failures << "\">\n";
    for (const MetricCheck& m : c.metrics) {
      out << "    <testcase classname=\"" << EscapeMarkup(c.file) << "\" name=\""
          << EscapeMarkup(m.name) << "\">";
      if (m.verdict == CheckVerdict::kRegression) {
        out << "\n      <failure message=\"regression\">" << EscapeMarkup(Explain(m))
            << "</failure>\n    ";
      } else if (m.verdict == CheckVerdict::kNotRecorded) {
        out << "\n      <failure message=\"not recorded\">no recorded values; run fleetsim check "
               "--update</failure>\n    ";
      } else {
        out << "\n      <system-out>" << EscapeMarkup(Explain(m)) << "</system-out>\n    ";
      }
      out << "</testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

}  // namespace fleetsim
