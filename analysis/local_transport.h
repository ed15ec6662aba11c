// LocalTransports: N ranks as threads of one process, connected by in-memory mailboxes. The
// executor's protocol (plan_executor.h) runs over them exactly as over MPI, so tests check
// distribution, chunking and reduction without mpirun. Each endpoint is used by one thread;
// Send and Poll on different endpoints may run concurrently (one mutex guards the mailboxes).
#pragma once

#include <memory>
#include <vector>

#include "analysis/transport.h"

namespace fleetsim {

std::vector<std::unique_ptr<Transport>> LocalTransports(int ranks);

}  // namespace fleetsim
