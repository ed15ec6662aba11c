// Interrupt handling for the fleetsim executable: SIGINT and SIGTERM stop a run cleanly.
//
// InstallInterruptHandlers() makes the first SIGINT or SIGTERM only record which signal came
// (an async-signal-safe store into a lock-free atomic; no work in the handler). The replica loop
// polls InterruptRequested() (RunOptions::cancel) and starts no further replica; the command then
// writes nothing more, says how far it got, and exits 128 + the signal (130 for SIGINT, 143 for
// SIGTERM). Output files are written atomically (analysis/atomic_file.h), so what was there
// before is intact and no temporary file is left. A second signal is not caught (the handler is
// installed with SA_RESETHAND): it ends the process at once, for a user who does not want to wait
// for the running replicas.
//
// This is the one piece of process-wide state in fleetsim: a POSIX signal handler can reach
// nothing else. Thread safety: everything here may be called from any thread.
#pragma once

#include <atomic>
#include <string>

namespace fleetsim::cli {

void InstallInterruptHandlers();

// Becomes true when the first SIGINT or SIGTERM arrives (pass it as RunOptions::cancel).
const std::atomic<bool>* InterruptRequested();

// The signal that arrived, or 0.
int InterruptSignal();

// The signal once InterruptRequested() reads true, else 0: what the coordinating thread of a
// distributed run polls (ExecutionOptions::stop_signal, analysis/plan_executor.h).
int PendingInterrupt();

// The exit code for an interrupted command: 128 + the signal.
int InterruptExitCode();

// "SIGINT" or "SIGTERM".
std::string InterruptSignalName();

}  // namespace fleetsim::cli
