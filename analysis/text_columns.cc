// Plain text for terminal reports: see text_columns.h.
#include "analysis/text_columns.h"

#include <algorithm>
#include <cstdio>

namespace fleetsim {

std::string MinutesText(SimTime t) {
  if (t < SimTime::Zero()) return "-" + MinutesText(SimTime::Zero() - t);
  char buf[32];
  if (t.millis() % 60'000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(t.millis() / 60'000));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", t.minutes());
  }
  return buf;
}

std::string TextColumns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = " ";
    for (size_t c = 0; c < row.size(); ++c) {
      line += " " + row[c];
      if (c + 1 < row.size()) line.append(width[c] - row[c].size() + 1, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace fleetsim
