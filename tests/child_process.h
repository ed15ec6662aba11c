// ChildProcess: runs the fleetsim executable (or any program) as a child process under limits,
// for the tests that treat it as a black box: the malformed-input battery (exit code, output,
// time, peak memory, death by signal) and the interruption tests (a signal sent mid-run).
//
// The child runs `argv` directly (no shell) in `dir`, with stdout and stderr captured together
// through a pipe that the parent drains while waiting (so a chatty child never blocks). Limits:
// an address-space rlimit (a runaway allocation fails in the child instead of exhausting the
// machine; not with AddressSanitizer, whose shadow memory needs terabytes of address space)
// and a wall-clock timeout after which the child is killed with SIGKILL. Peak memory is the
// child's maximum resident set (wait4's ru_maxrss). Not thread-safe; one object per child.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace fleetsim::testing {

struct ChildLimits {
  double timeout_seconds = 10;
  long address_space_mb = 0;  // 0 = no limit (always none under AddressSanitizer)
};

struct ChildResult {
  int exit_code = -1;      // exit status, or -1 when a signal ended the child
  int signal = 0;          // the signal that ended the child, or 0
  bool timed_out = false;  // killed by the timeout
  double seconds = 0;      // wall time from start to exit
  long max_rss_kb = 0;     // peak resident memory
  double cpu_seconds = 0;  // user + system time of the child
  std::string output;      // stdout and stderr, interleaved
};

// True when this test binary was built with AddressSanitizer or ThreadSanitizer (timings and
// memory figures of the children are then meaningless, and rlimits on address space break them).
bool BuiltWithSanitizer();

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // kills and reaps a child still running

  // Starts argv[0] with arguments argv[1..] in directory `dir`. False if it could not start.
  bool Start(const std::vector<std::string>& argv, const std::string& dir,
             const ChildLimits& limits);
  pid_t pid() const { return pid_; }
  // Sends `signal` to the child.
  void Signal(int signal);
  // Reads output until `text` has appeared or `seconds` have passed; true if it appeared.
  bool WaitForOutput(const std::string& text, double seconds);
  // Waits for the child to exit (killing it at the timeout) and returns what happened.
  ChildResult Wait();

 private:
  void Drain(int timeout_ms);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  double started_ = 0;
  ChildLimits limits_;
  std::string output_;
};

// Runs FLEETSIM_BINARY with `args` in FLEETSIM_SOURCE_DIR under `limits`.
ChildResult RunFleetsimLimited(const std::vector<std::string>& args, const ChildLimits& limits);

}  // namespace fleetsim::testing
