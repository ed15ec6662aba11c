// The --verbose account of an ExecutePlan run (rank 0): per rank its threads, replicas, chunks,
// busy time and utilisation, and the encoded results it sent; then the totals: replicas
// resumed from a checkpoint, bytes per replica that crossed ranks, and the wall time. For
// load-balance diagnosis and the scaling figures of docs/performance.md. Pure function.
#pragma once

#include <string>

#include "analysis/plan_executor.h"

namespace fleetsim {

std::string RenderExecutionStats(const PlanResults& results);

}  // namespace fleetsim
