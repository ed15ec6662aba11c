// Implementation of tests/child_process.h with fork/exec, poll and wait4.
#include "tests/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

namespace fleetsim::testing {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

bool BuiltWithSanitizer() {
#if defined(FLEETSIM_SANITIZED) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
}

bool ChildProcess::Start(const std::vector<std::string>& argv, const std::string& dir,
                         const ChildLimits& limits) {
  limits_ = limits;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  started_ = Now();
  pid_ = ::fork();
  if (pid_ < 0) return false;
  if (pid_ == 0) {
    // The child: only async-signal-safe calls until exec.
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    if (limits.address_space_mb > 0 && !BuiltWithSanitizer()) {
      const rlim_t bytes = static_cast<rlim_t>(limits.address_space_mb) << 20;
      struct rlimit rl = {bytes, bytes};
      ::setrlimit(RLIMIT_AS, &rl);
    }
    struct rlimit no_core = {0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  out_fd_ = fds[0];
  return true;
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

void ChildProcess::Drain(int timeout_ms) {
  if (out_fd_ < 0) return;
  struct pollfd p = {out_fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return;
  char buf[4096];
  const ssize_t n = ::read(out_fd_, buf, sizeof buf);
  if (n > 0) {
    output_.append(buf, static_cast<size_t>(n));
  } else if (n == 0) {
    ::close(out_fd_);  // end of output: the child closed its side (or exited)
    out_fd_ = -1;
  }
}

bool ChildProcess::WaitForOutput(const std::string& text, double seconds) {
  const double deadline = Now() + seconds;
  while (output_.find(text) == std::string::npos) {
    if (Now() > deadline || out_fd_ < 0) return output_.find(text) != std::string::npos;
    Drain(10);
  }
  return true;
}

ChildResult ChildProcess::Wait() {
  ChildResult r;
  int status = 0;
  struct rusage usage;
  std::memset(&usage, 0, sizeof usage);
  while (pid_ > 0) {
    const pid_t done = ::wait4(pid_, &status, WNOHANG, &usage);
    if (done == pid_) break;
    if (Now() - started_ > limits_.timeout_seconds) {
      r.timed_out = true;
      ::kill(pid_, SIGKILL);
      ::wait4(pid_, &status, 0, &usage);
      break;
    }
    if (out_fd_ >= 0)
      Drain(5);
    else
      ::usleep(2000);
  }
  r.seconds = Now() - started_;
  pid_ = -1;
  while (out_fd_ >= 0) Drain(50);  // what the child wrote before it exited
  r.output = output_;
  r.max_rss_kb = usage.ru_maxrss;
  r.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

ChildResult RunFleetsimLimited(const std::vector<std::string>& args, const ChildLimits& limits) {
  std::vector<std::string> argv{FLEETSIM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child;
  if (!child.Start(argv, FLEETSIM_SOURCE_DIR, limits)) return ChildResult{};
  return child.Wait();
}

}  // namespace fleetsim::testing
