// An outage replayed on many seeds: see seed_replay.h.
#include "analysis/seed_replay.h"
#include "analysis/text_columns.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fleetsim {
namespace {

using nlohmann::ordered_json;

constexpr size_t kMaxSeeds = 10'000;

Result<uint64_t> ParseSeed(const std::string& text, const std::string& whole) {
  const auto bad = [&] {
    return Status::Error("--seeds '" + whole +
                         "': expected seeds like 1-20, 7 or 1,4,9 (positive whole numbers)");
  };
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return bad();
  if (text.size() > 19) return bad();
  const uint64_t v = std::stoull(text);
  if (v == 0) return bad();
  return v;
}

std::string TPlus(const std::optional<SimTime>& t) {
  if (!t) return "-";
  return (*t < SimTime::Zero() ? "T" : "T+") + MinutesText(*t);
}

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * fraction);
  return buf;
}

ordered_json MinutesJson(const std::optional<SimTime>& t) {
  return t ? ordered_json(t->minutes()) : ordered_json(nullptr);
}

// The scenario's outage block, or `empty`.
const OutageSpec& SpecOf(const Scenario& scenario, const OutageSpec& empty) {
  return scenario.outage ? *scenario.outage : empty;
}

}  // namespace

Result<std::vector<uint64_t>> ParseSeeds(const std::string& text) {
  std::vector<uint64_t> seeds;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const size_t dash = part.find('-');
    Result<uint64_t> first = ParseSeed(part.substr(0, dash), text);
    if (!first.ok()) return first.status();
    uint64_t last = first.value();
    if (dash != std::string::npos) {
      Result<uint64_t> end = ParseSeed(part.substr(dash + 1), text);
      if (!end.ok()) return end.status();
      last = end.value();
      if (last < first.value())
        return Status::Error("--seeds '" + text + "': a range goes up (e.g. 1-20)");
    }
    if (last - first.value() >= kMaxSeeds - seeds.size())
      return Status::Error("--seeds '" + text + "': at most 10000 seeds");
    for (uint64_t s = first.value(); s <= last; ++s) seeds.push_back(s);
  }
  if (seeds.empty() || text.back() == ',')
    return Status::Error("--seeds '" + text + "': expected seeds like 1-20, 7 or 1,4,9");
  return seeds;
}

SeedReplay ReplaySeeds(const Scenario& scenario, const std::vector<Policy>& policies,
                       const std::vector<uint64_t>& seeds, const std::vector<bool>& stage_pushes) {
  SeedReplay out;
  out.scenario = &scenario;
  out.seeds = seeds;
  const OutageSpec empty;
  const OutageSpec& spec = SpecOf(scenario, empty);
  // times[run][moment]: the T+ of every seed in which it happened.
  std::vector<std::array<std::vector<SimTime>, kOutageMomentCount>> times(policies.size());
  out.runs.resize(policies.size());
  for (uint64_t seed : seeds) {
    const OutageReplay replay = ReplayOutage(scenario, policies, seed, stage_pushes);
    for (size_t i = 0; i < replay.runs.size(); ++i) {
      const ReplayRun& run = replay.runs[i];
      SeedReplayRun& r = out.runs[i];
      r.name = run.Name();
      r.counterfactual = run.counterfactual;
      const double peak = run.outcome.peak_exposed_fraction;
      r.peak_exposed_min = std::min(r.peak_exposed_min.value_or(peak), peak);
      r.peak_exposed_max = std::max(r.peak_exposed_max.value_or(peak), peak);
      for (int m = 0; m < kOutageMomentCount; ++m) {
        const ReplayMoment& moment = run.moments[static_cast<size_t>(m)];
        if (!moment.at) continue;
        times[i][static_cast<size_t>(m)].push_back(*moment.at);
        MomentSpread& s = r.moments[static_cast<size_t>(m)];
        ++s.happened;
        const std::optional<PublishedTime>& published =
            spec.Published(static_cast<OutageMoment>(m));
        if (!run.counterfactual && published && published->Within(*moment.at)) ++s.within;
      }
    }
  }
  for (size_t i = 0; i < out.runs.size(); ++i) {
    for (size_t m = 0; m < kOutageMomentCount; ++m) {
      std::vector<SimTime>& t = times[i][m];
      if (t.empty()) continue;
      std::sort(t.begin(), t.end());
      MomentSpread& s = out.runs[i].moments[m];
      s.min = t.front();
      s.median = t[(t.size() - 1) / 2];
      s.max = t.back();
    }
  }
  return out;
}

std::string RenderSeedReplayText(const SeedReplay& replay) {
  const Scenario& scenario = *replay.scenario;
  const OutageSpec empty;
  const OutageSpec& spec = SpecOf(scenario, empty);
  const int n = static_cast<int>(replay.seeds.size());
  std::string out = "replay of " + scenario.name + " on " + std::to_string(n) + " seed" +
                    (n == 1 ? "" : "s") + " (" + std::to_string(replay.seeds.front()) + " ... " +
                    std::to_string(replay.seeds.back()) + "), replica 0 of each\n";
  for (const SeedReplayRun& run : replay.runs) {
    out += "\n" + std::string(run.counterfactual ? "counterfactual: " : "policy of the day: ") +
           run.name + "\n";
    std::vector<std::vector<std::string>> rows;
    rows.push_back(run.counterfactual
                       ? std::vector<std::string>{"moment", "happened", "min", "median", "max"}
                       : std::vector<std::string>{"moment", "published", "within tolerance",
                                                  "happened", "min", "median", "max"});
    for (int m = 0; m < kOutageMomentCount; ++m) {
      const auto moment = static_cast<OutageMoment>(m);
      const MomentSpread& s = run.Moment(moment);
      const std::string happened = std::to_string(s.happened) + "/" + std::to_string(n);
      if (run.counterfactual) {
        rows.push_back(
            {OutageMomentKey(moment), happened, TPlus(s.min), TPlus(s.median), TPlus(s.max)});
        continue;
      }
      const std::optional<PublishedTime>& p = spec.Published(moment);
      rows.push_back({OutageMomentKey(moment),
                      p ? TPlus(p->at) + " +/- " + MinutesText(p->tolerance) : std::string("-"),
                      p ? std::to_string(s.within) + "/" + std::to_string(n) + " (" +
                              Percent(static_cast<double>(s.within) / n) + ")"
                        : std::string("-"),
                      happened, TPlus(s.min), TPlus(s.median), TPlus(s.max)});
    }
    out += TextColumns(rows);
    if (run.peak_exposed_min) {
      out += "  peak exposed fraction: " + Percent(*run.peak_exposed_min) + " ... " +
             Percent(*run.peak_exposed_max) + "\n";
    }
  }
  return out;
}

std::string RenderSeedReplayJson(const SeedReplay& replay) {
  const OutageSpec empty;
  const OutageSpec& spec = SpecOf(*replay.scenario, empty);
  ordered_json j;
  j["schema_version"] = 1;
  j["tool"] = "fleetsim";
  j["report"] = "replay_seeds";
  j["scenario"] = replay.scenario->name;
  j["seeds"] = replay.seeds;
  ordered_json runs = ordered_json::array();
  for (const SeedReplayRun& run : replay.runs) {
    ordered_json moments = ordered_json::object();
    for (int m = 0; m < kOutageMomentCount; ++m) {
      const auto moment = static_cast<OutageMoment>(m);
      const MomentSpread& s = run.Moment(moment);
      ordered_json o{{"happened", s.happened},
                     {"min", MinutesJson(s.min)},
                     {"median", MinutesJson(s.median)},
                     {"max", MinutesJson(s.max)}};
      if (const std::optional<PublishedTime>& p = spec.Published(moment);
          p && !run.counterfactual) {
        o["published"] = p->at.minutes();
        o["tolerance"] = p->tolerance.minutes();
        o["within"] = s.within;
        o["within_share"] =
            static_cast<double>(s.within) / static_cast<double>(replay.seeds.size());
      }
      moments[OutageMomentKey(moment)] = o;
    }
    runs.push_back(ordered_json{
        {"policy", run.name},
        {"counterfactual", run.counterfactual},
        {"moments", moments},
        {"peak_exposed_fraction",
         {{"min", run.peak_exposed_min.value_or(0)}, {"max", run.peak_exposed_max.value_or(0)}}}});
  }
  j["runs"] = runs;
  return j.dump(2) + "\n";
}

}  // namespace fleetsim
