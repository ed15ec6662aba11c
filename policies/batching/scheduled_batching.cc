// scheduled: release trains (Conveyor's daily or weekly schedules). Trains leave at
// at + k x period (k = 0, 1, ...; time 0 is the scenario's start weekday 00:00 UTC) and carry
// every commit that was ready when the train left (at most max_commits). At most one train per
// departure: a train that failed waits for the next departure.
#include <algorithm>

#include "policies/batching/batching_registry.h"

namespace fleetsim {
namespace {

class Scheduled : public BatchingPolicy {
 public:
  struct Params {
    SimTime period = SimTime::Days(1);  // time between trains
    SimTime at = SimTime::Hours(10);    // first departure
    int64_t max_commits = 0;            // 0 = no cap
    PipelineOptions pipeline;
  };
  explicit Scheduled(Params p) : BatchingPolicy(p.pipeline), params_(p) {}
  std::string_view Kind() const override { return "scheduled"; }
  BatchDecision Decide(const BatchingContext& c) const override {
    if (c.now < params_.at) return BatchDecision{0, params_.at};
    const int64_t k = (c.now - params_.at).millis() / params_.period.millis();
    const SimTime departure = params_.at + params_.period * k;
    const SimTime next = departure + params_.period;
    if (c.last_release_start && *c.last_release_start >= departure) return BatchDecision{0, next};
    int64_t take = 0;
    while (take < static_cast<int64_t>(c.queue.size()) &&
           c.queue[static_cast<size_t>(take)].ready <= departure)
      ++take;
    if (params_.max_commits > 0) take = std::min(take, params_.max_commits);
    return BatchDecision{take, next};
  }

 private:
  Params params_;
};

Scheduled::Params ReadScheduled(YamlMap& m) {
  Scheduled::Params p;
  p.period = m.Duration("period", p.period);
  if (p.period <= SimTime::Zero())
    m.Required("period").Fail("batching.period: expected a positive duration");
  p.at = m.Duration("at", p.at);
  p.max_commits = m.Int("max_commits", p.max_commits);
  m.RequireRange("max_commits", static_cast<double>(p.max_commits), 0, 1e9);
  p.pipeline = ParsePipelineOptions(m);
  return p;
}

KindDef<BatchingPolicy, Scheduled::Params> ScheduledKind() {
  using P = Scheduled::Params;
  return {.summary =
              "Release trains (Conveyor daily/weekly schedules): every commit ready at "
              "departure, one train per departure.",
          .params = {Param("period", "duration", &P::period,
                           "time between trains (1d daily, 7d weekly)"),
                     Param("at", "duration", &P::at,
                           "first departure, from the run's start (start weekday 00:00 UTC)"),
                     Param("max_commits", "integer", &P::max_commits,
                           "cap on commits per train (0 = none)")},
          .example = "{kind: scheduled, period: 7d, at: 1d10h}",
          .read = ReadScheduled,
          .make = New<Scheduled>{}};
}

}  // namespace

FLEETSIM_REGISTER_BATCHING_KIND(scheduled, ScheduledKind);

}  // namespace fleetsim
