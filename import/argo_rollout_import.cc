#include "import/argo_rollout_import.h"

#include <cmath>

namespace fleetsim::import {
namespace {

constexpr const char* kVendor = "Argo Rollouts";

struct Stage {
  std::string name;
  double percent = 0;
  std::optional<SpecField> percent_from;
  SimTime bake;
  std::vector<std::pair<SpecField, SimTime>> pauses;  // each pause's field and duration
  std::optional<SpecField> manual_from;
  std::vector<std::pair<SpecField, SimTime>> waits;  // inline analysis runs that hold the stage
};

std::string StageName(double percent) { return "w" + FormatNumber(percent); }

void NoEffectMetadata(const SpecField& root, ImportContext& ctx) {
  for (const char* key : {"status"}) {
    if (auto f = root.Optional(key)) ctx.NoEffect(*f, "the object's status is not a setting");
  }
}

// The spec-level fields outside the strategy.
void SpecFields(const SpecField& spec, ImportContext& ctx) {
  spec.RequireKnownKeys(
      {"replicas", "selector", "template", "workloadRef", "minReadySeconds", "rollbackWindow",
       "strategy", "revisionHistoryLimit", "paused", "progressDeadlineSeconds",
       "progressDeadlineAbort", "restartAt", "analysis"},
      kVendor);
  auto none = [&](const char* key, const std::string& why) {
    if (auto f = spec.Optional(key)) ctx.NoEffect(*f, why);
  };
  none("replicas", "the fleet and its size come from the scenario; weights are shares of it");
  none("selector", "pod selection");
  none("template", "the pod template (images, ports, resources)");
  none("workloadRef", "the Deployment whose pod template is used");
  none("minReadySeconds", "pod readiness; the deploy system's host_update_time sets update time");
  none("revisionHistoryLimit", "old ReplicaSets kept");
  none("restartAt", "pod restarts");
  none("analysis", "how many AnalysisRuns Argo keeps");
  if (auto f = spec.Optional("rollbackWindow"))
    ctx.NotSimulated(*f,
                     "fast-tracked rollbacks to recent revisions skip the steps; fleetsim "
                     "simulates forward changes only");
  if (auto f = spec.Optional("paused"))
    ctx.NotSimulated(*f, "a Rollout created paused waits for a person before it starts");
  if (auto f = spec.Optional("progressDeadlineSeconds"))
    ctx.NotSimulated(*f, "a ReplicaSet that makes no progress (pods not becoming ready)");
  if (auto f = spec.Optional("progressDeadlineAbort"))
    ctx.NotSimulated(*f, "aborting a rollout whose pods make no progress");
}

class CanaryImport {
 public:
  CanaryImport(const SpecField& canary, const ArgoTemplateSet& templates, ImportContext& ctx)
      : canary_(canary), templates_(templates), ctx_(ctx) {}

  void Run() {
    canary_.RequireKnownKeys(
        {"canaryService", "stableService", "steps", "trafficRouting", "maxUnavailable", "maxSurge",
         "analysis", "antiAffinity", "canaryMetadata", "stableMetadata", "scaleDownDelaySeconds",
         "scaleDownDelayRevisionLimit", "abortScaleDownDelaySeconds", "dynamicStableScale",
         "pingPong", "minPodsPerReplicaSet", "replicaProgressThreshold"},
        kVendor);
    Reported();
    DraftNode& rollout = ctx_.policy().Child("rollout");
    if (!canary_.Has("steps") || canary_.Required("steps").Items().empty()) {
      RollingUpdate(rollout);
    } else {
      Steps(canary_.Required("steps"));
      WriteStages(rollout);
    }
    Deploy();
    if (auto a = canary_.Optional("analysis")) Background(*a);
  }

 private:
  void Reported() {
    auto none = [&](const char* key, const std::string& why) {
      if (auto f = canary_.Optional(key)) ctx_.NoEffect(*f, why);
    };
    none("canaryService", "the Service name the canary's traffic goes through");
    none("stableService", "the Service name the stable version's traffic goes through");
    none("antiAffinity", "pod placement");
    none("canaryMetadata", "labels on canary pods");
    none("stableMetadata", "labels on stable pods");
    none("scaleDownDelaySeconds", "old pods kept after full promotion; exposure is 100% already");
    none("scaleDownDelayRevisionLimit", "old ReplicaSets kept scaled");
    none("abortScaleDownDelaySeconds", "canary pods kept after an abort moved traffic off them");
    none("pingPong", "which of two Services is stable");
    none("minPodsPerReplicaSet", "a floor on canary pods; fleetsim places weights on hosts");
    none("replicaProgressThreshold", "pods that must be ready before a step counts as reached");
    none("maxSurge", "extra pods during the update: capacity is not modelled");
  }

  void RollingUpdate(DraftNode& rollout) {
    // No steps: Argo performs a rolling update governed by maxSurge/maxUnavailable.
    const SpecField where = canary_.Optional("steps") ? canary_.Required("steps") : canary_;
    ctx_.Map(rollout, "rollout.kind", "kind", "big_bang", where,
             "a canary without steps is a rolling update of every pod");
    if (!canary_.Has("maxUnavailable")) {
      ctx_.Default(ctx_.policy().Child("deploy"), "deploy.max_unavailable", "max_unavailable",
                   "25%", "Argo's default maxUnavailable for a rolling update");
    }
  }

  void Deploy() {
    if (auto f = canary_.Optional("maxUnavailable")) {
      bool percent = false;
      const double v = f->IntOrPercent(&percent);
      if (v == 0) {
        ctx_.NoEffect(*f,
                      "no pod taken down at once: the update proceeds by surge, at the "
                      "scenario deploy system's speed");
      } else {
        ctx_.Map(ctx_.policy().Child("deploy"), "deploy.max_unavailable", "max_unavailable",
                 FormatNumber(v) + (percent ? "%" : ""), *f,
                 "pods updated at once: waves of this many hosts");
      }
    }
    const std::optional<SpecField> routing = canary_.Optional("trafficRouting");
    const std::optional<SpecField> dynamic = canary_.Optional("dynamicStableScale");
    const bool dynamic_on = dynamic && dynamic->Bool();
    if (routing) {
      ctx_.NoEffect(*routing,
                    "which mesh or ingress shifts the traffic; setWeight is a share of "
                    "traffic either way");
      if (!dynamic_on) {
        ctx_.Map(ctx_.policy().Child("deploy"), "deploy.rollback", "rollback", "instant", *routing,
                 "with a traffic router an abort sends all traffic back to the stable pods, "
                 "which stay fully scaled (dynamicStableScale false)");
      }
    }
    if (dynamic) {
      if (dynamic_on && routing)
        ctx_.MappedElsewhere(*dynamic, "deploy.rollback", "(deploy system's speed)",
                             "the stable version was scaled down and must scale back up on "
                             "abort, so the rollback takes the deploy system's time");
      else
        ctx_.NoEffect(*dynamic, dynamic_on ? "only with trafficRouting"
                                           : "the stable version stays fully scaled");
    }
  }

  Stage& Current(const SpecField& step) {
    if (stages_.empty()) {
      step.Fail(step.path() +
                ": a pause or analysis before the first setWeight holds the rollout at 0%, "
                "which fleetsim's stages cannot express; start with setWeight");
    }
    return stages_.back();
  }

  void Steps(const SpecField& steps) {
    const std::vector<SpecField> items = steps.Items();
    for (size_t i = 0; i < items.size(); ++i) {
      const SpecField& step = items[i];
      step_stage_.push_back(static_cast<int>(stages_.size()) - 1);
      step_offset_.push_back(elapsed_);
      step_manual_before_.push_back(manual_seen_);
      step.RequireKnownKeys({"setWeight", "pause", "experiment", "analysis", "setCanaryScale",
                             "setHeaderRoute", "setMirrorRoute", "plugin"},
                            kVendor);
      if (step.Keys().size() != 1)
        step.Fail(step.path() + ": expected exactly one step kind, got " +
                  std::to_string(step.Keys().size()));
      const std::string kind = step.Keys().front();
      const SpecField body = step.Required(kind);
      if (kind == "setWeight") {
        const double w = body.Number();
        if (w < 0 || w > 100) body.Fail(body.path() + ": expected a weight in [0, 100]");
        const double previous = stages_.empty() ? 0 : stages_.back().percent;
        if (w < previous || (w == 0 && stages_.empty())) {
          body.Fail(body.path() + ": setWeight " + FormatNumber(w) + " after " +
                    FormatNumber(previous) +
                    "%: fleetsim stages only grow (a lower weight moves traffic back)");
        }
        if (w == previous) {
          ctx_.MappedElsewhere(body,
                               "rollout.stages[" + std::to_string(stages_.size() - 1) + "].percent",
                               FormatNumber(w), "the weight is already " + FormatNumber(w) + "%");
          continue;
        }
        Stage s;
        s.name = StageName(w);
        s.percent = w;
        s.percent_from = body;
        stages_.push_back(s);
        step_stage_.back() = static_cast<int>(stages_.size()) - 1;
      } else if (kind == "pause") {
        Stage& s = Current(step);
        if (body.IsNull() || (body.IsMap() && !body.Has("duration"))) {
          if (!body.IsNull()) body.RequireKnownKeys({"duration"}, kVendor);
          s.manual_from = body;
          manual_seen_ = true;
        } else {
          body.RequireKnownKeys({"duration"}, kVendor);
          const SpecField d = body.Required("duration");
          const SimTime t = d.GoDuration();
          s.bake = s.bake + t;
          s.pauses.emplace_back(d, t);
          elapsed_ = elapsed_ + t;
        }
      } else if (kind == "analysis") {
        InlineAnalysis(step, body);
      } else if (kind == "experiment") {
        Stage& s = Current(step);
        std::string note =
            "an experiment runs extra ReplicaSets (and their analyses) beside the rollout; "
            "fleetsim does not simulate them";
        if (auto d = body.Optional("duration")) {
          const SimTime t = d->GoDuration();
          s.waits.emplace_back(*d, t);
          elapsed_ = elapsed_ + t;
          note += "; the step's duration is kept as a wait (" + FormatDuration(t) + ")";
        } else {
          note += "; without a duration it lasts as long as its analyses, taken as no time";
        }
        ctx_.NotSimulated(step, note);
      } else if (kind == "setCanaryScale") {
        ctx_.NotSimulated(step,
                          "canary pod count apart from traffic weight: in fleetsim a "
                          "stage's percent is both hosts and traffic");
      } else if (kind == "setHeaderRoute") {
        ctx_.NotSimulated(step,
                          "routing by request header: fleetsim does not split requests "
                          "by their headers");
      } else if (kind == "setMirrorRoute") {
        ctx_.NotSimulated(step, "mirrored (shadow) traffic has no users to fail");
      } else {
        ctx_.NotSimulated(step, "step plugins run code fleetsim cannot know");
      }
    }
  }

  void InlineAnalysis(const SpecField& step, const SpecField& body) {
    Stage& s = Current(step);
    ArgoRun run = ImportArgoAnalysis(body, templates_, ctx_);
    if (!run.checks.empty()) {
      body.Fail(body.path() + ": an inline analysis step with simulated metrics (" + run.label +
                ") needs a per-stage analysis run, which fleetsim does not have yet; map its "
                "metrics into a background analysis, or leave them out with --ignore-metric");
    }
    if (run.until_stopped) {
      body.Fail(body.path() +
                ": an inline analysis whose metrics have no count never ends "
                "(Argo waits for the run to complete)");
    }
    s.waits.emplace_back(step, run.duration);
    elapsed_ = elapsed_ + run.duration;
  }

  void WriteStages(DraftNode& rollout) {
    const SpecField steps = canary_.Required("steps");
    ctx_.Map(rollout, "rollout.kind", "kind", "stages", steps,
             "each setWeight starts a stage held for the pauses after it");
    DraftNode& list = rollout.Child("stages");
    for (size_t i = 0; i < stages_.size(); ++i) {
      const Stage& s = stages_[i];
      const std::string p = "rollout.stages[" + std::to_string(i) + "]";
      DraftNode& item = list.Append();
      item.Set("name", s.name);
      ctx_.Map(item, p + ".percent", "percent", FormatNumber(s.percent), *s.percent_from);
      WriteBake(item, p, s);
    }
    if (stages_.empty() || stages_.back().percent < 100) {
      const std::string p = "rollout.stages[" + std::to_string(stages_.size()) + "]";
      DraftNode& item = list.Append();
      item.Annotate("after its last step Argo promotes the canary to 100% (full promotion)");
      item.Set("name", "promoted");
      ctx_.Derived(item, p + ".percent", "percent", "100", "after the last step", "");
      ctx_.Derived(item, p + ".bake", "bake", "0s",
                   "the rollout is complete once everything runs the new version", "");
    }
  }

  void WriteBake(DraftNode& item, const std::string& p, const Stage& s) {
    SimTime total = s.bake;
    for (const auto& [f, t] : s.waits) total = total + t;
    if (s.manual_from) {
      if (total > SimTime::Zero()) {
        ctx_.Approximate(item, p + ".bake", "bake", "manual", *s.manual_from,
                         "a person promotes; the stage's timed pauses and waits (" +
                             FormatDuration(total) + ") are not added to the manual gate");
      } else {
        ctx_.Map(item, p + ".bake", "bake", "manual", *s.manual_from,
                 "pause {} waits for a person (kubectl argo rollouts promote), who acts after "
                 "humans.response_time");
      }
    } else if (s.pauses.size() + s.waits.size() == 1) {
      const SpecField& f = s.pauses.empty() ? s.waits.front().first : s.pauses.front().first;
      ctx_.Map(item, p + ".bake", "bake", FormatDuration(total), f,
               s.pauses.empty() ? "the time the step's analysis run takes" : "");
      return;
    } else if (s.pauses.empty() && s.waits.empty()) {
      ctx_.Derived(item, p + ".bake", "bake", "0s", "no pause after this setWeight",
                   s.percent_from->Where());
      return;
    } else {
      item.Set("bake", FormatDuration(total), "the sum of the pauses and waits of this stage",
               s.pauses.empty() ? s.waits.front().first.Where() : s.pauses.front().first.Where());
    }
    for (const auto& [f, t] : s.pauses)
      ctx_.MappedElsewhere(f, p + ".bake", FormatDuration(t),
                           "part of the stage's bake (" + FormatDuration(total) + ")");
    for (const auto& [f, t] : s.waits)
      ctx_.MappedElsewhere(
          f, p + ".bake", FormatDuration(t),
          "the analysis run holds the stage; part of its bake (" + FormatDuration(total) + ")");
  }

  void Background(const SpecField& analysis) {
    ArgoRun run = ImportArgoAnalysis(analysis, templates_, ctx_);
    std::optional<SpecField> starting = analysis.Optional("startingStep");
    if (run.checks.empty()) {
      if (starting) ctx_.NoEffect(*starting, "the background analysis has nothing simulated");
      ctx_.NotSimulated(analysis, "background analysis (" + run.label +
                                      ") has no simulated metric: no automated checks");
      return;
    }
    DraftNode& health = ctx_.policy().Child("health");
    int start_stage = 0;
    if (starting) {
      const int64_t k = starting->Int();
      const auto steps = canary_.Optional("steps");
      const int64_t n = steps ? static_cast<int64_t>(steps->Items().size()) : 0;
      if (k < 0 || k >= std::max<int64_t>(n, 1))
        starting->Fail(starting->path() + ": expected a step index in [0, " +
                       std::to_string(std::max<int64_t>(n - 1, 0)) + "]");
      if (k > 0) start_stage = StartAt(static_cast<size_t>(k), *starting, run);
    }
    WriteArgoHealth(run, health, "health", ctx_);
    if (start_stage > 0) {
      ctx_.Map(health, "health.start_at_step", "start_at_step", std::to_string(start_stage),
               *starting,
               "the run begins when stage " + std::to_string(start_stage) + " (Argo step " +
                   std::to_string(starting->Int()) + ") starts");
    }
  }

  // Argo creates the background run when the rollout reaches step k: the fleetsim stage that
  // step belongs to, plus the timed pauses of that stage before step k as an initial delay (or
  // the next stage, when a pause {} of the stage comes before step k: the person's promotion).
  int StartAt(size_t k, const SpecField& starting, ArgoRun& run) {
    const int stage = step_stage_[k];
    size_t first = k;  // the setWeight step that began the stage
    while (first > 0 && step_stage_[first - 1] == stage) --first;
    // After a pause {} of its own stage, step k comes when the person promotes: the next stage.
    if (step_manual_before_[k] && !step_manual_before_[first]) return stage + 1;
    const SimTime within = step_offset_[k] - step_offset_[first];
    if (within > SimTime::Zero()) {
      run.initial_delay_time = run.initial_delay_time + within;
      run.initial_delay = ImportedSetting{
          FormatDuration(run.initial_delay_time), starting,
          "step " + std::to_string(k) + " comes " + FormatDuration(within) +
              " of pauses into its stage; approximated: counted from the stage's start, not "
              "from when its weight was reached",
          true};
    }
    return std::max(stage, 0);
  }

  const SpecField& canary_;
  const ArgoTemplateSet& templates_;
  ImportContext& ctx_;
  std::vector<Stage> stages_;
  std::vector<int> step_stage_;
  std::vector<SimTime> step_offset_;  // pause time before each step
  std::vector<bool> step_manual_before_;
  SimTime elapsed_;
  bool manual_seen_ = false;
};

class BlueGreenImport {
 public:
  BlueGreenImport(const SpecField& bg, const ArgoTemplateSet& templates, ImportContext& ctx)
      : bg_(bg), templates_(templates), ctx_(ctx) {}

  void Run() {
    bg_.RequireKnownKeys({"activeService", "previewService", "previewReplicaCount",
                          "autoPromotionEnabled", "autoPromotionSeconds", "maxUnavailable",
                          "scaleDownDelaySeconds", "scaleDownDelayRevisionLimit",
                          "prePromotionAnalysis", "antiAffinity", "postPromotionAnalysis",
                          "previewMetadata", "activeMetadata", "abortScaleDownDelaySeconds"},
                         kVendor);
    auto none = [&](const char* key, const std::string& why) {
      if (auto f = bg_.Optional(key)) ctx_.NoEffect(*f, why);
    };
    none("activeService", "the Service that takes production traffic");
    none("previewService", "the Service of the new version before promotion");
    none("previewReplicaCount", "pods of the preview stack: capacity is not modelled");
    none("maxUnavailable", "pods of the new stack down at once while it comes up");
    none("scaleDownDelayRevisionLimit", "old ReplicaSets kept scaled");
    none("antiAffinity", "pod placement");
    none("previewMetadata", "labels on preview pods");
    none("activeMetadata", "labels on active pods");
    none("abortScaleDownDelaySeconds", "new pods kept after an abort switched traffic back");
    DraftNode& rollout = ctx_.policy().Child("rollout");
    ctx_.Map(rollout, "rollout.kind", "kind", "blue_green", bg_,
             "a parallel stack with no production traffic, then one switch");
    SimTime auto_wait;
    std::optional<SpecField> auto_wait_from;
    if (auto f = bg_.Optional("autoPromotionEnabled")) {
      ctx_.Map(rollout, "rollout.auto_promotion", "auto_promotion", f->Bool() ? "true" : "false",
               *f, f->Bool() ? "" : "a person promotes (kubectl argo rollouts promote)");
    }
    if (auto f = bg_.Optional("autoPromotionSeconds")) {
      auto_wait = SimTime::Seconds(f->Int());
      auto_wait_from = f;
    }
    if (auto pre = bg_.Optional("prePromotionAnalysis")) {
      ArgoRun run = ImportArgoAnalysis(*pre, templates_, ctx_);
      if (run.until_stopped && !run.checks.empty())
        pre->Fail(pre->path() + ": a pre-promotion analysis without count never completes");
      ctx_.NotSimulated(*pre,
                        "prePromotionAnalysis judges the preview stack, which serves no "
                        "production traffic in fleetsim; the promotion waits for its run (" +
                            FormatDuration(run.duration) + ")");
      if (run.duration > auto_wait) {
        auto_wait = run.duration;
        auto_wait_from = pre;
      }
    }
    if (auto_wait_from) {
      ctx_.Map(rollout, "rollout.auto_promotion_seconds", "auto_promotion_seconds",
               FormatDuration(auto_wait), *auto_wait_from,
               auto_wait_from->path().find("prePromotion") != std::string::npos
                   ? "the promotion waits for the pre-promotion run"
                   : "");
    }
    if (auto post = bg_.Optional("postPromotionAnalysis")) {
      ArgoRun run = ImportArgoAnalysis(*post, templates_, ctx_);
      if (run.until_stopped)
        post->Fail(post->path() + ": a post-promotion analysis without count never completes");
      if (run.checks.empty()) {
        ctx_.NotSimulated(*post, "postPromotionAnalysis (" + run.label +
                                     ") has no simulated metric; its run is waited for");
        ctx_.Map(rollout, "rollout.post_promotion_bake", "post_promotion_bake",
                 FormatDuration(run.duration), *post, "the time its run takes");
      } else {
        // fleetsim's verdicts come at interval, 2 x interval, ...: count verdicts take
        // initial_delay + count x interval.
        const SimTime bake =
            run.initial_delay_time + SimTime::Millis(run.interval_time.millis() * run.count_value);
        ctx_.Map(rollout, "rollout.post_promotion_bake", "post_promotion_bake",
                 FormatDuration(bake), *post,
                 "the old stack is kept (instant switch back) while the run's " +
                     std::to_string(run.count_value) + " measurements are taken");
        DraftNode& health = ctx_.policy().Child("health");
        WriteArgoHealth(run, health, "health", ctx_);
        ctx_.Map(health, "health.start_at_step", "start_at_step", "1", *post,
                 "the run begins at the switch (blue_green's step 1, active), as Argo starts "
                 "it after promotion");
        ctx_.Derived(health, "health.run", "run", "per_step",
                     "the rollout completes only once the post-promotion run succeeded",
                     post->Where());
      }
    }
    if (auto f = bg_.Optional("scaleDownDelaySeconds")) {
      ctx_.Map(rollout, "rollout.scale_down_delay", "scale_down_delay",
               FormatDuration(SimTime::Seconds(f->Int())), *f);
    } else {
      ctx_.Default(rollout, "rollout.scale_down_delay", "scale_down_delay", "30s",
                   "Argo's default scaleDownDelaySeconds");
    }
  }

 private:
  const SpecField& bg_;
  const ArgoTemplateSet& templates_;
  ImportContext& ctx_;
};

}  // namespace

std::string ImportArgoRollout(const SpecDocument& rollout, const ArgoTemplateSet& templates,
                              ImportContext& ctx) {
  const SpecField root(rollout.root, "");
  root.RequireKnownKeys({"apiVersion", "kind", "metadata", "spec", "status"}, kVendor);
  const SpecField metadata = root.Required("metadata");
  const std::string name = metadata.Required("name").String();
  ctx.NoEffect(metadata, "object metadata (name " + name + " becomes the policy's name)");
  NoEffectMetadata(root, ctx);
  // Paths inside the document read "spec.strategy..." (without a leading dot).
  const SpecField spec(root.Required("spec").config(), "spec");
  if (spec.IsNull()) spec.Fail("spec: the Rollout has no spec");
  SpecFields(spec, ctx);
  const SpecField strategy = spec.Required("strategy");
  strategy.RequireKnownKeys({"canary", "blueGreen"}, kVendor);
  const bool canary = strategy.Has("canary");
  if (canary == strategy.Has("blueGreen"))
    strategy.Fail("spec.strategy: expected exactly one of canary or blueGreen");
  if (canary) {
    const SpecField c = strategy.Required("canary");
    CanaryImport(c.IsNull() ? SpecField(c.config(), c.path()) : c, templates, ctx).Run();
  } else {
    BlueGreenImport(strategy.Required("blueGreen"), templates, ctx).Run();
  }
  return name;
}

}  // namespace fleetsim::import
