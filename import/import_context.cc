#include "import/import_context.h"

#include <algorithm>
#include <filesystem>

namespace fleetsim::import {

bool ImportOptions::IgnoresTemplate(const std::string& name) const {
  return std::find(ignore_templates.begin(), ignore_templates.end(), name) !=
         ignore_templates.end();
}

std::string ImportContext::CommentFor(const SpecField& f) {
  // "file:line:col" -> "file:line", with the file's base name only (comments stay short and
  // carry no directory of the machine the import ran on).
  const std::string where = f.Where();
  std::string file = where, line;
  const size_t last = where.rfind(':');
  if (last != std::string::npos) {
    const size_t mid = where.rfind(':', last - 1);
    if (mid != std::string::npos) {
      file = where.substr(0, mid);
      line = where.substr(mid + 1, last - mid - 1);
    }
  }
  file = std::filesystem::path(file).filename().string();
  return f.path() + " (" + file + (line.empty() ? "" : ":" + line) + ")";
}

void ImportContext::Map(DraftNode& parent, const std::string& path, const std::string& key,
                        const std::string& value, const SpecField& from, const std::string& note) {
  parent.Set(key, value, CommentFor(from) + (note.empty() ? "" : "; " + note), from.Where());
  report_.Add(MappingRow{Disposition::kMapped, from.path(), from.Where(), path, value, note});
}

void ImportContext::Approximate(DraftNode& parent, const std::string& path, const std::string& key,
                                const std::string& value, const SpecField& from,
                                const std::string& note) {
  parent.Set(key, value, CommentFor(from) + "; approximated: " + note, from.Where());
  report_.Add(MappingRow{Disposition::kApproximated, from.path(), from.Where(), path, value, note});
}

void ImportContext::Default(DraftNode& parent, const std::string& path, const std::string& key,
                            const std::string& value, const std::string& what) {
  parent.Set(key, value, what, "");
  report_.Add(MappingRow{Disposition::kDefault, "(default)", "", path, value, what});
}

void ImportContext::Derived(DraftNode& parent, const std::string& path, const std::string& key,
                            const std::string& value, const std::string& comment,
                            const std::string& origin) {
  parent.Set(key, value, comment, origin);
  report_.Add(MappingRow{Disposition::kDefault, "(derived)", origin, path, value, comment});
}

void ImportContext::NoEffect(const SpecField& f, const std::string& note) {
  report_.Add(MappingRow{Disposition::kNoEffect, f.path(), f.Where(), "", "", note});
}

void ImportContext::NotSimulated(const SpecField& f, const std::string& note) {
  report_.Add(MappingRow{Disposition::kNotSimulated, f.path(), f.Where(), "", "", note});
}

void ImportContext::MappedElsewhere(const SpecField& f, const std::string& path,
                                    const std::string& value, const std::string& note) {
  report_.Add(MappingRow{Disposition::kMapped, f.path(), f.Where(), path, value, note});
}

}  // namespace fleetsim::import
