#include "analysis/run_plan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/byte_codec.h"

namespace fleetsim {
namespace {

// "<hash of the file's bytes>", or `otherwise` when `path` is not a readable regular file.
std::string FileHash(const std::string& path, const std::string& otherwise) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec)) return otherwise;
  std::ifstream in(path, std::ios::binary);
  if (!in) return otherwise;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return Hex64(Fnv1a64(bytes.str()));
}

}  // namespace

void RunPlan::Add(PlannedRun run) {
  offsets_.push_back(items() + run.replicas);
  runs_.push_back(std::move(run));
}

RunPlan::Item RunPlan::Locate(int64_t item) const {
  const auto it = std::upper_bound(offsets_.begin(), offsets_.end(), item);
  const auto run = static_cast<uint32_t>(it - offsets_.begin());
  return Item{run, static_cast<uint32_t>(item - Offset(run))};
}

ReplicaResult RunPlan::RunItem(int64_t item) const {
  const Item at = Locate(item);
  const PlannedRun& run = runs_[at.run];
  return RunReplica(*run.scenario, *run.policy, run.seed, at.replica);
}

uint64_t RunIdentity::Digest() const {
  uint64_t h = Fnv1a64(build);
  for (const std::string& r : runs) h = Fnv1a64(r, Fnv1a64("\n", h));
  return h;
}

std::string RunIdentity::Difference(const RunIdentity& other) const {
  if (build != other.build) {
    return "made by another fleetsim build (" + build + ", not " + other.build + ")";
  }
  if (runs.size() != other.runs.size()) {
    return std::to_string(runs.size()) + " runs, not " + std::to_string(other.runs.size());
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    if (runs[i] != other.runs[i]) {
      return "run " + std::to_string(i) + " is '" + runs[i] + "', not '" + other.runs[i] + "'";
    }
  }
  return "";
}

RunIdentity IdentifyPlan(const RunPlan& plan) {
  RunIdentity id;
  id.build = BuildIdentity();
  for (const PlannedRun& r : plan.runs()) {
    id.runs.push_back(r.label + " | scenario " + r.scenario->name + " " +
                      FileHash(r.scenario->file, "(not from a file)") + " | policy " +
                      r.policy->name + " " + FileHash(r.policy->source, "(inline)") + " | seed " +
                      std::to_string(r.seed) + " | replicas " + std::to_string(r.replicas));
  }
  return id;
}

std::string BuildIdentity() {
  return "fleetsim 0.1.0, executable " + FileHash("/proc/self/exe", "unknown");
}

}  // namespace fleetsim
