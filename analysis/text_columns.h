// Plain-text columns for terminal reports (the outage replay and the seed-robustness tables).
// TextColumns(rows): each row on its own line, indented by two spaces, cells left-aligned in
// columns separated by two spaces, trailing spaces trimmed; rows may have different lengths
// (a column is as wide as its widest cell). Pure function, no state.
#pragma once

#include <string>
#include <vector>

namespace fleetsim {

std::string TextColumns(const std::vector<std::vector<std::string>>& rows);

}  // namespace fleetsim
