// Implementation of cli/interrupt.h with sigaction(2).
#include "cli/interrupt.h"

#include <signal.h>

namespace fleetsim::cli {
namespace {

static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the signal handler may only touch lock-free atomics");

// Process-wide by necessity (see the header); constant-initialised, so no guard runs.
constinit std::atomic<bool> interrupted{false};
constinit std::atomic<int> interrupt_signal{0};

extern "C" void OnInterrupt(int signal) {
  interrupt_signal.store(signal, std::memory_order_relaxed);
  interrupted.store(true, std::memory_order_release);
}

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action = {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<bool>* InterruptRequested() { return &interrupted; }

int InterruptSignal() { return interrupt_signal.load(std::memory_order_relaxed); }

int PendingInterrupt() {
  return interrupted.load(std::memory_order_acquire) ? InterruptSignal() : 0;
}

int InterruptExitCode() { return 128 + InterruptSignal(); }

std::string InterruptSignalName() {
  switch (InterruptSignal()) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "signal " + std::to_string(InterruptSignal());
  }
}

}  // namespace fleetsim::cli
