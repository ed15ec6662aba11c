#include "analysis/baseline.h"

#include <boost/math/distributions/students_t.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

#include "analysis/metrics.h"
#include "loader/yaml_reader.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

MetricTolerance ParseTolerance(const ConfigNode& node, const std::string& metric) {
  const std::string what = "metrics." + metric + ".tolerance";
  if (node.IsScalar()) {
    const std::string s = node.AsString(what);
    if (s == "not_worse") return MetricTolerance{ToleranceKind::kNotWorse, 0};
    node.Fail(what + ": expected not_worse, {absolute: X} or {relative: X}, got '" + s + "'");
  }
  YamlMap m(node, what);
  MetricTolerance t;
  const bool absolute = m.Has("absolute"), relative = m.Has("relative");
  if (absolute == relative) node.Fail(what + ": expected exactly one of absolute or relative");
  t.kind = absolute ? ToleranceKind::kAbsolute : ToleranceKind::kRelative;
  t.value = m.RequiredDouble(absolute ? "absolute" : "relative");
  m.RequireAtLeast(absolute ? "absolute" : "relative", t.value, 0);
  m.Finish();
  return t;
}

// Shortest text that reads back as exactly `v` (so re-recorded files stay readable and exact).
std::string Number(double v) {
  if (std::isnan(v)) return "~";
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

// A string field as YAML that reads back as exactly `s` (the scenario and policy as written, the
// recording tool): plain when every character is safe and it is no YAML null, else double-quoted
// with \\, \" and control characters escaped. Plain text alone would let "a #b" lose its tail
// and "~" or "" read back as nothing (found by fuzz/baseline_fuzz.cc).
std::string StringScalar(const std::string& s) {
  bool plain = !s.empty() && s != "~" && s != "null" && s != "Null" && s != "NULL";
  for (size_t i = 0; i < s.size() && plain; ++i) {
    const char c = s[i];
    const bool inner = i > 0 && i + 1 < s.size();  // '-' or ' ' at an end is not plain
    plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '.' || c == '/' || c == '+' || ((c == '-' || c == ' ') && inner);
  }
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// `s` with control characters as '?', to sit inside a one-line comment.
std::string CommentSafe(std::string s) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return s;
}

// A metric a baseline may hold a policy to: the registry's `paired` entries (metrics.h).
const MetricDef* FindPairedMetric(const std::string& name) {
  const MetricDef* m = FindMetric(name);
  return m && m->paired ? m : nullptr;
}

double MeanOf(const std::vector<double>& xs) {
  double s = 0;
  for (double x : xs) s += x;
  return xs.empty() ? 0 : s / static_cast<double>(xs.size());
}

}  // namespace

std::string MetricTolerance::Describe() const {
  std::ostringstream out;
  switch (kind) {
    case ToleranceKind::kNotWorse:
      return "not worse";
    case ToleranceKind::kAbsolute:
      out << "+" << value << " absolute";
      break;
    case ToleranceKind::kRelative:
      out << "+" << value * 100 << "% relative";
      break;
  }
  return out.str();
}

std::string Baseline::ScenarioPath() const {
  return (fs::path(file).parent_path() / scenario).lexically_normal().string();
}

std::string Baseline::PolicyArgument() const {
  if (fs::path(policy).extension().empty() && policy.find('/') == std::string::npos) return policy;
  return (fs::path(file).parent_path() / policy).lexically_normal().string();
}

Result<Baseline> LoadBaseline(const std::string& path) {
  Result<std::string> text = ReadYamlFile(path);
  if (!text.ok()) return text.status();
  return ParseBaseline(text.value(), path);
}

Result<Baseline> ParseBaseline(const std::string& yaml_text, const std::string& path) {
  auto file = std::make_shared<const std::string>(path);
  Baseline b;
  b.file = path;
  Status st = CatchConfigErrors([&] {
    ConfigNode root = ParseYamlText(yaml_text, file.get());
    YamlMap m(root, "baseline");
    b.scenario = m.RequiredString("scenario");
    b.policy = m.RequiredString("policy");
    const int64_t seed = m.Int("seed", 1);
    m.RequireAtLeast("seed", static_cast<double>(seed), 0);
    b.seed = static_cast<uint64_t>(seed);
    b.replicas = static_cast<int>(m.IntIn("replicas", 20, 2, 1'000'000));
    YamlMap metrics(m.Required("metrics"), "metrics");
    for (const auto& entry : metrics.self().node) {
      const std::string name = entry.first.Scalar();
      ConfigNode key{entry.first, file.get()};
      if (!FindPairedMetric(name)) {
        std::string known;
        for (const MetricDef& r : Metrics()) {
          if (r.paired) known += (known.empty() ? "" : ", ") + std::string(r.name);
        }
        key.Fail("metrics: unknown metric '" + name + "'; expected one of: " + known);
      }
      YamlMap spec(metrics.Required(name), "metrics." + name);
      BaselineMetric bm;
      bm.name = name;
      bm.tolerance = ParseTolerance(spec.Required("tolerance"), name);
      spec.Finish();
      b.metrics.push_back(bm);
    }
    if (b.metrics.empty()) metrics.self().Fail("metrics: expected at least one metric");
    if (auto recorded = m.Optional("recorded")) {
      YamlMap r(*recorded, "recorded");
      b.recorded_by = r.String("by", "");
      for (BaselineMetric& bm : b.metrics) {
        auto values = r.Optional(bm.name);
        if (!values) continue;
        for (const ConfigNode& v : values->AsSequence("recorded." + bm.name)) {
          bm.recorded.push_back(v.node.IsNull() ? kNaN : v.AsDouble("recorded." + bm.name + "[]"));
        }
        if (static_cast<int>(bm.recorded.size()) != b.replicas) {
          values->Fail("recorded." + bm.name + ": expected " + std::to_string(b.replicas) +
                       " values (one per replica); run fleetsim check --update");
        }
      }
      r.Finish();
    }
    m.Finish();
  });
  if (!st.ok()) return st;
  return b;
}

void RecordBaseline(Baseline& baseline, const std::vector<ReplicaResult>& results) {
  baseline.recorded_by = "fleetsim 0.1.0";
  for (BaselineMetric& bm : baseline.metrics) {
    const MetricDef* metric = FindPairedMetric(bm.name);
    bm.recorded.clear();
    for (const ReplicaResult& r : results) bm.recorded.push_back(metric->PerReplica(r));
  }
}

std::string RenderBaselineYaml(const Baseline& b) {
  std::ostringstream out;
  out << "# fleetsim check baseline. Edit scenario, policy, seed, replicas and tolerances by "
         "hand;\n"
         "# `fleetsim check --update "
      << CommentSafe(fs::path(b.file).filename().string())
      << "` reruns the policy and rewrites `recorded`.\n";
  out << "scenario: " << StringScalar(b.scenario) << "\n";
  out << "policy: " << StringScalar(b.policy) << "\n";
  out << "seed: " << b.seed << "\n";
  out << "replicas: " << b.replicas << "\n";
  out << "metrics:\n";
  for (const BaselineMetric& m : b.metrics) {
    out << "  " << m.name << ": {tolerance: ";
    switch (m.tolerance.kind) {
      case ToleranceKind::kNotWorse:
        out << "not_worse";
        break;
      case ToleranceKind::kAbsolute:
        out << "{absolute: " << Number(m.tolerance.value) << "}";
        break;
      case ToleranceKind::kRelative:
        out << "{relative: " << Number(m.tolerance.value) << "}";
        break;
    }
    out << "}\n";
  }
  out << "# Per-replica values (replica r = seed " << b.seed
      << ", replica r); ~ = undefined in that replica.\n";
  out << "recorded:\n  by: " << StringScalar(b.recorded_by) << "\n";
  for (const BaselineMetric& m : b.metrics) {
    out << "  " << m.name << ": [";
    for (size_t i = 0; i < m.recorded.size(); ++i) out << (i ? ", " : "") << Number(m.recorded[i]);
    out << "]\n";
  }
  return out.str();
}

const char* CheckVerdictName(CheckVerdict v) {
  switch (v) {
    case CheckVerdict::kPass:
      return "pass";
    case CheckVerdict::kRegression:
      return "REGRESSION";
    case CheckVerdict::kImproved:
      return "improved";
    case CheckVerdict::kNotRecorded:
      return "not recorded";
  }
  return "?";
}

bool BaselineCheck::regression() const {
  for (const MetricCheck& m : metrics) {
    if (m.verdict == CheckVerdict::kRegression) return true;
  }
  return false;
}

bool BaselineCheck::identical() const {
  for (const MetricCheck& m : metrics) {
    if (!m.identical) return false;
  }
  return true;
}

BaselineCheck CheckBaseline(const Baseline& baseline, const std::string& policy_name,
                            const std::vector<ReplicaResult>& now) {
  BaselineCheck check;
  check.file = baseline.file;
  check.policy = policy_name;
  const double alpha = 0.05 / static_cast<double>(baseline.metrics.size());
  for (const BaselineMetric& bm : baseline.metrics) {
    MetricCheck mc;
    mc.name = bm.name;
    mc.tolerance = bm.tolerance.Describe();
    mc.alpha = alpha;
    if (bm.recorded.size() != now.size()) {
      mc.verdict = CheckVerdict::kNotRecorded;
      check.metrics.push_back(mc);
      continue;
    }
    const MetricDef* metric = FindPairedMetric(bm.name);
    std::vector<double> before, after;
    mc.identical = true;
    for (size_t r = 0; r < now.size(); ++r) {
      const double x = metric->PerReplica(now[r]);
      const double y = bm.recorded[r];
      const bool same = (std::isnan(x) && std::isnan(y)) || x == y;
      if (!same) mc.identical = false;
      if (std::isnan(x) || std::isnan(y)) continue;
      after.push_back(x);
      before.push_back(y);
    }
    mc.pairs = static_cast<int64_t>(after.size());
    mc.baseline_mean = MeanOf(before);
    mc.now_mean = MeanOf(after);
    switch (bm.tolerance.kind) {
      case ToleranceKind::kNotWorse:
        mc.threshold = 0;
        break;
      case ToleranceKind::kAbsolute:
        mc.threshold = bm.tolerance.value;
        break;
      case ToleranceKind::kRelative:
        mc.threshold = bm.tolerance.value * std::abs(mc.baseline_mean);
        break;
    }
    // d oriented so that positive = worse (now - recorded for a lower-is-better metric).
    const double sign = metric->lower_is_better ? 1.0 : -1.0;
    const double mean_d = sign * (mc.now_mean - mc.baseline_mean);
    double var = 0;
    for (size_t i = 0; i < after.size(); ++i) {
      const double d = sign * (after[i] - before[i]) - mean_d;
      var += d * d;
    }
    if (mc.pairs >= 2) var /= static_cast<double>(mc.pairs - 1);
    const double se = mc.pairs >= 2 ? std::sqrt(var / static_cast<double>(mc.pairs)) : 0.0;
    if (mc.pairs == 0) {
      mc.p_value = 1;
    } else if (se == 0) {
      mc.p_value = mean_d > mc.threshold ? 0.0 : 1.0;
    } else {
      const double t = (mean_d - mc.threshold) / se;
      boost::math::students_t dist(static_cast<double>(mc.pairs - 1));
      mc.p_value = boost::math::cdf(boost::math::complement(dist, t));
    }
    if (mc.p_value < alpha) {
      mc.verdict = CheckVerdict::kRegression;
    } else {
      // Significantly better than the baseline (by any margin): worth re-recording.
      double p_better = 1;
      if (se == 0)
        p_better = mean_d < 0 ? 0.0 : 1.0;
      else if (mc.pairs >= 2) {
        boost::math::students_t dist(static_cast<double>(mc.pairs - 1));
        p_better = boost::math::cdf(dist, mean_d / se);
      }
      mc.verdict = p_better < alpha ? CheckVerdict::kImproved : CheckVerdict::kPass;
    }
    check.metrics.push_back(mc);
  }
  return check;
}

}  // namespace fleetsim
