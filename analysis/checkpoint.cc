#include "analysis/checkpoint.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace fleetsim {

namespace fs = std::filesystem;

Result<std::unique_ptr<Checkpoint>> Checkpoint::Open(const std::string& dir,
                                                     const RunIdentity& identity,
                                                     const Invocation& invocation, int64_t items) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return Status::Error("--checkpoint " + dir + ": cannot create the directory" +
                         (ec ? ": " + ec.message() : ""));
  }
  std::unique_ptr<Checkpoint> c(new Checkpoint());
  c->dir_ = dir;
  c->identity_ = identity;
  c->invocation_ = invocation;
  std::vector<std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("results-") && name.ends_with(".part")) files.push_back(e.path());
    // A write cut short by a kill (atomic_file.h): never renamed into place, so never read.
    if (name.starts_with("results-") && name.find(".part.tmp.") != std::string::npos) {
      std::error_code ignored;
      fs::remove(e.path(), ignored);
    }
  }
  if (ec) return Status::Error("--checkpoint " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<ResultRecord> records;
  for (const std::string& f : files) {
    Result<ResultPart> part = ReadPartFile(f);
    if (!part.ok()) {
      c->warnings_.push_back(part.status().message() + " (skipped; its replicas run again)");
      continue;
    }
    const std::string difference = part.value().identity.Difference(identity);
    if (part.value().kind != PartKind::kCheckpoint || !difference.empty()) {
      return Status::Error(
          "--checkpoint " + dir + " holds results of another run (" + f + ": " +
          (difference.empty() ? "a shard part, not a checkpoint" : difference) +
          "); use an empty or new directory for this run, or delete that one to start over");
    }
    for (ResultRecord& r : part.value().records) {
      if (r.item >= items) {
        return Status::Error(f + ": item " + std::to_string(r.item) + " beyond the run's " +
                             std::to_string(items) + " replicas");
      }
      records.push_back(std::move(r));
    }
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const ResultRecord& a, const ResultRecord& b) { return a.item < b.item; });
  for (ResultRecord& r : records) {
    if (!c->resumed_.empty() && c->resumed_.back().item == r.item) continue;  // same bytes
    c->resumed_.push_back(std::move(r));
  }
  return c;
}

void Checkpoint::Add(int64_t item, std::string payload) {
  pending_.push_back(ResultRecord{item, std::move(payload)});
}

bool Checkpoint::FlushDue(std::chrono::steady_clock::duration interval) const {
  return !pending_.empty() && std::chrono::steady_clock::now() - last_flush_ >= interval;
}

Status Checkpoint::Flush() {
  last_flush_ = std::chrono::steady_clock::now();
  if (pending_.empty()) return Status::Ok();
  std::sort(pending_.begin(), pending_.end(),
            [](const ResultRecord& a, const ResultRecord& b) { return a.item < b.item; });
  ResultPart part;
  part.kind = PartKind::kCheckpoint;
  part.identity = identity_;
  part.invocation = invocation_;
  part.records = std::move(pending_);
  pending_.clear();
  std::string path;
  std::error_code ec;
  do {
    path = (fs::path(dir_) / ("results-" + std::to_string(::getpid()) + "-" +
                              std::to_string(next_file_++) + ".part"))
               .string();
  } while (fs::exists(path, ec));
  Status st = WritePartFile(path, part);
  if (!st.ok()) return Status::Error("--checkpoint: " + st.message());
  return Status::Ok();
}

}  // namespace fleetsim
