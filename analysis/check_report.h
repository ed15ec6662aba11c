// Rendering of `fleetsim check` results: a terminal table (metric / baseline / now / delta /
// verdict) and JUnit XML that CI systems display (one testcase per baseline and metric).
#pragma once

#include <string>
#include <vector>

#include "analysis/baseline.h"

namespace fleetsim {

std::string RenderCheckTable(const std::vector<BaselineCheck>& checks);
std::string RenderJUnit(const std::vector<BaselineCheck>& checks);

}  // namespace fleetsim
