// Plain text for terminal reports (the outage replay and the seed-robustness tables).
// MinutesText(t): a time in minutes, whole when whole ("27"), else one decimal ("26.5"), with a
// "-" before T+0 ("-1440"). TextColumns(rows): each row on its own line, indented by two spaces,
// cells left-aligned in columns separated by two spaces, trailing spaces trimmed; rows may have
// different lengths (a column is as wide as its widest cell). Pure functions, no state.
#pragma once

#include <string>
#include <vector>

#include "sim/sim_time.h"

namespace fleetsim {

std::string MinutesText(SimTime t);

std::string TextColumns(const std::vector<std::vector<std::string>>& rows);

}  // namespace fleetsim
