#include "import/mapping_report.h"

#include <algorithm>

namespace fleetsim::import {

const char* DispositionName(Disposition d) {
  switch (d) {
    case Disposition::kMapped:
      return "mapped";
    case Disposition::kDefault:
      return "default";
    case Disposition::kApproximated:
      return "approximated";
    case Disposition::kNoEffect:
      return "no effect";
    case Disposition::kNotSimulated:
      return "not simulated";
  }
  return "?";
}

size_t MappingReport::Count(Disposition d) const {
  return static_cast<size_t>(std::count_if(
      rows_.begin(), rows_.end(), [d](const MappingRow& r) { return r.disposition == d; }));
}

namespace {

// "dir/file.yaml:12:5" -> "file.yaml:12:5": the table stays narrow; errors keep full paths.
std::string Short(const std::string& where) {
  const size_t last = where.rfind(':');
  if (last == std::string::npos || last == 0) return where;
  const size_t mid = where.rfind(':', last - 1);
  if (mid == std::string::npos) return where;
  const std::string file = where.substr(0, mid);
  const size_t slash = file.find_last_of('/');
  return (slash == std::string::npos ? file : file.substr(slash + 1)) + where.substr(mid);
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

// Line-wraps nothing: the table is meant for wide terminals and for grep.
void Section(std::string& out, const std::vector<MappingRow>& rows, Disposition d,
             const char* title) {
  bool any = false;
  for (const MappingRow& r : rows) {
    if (r.disposition != d) continue;
    if (!any) out += std::string("\n") + title + "\n";
    any = true;
    out += "  " + r.source;
    if (!r.where.empty()) out += " (" + Short(r.where) + ")";
    if (!r.key.empty()) out += " -> " + r.key + " = " + r.value;
    out += ": " + r.note + "\n";
  }
}

}  // namespace

std::string MappingReport::Table() const {
  size_t w_source = 12, w_where = 5, w_key = 12;
  for (const MappingRow& r : rows_) {
    if (r.key.empty()) continue;
    w_source = std::max(w_source, r.source.size());
    w_where = std::max(w_where, Short(r.where).size());
    w_key = std::max(w_key, r.key.size());
  }
  std::string out = Pad("source field", w_source) + "  " + Pad("where", w_where) + "  " +
                    Pad("fleetsim key", w_key) + "  value\n";
  for (const MappingRow& r : rows_) {
    if (r.key.empty()) continue;
    out += Pad(r.source, w_source) + "  " + Pad(r.where.empty() ? "-" : Short(r.where), w_where) +
           "  " + Pad(r.key, w_key) + "  " + r.value;
    if (r.disposition == Disposition::kApproximated) out += "  (approximated, see below)";
    if (r.disposition != Disposition::kApproximated && !r.note.empty()) out += "  (" + r.note + ")";
    out += "\n";
  }
  Section(out, rows_, Disposition::kApproximated,
          "approximated (the simulation differs from the vendor here):");
  Section(out, rows_, Disposition::kNoEffect, "no effect in simulation:");
  Section(out, rows_, Disposition::kNotSimulated, "cannot be simulated:");
  return out;
}

}  // namespace fleetsim::import
