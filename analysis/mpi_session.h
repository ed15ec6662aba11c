// MpiSession: this process as one rank of an MPI job (Boost.MPI over Open MPI).
//
// Built only with the CMake option FLEETSIM_MPI (on by default when Boost.MPI and an MPI
// implementation are found; compile definition FLEETSIM_HAVE_MPI). main() starts one session
// when the process was launched by an MPI launcher (LauncherRanks > 0) and passes it to the
// commands; its transport carries ExecutePlan's messages. Without MPI support, Available() is
// false and Start returns null: the commands then run in this process alone, and main()
// refuses to run as one of several launched copies (NotBuiltWithMpiMessage), which would
// otherwise each run the whole job and write the same files.
//
// MPI is initialised at MPI_THREAD_FUNNELED: the replica threads never call MPI, only the
// thread that created the session does (through transport()). Abort ends every rank of the job
// (MPI_Abort). The destructor finalises MPI. One session per process, owned by main().
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "analysis/transport.h"

namespace fleetsim {

// World size announced by an MPI launcher in the environment (Open MPI's
// OMPI_COMM_WORLD_SIZE, PMI_SIZE of MPICH, Intel MPI and srun --mpi=pmi2, PMIX_SIZE,
// MV2_COMM_WORLD_SIZE), or 0 when not launched by one. `getenv` is injectable for tests.
int LauncherRanks(const std::function<const char*(const char*)>& getenv);

// What a fleetsim without MPI support says when launched as `ranks` copies.
std::string NotBuiltWithMpiMessage(int ranks);

class MpiSession {
 public:
  static bool Available();  // built with MPI support
  // Initialises MPI; null when not built with MPI support.
  static std::unique_ptr<MpiSession> Start(int& argc, char**& argv);
  ~MpiSession();

  int rank() const;
  int size() const;
  Transport& transport();
  [[noreturn]] void Abort(int exit_code);

 private:
  struct Impl;
  explicit MpiSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fleetsim
