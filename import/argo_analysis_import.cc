#include "import/argo_analysis_import.h"

#include <algorithm>
#include <regex>

#include "import/argo_condition.h"

namespace fleetsim::import {

void ArgoTemplateSet::Add(const SpecDocument& doc) {
  const bool cluster = doc.kind == DocKind::kArgoClusterTemplate;
  const std::string kind = cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate";
  const std::string name = SpecField(doc.root, kind).Required("metadata").Required("name").String();
  // Paths inside read "AnalysisTemplate(success-rate).spec.metrics[0]".
  SpecField root(doc.root, kind + "(" + name + ")");
  for (const Entry& e : entries_) {
    if (e.name == name && e.cluster == cluster)
      root.Required("metadata")
          .Required("name")
          .Fail(kind + " '" + name + "' is defined twice in the given files");
  }
  entries_.push_back(Entry{name, cluster, root.Required("spec")});
}

const SpecField* ArgoTemplateSet::Find(const std::string& name, bool cluster) const {
  for (const Entry& e : entries_) {
    if (e.name == name && e.cluster == cluster) return &e.spec;
  }
  return nullptr;
}

std::vector<std::string> ArgoTemplateSet::Names() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) out.push_back(e.name);
  return out;
}

namespace {

constexpr const char* kVendor = "Argo Rollouts";

// The query text of a provider, for the metrics table's `query:` entries.
std::string QueryText(const std::string& provider, const SpecField& p) {
  auto text = [&](const char* key) {
    auto f = p.Optional(key);
    return f && f->IsScalar() ? f->String() : std::string();
  };
  if (provider == "web") return text("url") + " " + text("jsonPath");
  if (provider == "kayenta") return text("canaryConfigName");
  if (provider == "cloudWatch") {
    std::string out;
    if (auto q = p.Optional("metricDataQueries")) {
      for (const SpecField& item : q->Items()) {
        if (auto e = item.Optional("expression")) out += e->String() + " ";
        if (auto ms = item.Optional("metricStat")) {
          if (auto m = ms->Optional("metric")) {
            if (auto n = m->Optional("metricName")) out += n->String() + " ";
          }
        }
      }
    }
    return out;
  }
  if (provider == "datadog") {
    std::string out = text("query") + text("formula");
    if (auto qs = p.Optional("queries"); qs && qs->IsMap()) {
      for (const std::string& k : qs->Keys()) out += " " + qs->Required(k).String();
    }
    return out;
  }
  if (provider == "plugin") {
    const std::vector<std::string> keys = p.Keys();
    return keys.empty() ? "" : keys.front();
  }
  return text("query");
}

std::optional<Region> Condition(const SpecField& f) {
  std::string error;
  std::optional<Region> r = ParseArgoCondition(f.String(), &error);
  if (!r) {
    f.Fail("Argo condition '" + f.String() + "': " + error +
           " (fleetsim reads comparisons of result with numbers, &&, ||, !, isNaN, len(result))");
  }
  return r;
}

// What Argo's EvaluateResult (utils/evaluate/evaluate.go) makes of an empty result, the query
// of a canary that served no request: an Error when a condition fails to evaluate, else the
// usual reading of the two conditions (only one set: a measurement fails iff the success
// condition does not hold, or succeeds iff the failure condition does not).
ImportedSetting NoDataMeasurement(const std::optional<SpecField>& sf,
                                  const std::optional<SpecField>& ff) {
  auto on_empty = [](const SpecField& f) {
    std::string error;
    return *ArgoConditionOnEmpty(f.String(), &error);  // parsed before: no error
  };
  // kFalse stands for an absent condition until the one-sided reading below.
  const EmptyResult se = sf ? on_empty(*sf) : EmptyResult::kFalse;
  const EmptyResult fe = ff ? on_empty(*ff) : EmptyResult::kFalse;
  const SpecField& from = sf ? *sf : *ff;
  const std::string empty = "a canary without requests gives an empty result";
  if (se == EmptyResult::kError || fe == EmptyResult::kError) {
    const SpecField& at = se == EmptyResult::kError ? *sf : *ff;
    return ImportedSetting{"error", at,
                           empty + ", on which '" + at.String() +
                               "' cannot be evaluated: an Error measurement "
                               "(consecutiveErrorLimit counts them)",
                           false};
  }
  bool success = se == EmptyResult::kTrue;
  bool failure = fe == EmptyResult::kTrue;
  if (!sf) success = !failure;
  if (!ff) failure = !success;
  const std::string value = failure ? "failed" : success ? "successful" : "inconclusive";
  return ImportedSetting{value, from, empty + ", which the conditions read as " + value, false};
}

struct Schedule {
  SimTime interval;
  bool has_interval = false;
  SimTime initial_delay;
  int count = 0;  // 0: until stopped
  bool until_stopped = false;
  int failure_limit = 0, inconclusive_limit = 0, consecutive_success_limit = 0;
  int consecutive_error_limit = 4;  // DefaultConsecutiveErrorLimit
  std::optional<SpecField> interval_f, initial_delay_f, count_f, failure_limit_f,
      inconclusive_limit_f, consecutive_success_limit_f, consecutive_error_limit_f;
};

Schedule ReadSchedule(const SpecField& metric) {
  Schedule s;
  if (auto f = metric.Optional("interval")) {
    s.interval = f->GoDuration();
    if (s.interval <= SimTime::Zero()) f->Fail(f->path() + ": expected a positive interval");
    s.has_interval = true;
    s.interval_f = f;
  }
  if (auto f = metric.Optional("initialDelay")) {
    s.initial_delay = f->GoDuration();
    s.initial_delay_f = f;
  }
  // Argo: no interval and no count = one measurement; an interval alone = until stopped.
  if (auto f = metric.Optional("count")) {
    s.count = static_cast<int>(f->Int());
    if (s.count < 0) f->Fail(f->path() + ": expected a count >= 0");
    s.count_f = f;
    if (s.count > 1 && !s.has_interval)
      f->Fail(f->path() + ": Argo requires an interval when count > 1");
  } else {
    s.count = s.has_interval ? 0 : 1;
  }
  s.until_stopped = s.count == 0;
  auto limit = [&](const char* key, int fallback, int lo, std::optional<SpecField>* out) {
    auto f = metric.Optional(key);
    if (!f) return fallback;
    const int64_t v = f->Int();
    if (v < lo) f->Fail(f->path() + ": expected a value >= " + std::to_string(lo));
    *out = f;
    return static_cast<int>(v);
  };
  s.failure_limit = limit("failureLimit", 0, -1, &s.failure_limit_f);
  s.inconclusive_limit = limit("inconclusiveLimit", 0, 0, &s.inconclusive_limit_f);
  s.consecutive_success_limit =
      limit("consecutiveSuccessLimit", 0, 0, &s.consecutive_success_limit_f);
  s.consecutive_error_limit = limit("consecutiveErrorLimit", 4, 0, &s.consecutive_error_limit_f);
  return s;
}

// Time the measurements of a metric with a count take: the first at initialDelay, then one
// every interval.
SimTime RunDuration(const Schedule& s) {
  if (s.count <= 0) return SimTime::Zero();
  return s.initial_delay + SimTime::Millis(s.interval.millis() * (s.count - 1));
}

bool DryRun(const std::vector<std::string>& patterns, const std::string& metric) {
  for (const std::string& p : patterns) {
    try {
      if (std::regex_search(metric, std::regex(p))) return true;
    } catch (const std::regex_error&) {
    }
  }
  return false;
}

std::vector<std::string> DryRunPatterns(const SpecField& owner, ImportContext& ctx) {
  std::vector<std::string> out;
  if (auto d = owner.Optional("dryRun")) {
    for (const SpecField& item : d->Items()) {
      item.RequireKnownKeys({"metricName"}, kVendor);
      const SpecField name = item.Required("metricName");
      try {
        std::regex check(name.String());
      } catch (const std::regex_error&) {
        name.Fail(name.path() + ": not a valid regular expression");
      }
      out.push_back(name.String());
    }
    ctx.MappedElsewhere(*d, "health.checks", "(dry-run metrics left out)",
                        "a dry-run metric is judged but never acts on the rollout");
  }
  return out;
}

class RunBuilder {
 public:
  RunBuilder(const ArgoTemplateSet& templates, ImportContext& ctx)
      : templates_(templates), ctx_(ctx) {}

  void Template(const SpecField& spec, const std::vector<std::string>& dry_run_outer) {
    spec.RequireKnownKeys({"metrics", "args", "dryRun", "measurementRetention", "templates"},
                          kVendor);
    std::vector<std::string> dry = dry_run_outer;
    for (const std::string& p : DryRunPatterns(spec, ctx_)) dry.push_back(p);
    if (auto a = spec.Optional("args"))
      ctx_.NoEffect(*a, "template arguments only fill in provider queries");
    if (auto m = spec.Optional("measurementRetention"))
      ctx_.NoEffect(*m, "how many measurements Argo keeps in the AnalysisRun's status");
    if (auto nested = spec.Optional("templates")) References(*nested, dry);
    for (const SpecField& metric : spec.Required("metrics").Items()) Metric(metric, dry);
  }

  void References(const SpecField& list, const std::vector<std::string>& dry) {
    for (const SpecField& ref : list.Items()) {
      ref.RequireKnownKeys({"templateName", "clusterScope"}, kVendor);
      const SpecField name_f = ref.Required("templateName");
      const std::string name = name_f.String();
      const bool cluster = ref.Has("clusterScope") && ref.Required("clusterScope").Bool();
      const std::string kind = cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate";
      if (!run_.label.empty()) run_.label += ", ";
      run_.label += name;
      if (ctx_.options().IgnoresTemplate(name)) {
        ctx_.NotSimulated(ref, kind + " '" + name +
                                   "' left out (--ignore-template): it does not gate the "
                                   "simulated rollout");
        continue;
      }
      const SpecField* spec = templates_.Find(name, cluster);
      if (!spec) {
        std::string have;
        for (const std::string& n : templates_.Names()) have += (have.empty() ? "" : ", ") + n;
        name_f.Fail(kind + " '" + name + "' is not in the given files" +
                    (have.empty() ? "" : " (they define: " + have + ")") +
                    "; give the file that defines it (fleetsim import ROLLOUT TEMPLATE-FILE..., "
                    "or --with FILE beside --policy and validate), or leave it out with "
                    "--ignore-template " +
                    name);
      }
      Template(*spec, dry);
    }
  }

  void Metric(const SpecField& metric, const std::vector<std::string>& dry) {
    metric.RequireKnownKeys({"name", "interval", "initialDelay", "count", "successCondition",
                             "failureCondition", "failureLimit", "inconclusiveLimit",
                             "consecutiveErrorLimit", "consecutiveSuccessLimit", "provider"},
                            kVendor);
    const std::string name = metric.Required("name").String();
    const Schedule s = ReadSchedule(metric);
    run_.until_stopped = run_.until_stopped || s.until_stopped;
    run_.duration = std::max(run_.duration, RunDuration(s));
    const SpecField provider = metric.Required("provider");
    const std::vector<std::string> kinds = provider.Keys();
    if (kinds.size() != 1)
      provider.Fail(provider.path() + ": expected exactly one provider, got " +
                    std::to_string(kinds.size()));
    const std::string kind = kinds.front();
    static const char* kProviders[] = {"prometheus", "kayenta",  "web",        "datadog",
                                       "wavefront",  "newRelic", "job",        "cloudWatch",
                                       "graphite",   "influxdb", "skywalking", "plugin"};
    if (std::find_if(std::begin(kProviders), std::end(kProviders),
                     [&](const char* k) { return kind == k; }) == std::end(kProviders))
      provider.Fail("unknown Argo Rollouts metric provider '" + kind + "'");
    const SpecField p = provider.Required(kind);
    if (kind == "job") {
      ctx_.NotSimulated(metric, "metric '" + name +
                                    "' runs a Kubernetes Job; its measurements are taken as "
                                    "successful, and a step waits for them (" +
                                    FormatDuration(RunDuration(s)) + ")");
      return;
    }
    const std::string query = QueryText(kind, p);
    const MetricMapping* m = ctx_.options().metrics.Find(name, query);
    if (!m) {
      provider.Fail("Argo metric '" + name + "' (" + kind +
                    " query) has no meaning in the simulation yet: say what it measures with "
                    "--metric " +
                    name +
                    "=success_rate (or error_rate, latency_p99, status_2xx; a --metrics FILE "
                    "entry), or leave it out with --ignore-metric " +
                    name);
    }
    if (m->ignore) {
      ctx_.NotSimulated(metric, "metric '" + name + "' left out (" + m->origin + ")");
      return;
    }
    if (DryRun(dry, name)) {
      ctx_.NotSimulated(metric, "metric '" + name +
                                    "' is a dry run: judged but never acting, so it changes "
                                    "nothing in the simulation");
      ++dry_run_metrics_;
      return;
    }
    ctx_.NoEffect(
        p, std::string("the ") + kind + " query is replaced by the canary's " + m->Describe());
    Check(metric, name, *m);
    Adopt(metric, s, name);
  }

  void Check(const SpecField& metric, const std::string& name, const MetricMapping& m) {
    const std::optional<SpecField> sf = metric.Optional("successCondition");
    const std::optional<SpecField> ff = metric.Optional("failureCondition");
    if (!sf && !ff) {
      ctx_.NotSimulated(metric, "metric '" + name +
                                    "' has neither successCondition nor failureCondition: Argo "
                                    "counts every measurement successful");
      return;
    }
    const Region success = sf ? *Condition(*sf) : Region::All();
    const Region failure = ff ? *Condition(*ff) : success.Complement();
    const Region pass = success.Intersect(failure.Complement());
    const Region inconclusive = success.Union(failure).Complement();
    const SpecField& from = sf ? *sf : *ff;
    const std::optional<ValueBound> bound = pass.AsBound();
    if (!bound) {
      from.Fail("metric '" + name + "': the values that pass (" + pass.Describe() +
                ") are not one range, which a fleetsim threshold cannot express");
    }
    const NativeThreshold t = ToNative(m, *bound);
    ImportedCheck c{t.metric, t.min, t.max, std::nullopt, std::nullopt, from, "", false};
    c.note = "metric '" + name + "' measures " + m.Describe();
    if (inconclusive.intervals.size() > 0) {
      // Argo: a value neither condition accepts is an Inconclusive measurement. fleetsim's
      // threshold has such a band when what does not fail is one range around what passes.
      const std::optional<ValueBound> not_failed = failure.Complement().AsBound();
      if (not_failed) {
        const NativeThreshold nf = ToNative(m, *not_failed);
        c.fail_below = nf.min != t.min ? nf.min : std::nullopt;
        c.fail_above = nf.max != t.max ? nf.max : std::nullopt;
      }
      if (not_failed && (c.fail_below || c.fail_above) && (!c.fail_below || t.min) &&
          (!c.fail_above || t.max)) {
        c.note += "; values in " + inconclusive.Describe() + " are Inconclusive (as in Argo)";
      } else {
        c.fail_below = c.fail_above = std::nullopt;
        c.approximated = true;
        c.note += "; values in " + inconclusive.Describe() +
                  " are Inconclusive in Argo and fail the fleetsim check";
      }
    }
    if (t.strict) c.note += "; strict bounds are read as inclusive (they differ only at equality)";
    if (!t.min && !t.max) {
      ctx_.NotSimulated(
          from, "metric '" + name + "': every value of " + m.Describe() + " passes this condition");
      return;
    }
    if (run_.checks.empty()) run_.no_data = NoDataMeasurement(sf, ff);
    run_.checks.push_back(c);
  }

  // The first simulated metric sets the run's schedule; later ones must agree.
  void Adopt(const SpecField& metric, const Schedule& s, const std::string& name) {
    auto setting = [](const std::string& value, const std::optional<SpecField>& f,
                      const std::string& note) {
      return ImportedSetting{value, f, note, false};
    };
    if (!adopted_) {
      adopted_ = true;
      schedule_ = s;
      run_.interval_time = s.has_interval ? s.interval : SimTime::Minutes(1);
      run_.interval = setting(FormatDuration(run_.interval_time), s.interval_f,
                              "fleetsim's k-th verdict judges the interval just past, at k x "
                              "interval; Argo measures at (k-1) x interval over the query's range");
      run_.interval.approximated = true;
      if (!s.has_interval) {
        run_.interval.from = metric;
        run_.interval.note =
            "a single measurement with no interval: fleetsim judges the first minute";
      }
      run_.initial_delay_time = s.initial_delay;
      run_.initial_delay = setting(FormatDuration(s.initial_delay), s.initial_delay_f, "");
      run_.count_value = s.count;
      run_.count =
          setting(std::to_string(s.count), s.count_f,
                  s.count_f      ? ""
                  : s.count == 0 ? "Argo: an interval and no count runs until the rollout ends"
                                 : "Argo: no interval and no count is one measurement");
      run_.failure_limit = setting(std::to_string(s.failure_limit), s.failure_limit_f,
                                   s.failure_limit_f ? "" : "Argo default: no failure tolerated");
      run_.inconclusive_limit =
          setting(std::to_string(s.inconclusive_limit), s.inconclusive_limit_f,
                  s.inconclusive_limit_f ? "" : "Argo default");
      run_.consecutive_success_limit =
          setting(std::to_string(s.consecutive_success_limit), s.consecutive_success_limit_f,
                  s.consecutive_success_limit_f ? "" : "Argo default: disabled");
      run_.consecutive_error_limit =
          setting(std::to_string(s.consecutive_error_limit), s.consecutive_error_limit_f,
                  s.consecutive_error_limit_f
                      ? "consecutive Error measurements tolerated (a canary without requests)"
                      : "Argo default");
      return;
    }
    const bool same = s.has_interval == schedule_.has_interval &&
                      s.interval == schedule_.interval &&
                      s.initial_delay == schedule_.initial_delay && s.count == schedule_.count &&
                      s.failure_limit == schedule_.failure_limit &&
                      s.inconclusive_limit == schedule_.inconclusive_limit &&
                      s.consecutive_success_limit == schedule_.consecutive_success_limit &&
                      s.consecutive_error_limit == schedule_.consecutive_error_limit;
    const std::string note =
        "several simulated metrics: fleetsim judges them together each interval (any failing "
        "check fails the measurement) and counts once; Argo counts each metric on its own";
    run_.interval.approximated = true;
    run_.interval.note = note;
    if (!same) {
      run_.interval.note += "; metric '" + name +
                            "' has a different schedule or limits, and the first simulated "
                            "metric's are used";
    }
  }

  ArgoRun Finish(int dry_outer) {
    if (run_.checks.empty() && dry_run_metrics_ > 0 && dry_outer > 0) run_.dry_run = true;
    return std::move(run_);
  }

 private:
  const ArgoTemplateSet& templates_;
  ImportContext& ctx_;
  ArgoRun run_;
  bool adopted_ = false;
  Schedule schedule_;
  int dry_run_metrics_ = 0;
};

}  // namespace

ArgoRun ImportArgoAnalysis(const SpecField& analysis, const ArgoTemplateSet& templates,
                           ImportContext& ctx) {
  analysis.RequireKnownKeys({"templates", "args", "dryRun", "measurementRetention",
                             "analysisRunMetadata", "startingStep"},
                            kVendor);
  if (auto a = analysis.Optional("args"))
    ctx.NoEffect(*a, "analysis arguments only fill in provider queries");
  if (auto m = analysis.Optional("measurementRetention"))
    ctx.NoEffect(*m, "how many measurements Argo keeps in the AnalysisRun's status");
  if (auto m = analysis.Optional("analysisRunMetadata"))
    ctx.NoEffect(*m, "labels and annotations of the AnalysisRun object");
  const std::vector<std::string> dry = DryRunPatterns(analysis, ctx);
  RunBuilder b(templates, ctx);
  b.References(analysis.Required("templates"), dry);
  return b.Finish(static_cast<int>(dry.size()));
}

ArgoRun CheckArgoTemplate(const SpecField& spec, const ArgoTemplateSet& templates,
                          ImportContext& ctx) {
  RunBuilder b(templates, ctx);
  b.Template(spec, {});
  return b.Finish(0);
}

void WriteArgoHealth(const ArgoRun& run, DraftNode& health, const std::string& path,
                     ImportContext& ctx) {
  auto put = [&](const std::string& key, const ImportedSetting& s, const std::string& what) {
    if (s.from && s.approximated)
      ctx.Approximate(health, path + "." + key, key, s.value, *s.from, s.note);
    else if (s.from)
      ctx.Map(health, path + "." + key, key, s.value, *s.from, s.note);
    else
      ctx.Default(health, path + "." + key, key, s.value, s.note.empty() ? what : s.note);
  };
  ctx.Derived(health, path + ".counting", "counting", "argo",
              "AnalysisRun semantics: Failed when failed > failureLimit, Inconclusive pauses", "");
  put("interval", run.interval, "Argo");
  if (run.initial_delay_time > SimTime::Zero()) put("initial_delay", run.initial_delay, "Argo");
  put("failure_limit", run.failure_limit, "Argo default");
  if (run.inconclusive_limit.value != "0") put("inconclusive_limit", run.inconclusive_limit, "");
  if (run.consecutive_success_limit.value != "0")
    put("consecutive_success_limit", run.consecutive_success_limit, "");
  if (run.consecutive_error_limit.value != "4" || run.consecutive_error_limit.from)
    put("consecutive_error_limit", run.consecutive_error_limit, "");
  if (run.no_data.from) put("no_data", run.no_data, "");
  if (run.count_value > 0) put("count", run.count, "");
  if (run.dry_run)
    ctx.Derived(health, path + ".dry_run", "dry_run", "true", "every metric is a dry run", "");
  DraftNode& checks = health.Child("checks");
  for (size_t i = 0; i < run.checks.size(); ++i) {
    const ImportedCheck& c = run.checks[i];
    const std::string p = path + ".checks[" + std::to_string(i) + "]";
    DraftNode& item = checks.Append();
    item.Annotate(ImportContext::CommentFor(c.from) + (c.note.empty() ? "" : "; " + c.note),
                  c.from.Where());
    ctx.Derived(item, p + ".kind", "kind", "threshold", "an absolute bound on the canary",
                c.from.Where());
    ctx.Derived(item, p + ".metric", "metric", c.metric, "what the metrics table maps it to",
                c.from.Where());
    auto bound = [&](const char* key, const std::optional<double>& v) {
      if (!v) return;
      if (c.approximated)
        ctx.Approximate(item, p + "." + key, key, FormatNumber(*v), c.from, c.note);
      else
        ctx.Map(item, p + "." + key, key, FormatNumber(*v), c.from, c.note);
    };
    bound("min", c.min);
    bound("max", c.max);
    bound("fail_below", c.fail_below);
    bound("fail_above", c.fail_above);
  }
}

}  // namespace fleetsim::import
