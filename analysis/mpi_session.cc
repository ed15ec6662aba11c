#include "analysis/mpi_session.h"

#include <cstdlib>
#include <string_view>

#ifdef FLEETSIM_HAVE_MPI
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/status.hpp>
#endif

namespace fleetsim {

int LauncherRanks(const std::function<const char*(const char*)>& getenv) {
  for (const char* name :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MV2_COMM_WORLD_SIZE"}) {
    const char* value = getenv(name);
    if (value == nullptr || *value == '\0') continue;
    char* end = nullptr;
    const long n = std::strtol(value, &end, 10);
    if (*end == '\0' && n > 0 && n < (1 << 24)) return static_cast<int>(n);
  }
  return 0;
}

std::string NotBuiltWithMpiMessage(int ranks) {
  return "this fleetsim was built without MPI support, but was launched as one of " +
         std::to_string(ranks) +
         " processes (mpirun/srun): each would run the whole job and write the same files. "
         "Rebuild with MPI (Debian: libboost-mpi-dev openmpi-bin, then cmake "
         "-DFLEETSIM_MPI=ON), run it as one process, or split the work with --shard I/N and "
         "fleetsim merge";
}

#ifdef FLEETSIM_HAVE_MPI

namespace {

class MpiTransport : public Transport {
 public:
  int rank() const override { return world_.rank(); }
  int size() const override { return world_.size(); }
  void Send(int dest, int tag, std::string_view bytes) override {
    world_.send(dest, tag, bytes.data(), static_cast<int>(bytes.size()));
  }
  std::optional<Message> Poll() override {
    boost::optional<boost::mpi::status> st = world_.iprobe();
    if (!st) return std::nullopt;
    Message m;
    m.source = st->source();
    m.tag = st->tag();
    m.bytes.resize(static_cast<size_t>(st->count<char>().value_or(0)));
    world_.recv(m.source, m.tag, m.bytes.data(), static_cast<int>(m.bytes.size()));
    return m;
  }

 private:
  boost::mpi::communicator world_;
};

}  // namespace

struct MpiSession::Impl {
  Impl(int& argc, char**& argv) : env(argc, argv, boost::mpi::threading::funneled, true) {}
  boost::mpi::environment env;
  MpiTransport transport;
};

bool MpiSession::Available() { return true; }

std::unique_ptr<MpiSession> MpiSession::Start(int& argc, char**& argv) {
  return std::unique_ptr<MpiSession>(new MpiSession(std::make_unique<Impl>(argc, argv)));
}

int MpiSession::rank() const { return impl_->transport.rank(); }
int MpiSession::size() const { return impl_->transport.size(); }
Transport& MpiSession::transport() { return impl_->transport; }
void MpiSession::Abort(int exit_code) {
  boost::mpi::environment::abort(exit_code);
  std::abort();  // not reached: MPI_Abort does not return
}

#else  // built without MPI

struct MpiSession::Impl {};

bool MpiSession::Available() { return false; }
std::unique_ptr<MpiSession> MpiSession::Start(int&, char**&) { return nullptr; }
int MpiSession::rank() const { return 0; }
int MpiSession::size() const { return 1; }
Transport& MpiSession::transport() { std::abort(); }
void MpiSession::Abort(int exit_code) { std::exit(exit_code); }

#endif

MpiSession::MpiSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MpiSession::~MpiSession() = default;

}  // namespace fleetsim
