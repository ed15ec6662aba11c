// Implementation of analysis/atomic_file.h with POSIX calls (open/write/fsync/rename), since
// std::ofstream can neither fsync nor report why a write failed.
#include "analysis/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace fleetsim {
namespace {

// Distinguishes temporary files of concurrent calls within this process.
std::atomic<uint64_t> temp_counter{0};

Status ErrnoError(const std::string& what, const std::string& path, int err) {
  return Status::Error(what + " " + path + ": " + std::strerror(err));
}

// Directory that will hold `path`: "." for a bare file name, "/" for a file in the root.
std::string ParentDir(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Rejects paths that cannot name a regular file.
Status CheckFileName(const std::string& path) {
  if (path.empty()) return Status::Error("cannot write file: empty path");
  if (path.back() == '/') return Status::Error("cannot write " + path + ": names a directory");
  return Status::Ok();
}

// Writes all of `content` to fd, retrying short writes and EINTR. Returns 0 or an errno value.
int WriteAll(int fd, std::string_view content) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

// Creates a fresh temporary file next to `path`; returns its fd (or -1 with errno set).
int CreateTemp(const std::string& path, std::string* temp_path) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    *temp_path = path + ".tmp." + std::to_string(::getpid()) + "." +
                 std::to_string(temp_counter.fetch_add(1));
    const int fd = ::open(temp_path->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;  // EEXIST: a stale file from an old process.
  }
  errno = EEXIST;
  return -1;
}

// Best effort: makes the rename durable. A failure here cannot un-write the target.
void SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view content,
                           Durability durability) {
  const bool sync = durability == Durability::kDurable;
  if (Status s = CheckFileName(path); !s.ok()) return s;
  std::string temp;
  const int fd = CreateTemp(path, &temp);
  if (fd < 0) return ErrnoError("cannot create temporary file for", path, errno);

  int err = WriteAll(fd, content);
  const char* what = "cannot write";
  if (err == 0 && sync && ::fsync(fd) != 0) {
    err = errno;
    what = "cannot fsync";
  }
  if (::close(fd) != 0 && err == 0) {
    err = errno;
    what = "cannot close";
  }
  if (err == 0 && ::rename(temp.c_str(), path.c_str()) != 0) {
    err = errno;
    what = "cannot rename temporary file onto";
  }
  if (err != 0) {
    ::unlink(temp.c_str());
    return ErrnoError(what, path, err);
  }
  if (sync) SyncDir(ParentDir(path));
  return Status::Ok();
}

Status CheckWritable(const std::string& path) {
  if (Status s = CheckFileName(path); !s.ok()) return s;
  const std::string dir = ParentDir(path);
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    return ErrnoError("cannot write " + path + ": directory", dir, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::Error("cannot write " + path + ": " + dir + " is not a directory");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return ErrnoError("cannot write " + path + ": directory", dir, errno);
  }
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return Status::Error("cannot write " + path + ": is a directory");
  }
  return Status::Ok();
}

}  // namespace fleetsim
