// Transport: byte messages between the ranks of one run (plan_executor.h).
//
// Two implementations: MpiSession's (mpi_session.h: Boost.MPI over Open MPI, one rank per
// process) and LocalTransports (local_transport.h: ranks as threads of one process, for tests).
// Messages between a pair of ranks arrive in the order they were sent (MPI's non-overtaking
// rule); Poll never blocks, so the caller can keep computing, serving and watching for signals.
// A transport is used by one thread of its rank (MPI_THREAD_FUNNELED).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fleetsim {

struct Message {
  int source = 0;
  int tag = 0;
  std::string bytes;
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Delivers `bytes` to rank `dest` under `tag` (may wait until the receiver takes it).
  virtual void Send(int dest, int tag, std::string_view bytes) = 0;
  // The next message for this rank from any rank, if one has arrived.
  virtual std::optional<Message> Poll() = 0;
};

}  // namespace fleetsim
