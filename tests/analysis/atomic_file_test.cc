// Tests for analysis/atomic_file.h: complete writes, atomic replacement (old readers keep the
// old file), clean failures that create nothing, and no temporary files left behind.
// Each test case works in its own fresh directory under the system temp directory.
#include "analysis/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/test_support.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

// A fresh empty directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "fleetsim_atomic_file_XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

using testing::ReadFile;

std::vector<std::string> ListDir(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

TEST_CASE("WriteFileAtomically writes the exact content", "[atomic_file]") {
  TempDir dir;
  const std::string path = (dir.path() / "out.json").string();
  const std::string content = std::string("line1\nline2\0binary", 18) + std::string(100000, 'x');
  const Status s = WriteFileAtomically(path, content);
  REQUIRE(s.ok());
  CHECK(ReadFile(path) == content);
  CHECK(ListDir(dir.path()) == std::vector<std::string>{"out.json"});
}

TEST_CASE("WriteFileAtomically writes an empty file", "[atomic_file]") {
  TempDir dir;
  const std::string path = (dir.path() / "empty").string();
  REQUIRE(WriteFileAtomically(path, "").ok());
  CHECK(fs::exists(path));
  CHECK(fs::file_size(path) == 0);
}

TEST_CASE("WriteFileAtomically replaces the target atomically", "[atomic_file]") {
  TempDir dir;
  const std::string path = (dir.path() / "report.txt").string();
  REQUIRE(WriteFileAtomically(path, "old content that is longer").ok());

  // A reader that opened the old file keeps seeing all of it: the target was replaced by a new
  // inode, not truncated and rewritten in place.
  const int reader = ::open(path.c_str(), O_RDONLY);
  REQUIRE(reader >= 0);
  struct stat before;
  REQUIRE(::fstat(reader, &before) == 0);

  REQUIRE(WriteFileAtomically(path, "new").ok());
  CHECK(ReadFile(path) == "new");
  struct stat after;
  REQUIRE(::stat(path.c_str(), &after) == 0);
  CHECK(after.st_ino != before.st_ino);

  char buf[64] = {};
  const ssize_t n = ::pread(reader, buf, sizeof(buf), 0);
  ::close(reader);
  CHECK(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0) == "old content that is longer");
  CHECK(ListDir(dir.path()) == std::vector<std::string>{"report.txt"});
}

TEST_CASE("WriteFileAtomically into a missing directory fails and creates nothing",
          "[atomic_file]") {
  TempDir dir;
  const fs::path missing = dir.path() / "no_such_dir";
  const std::string path = (missing / "out.json").string();
  const Status s = WriteFileAtomically(path, "data");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Matchers::Contains(path));
  CHECK_THAT(s.message(), Catch::Matchers::Contains("No such file or directory"));
  CHECK_FALSE(fs::exists(missing));
  CHECK(ListDir(dir.path()).empty());
}

TEST_CASE("WriteFileAtomically onto a directory fails and leaves no temp file", "[atomic_file]") {
  TempDir dir;
  const fs::path target = dir.path() / "taken";
  fs::create_directory(target);
  const Status s = WriteFileAtomically(target.string(), "data");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Matchers::Contains(target.string()));
  CHECK(fs::is_directory(target));
  CHECK(ListDir(dir.path()) == std::vector<std::string>{"taken"});
  CHECK(ListDir(target).empty());
}

TEST_CASE("WriteFileAtomically rejects an empty path", "[atomic_file]") {
  CHECK_FALSE(WriteFileAtomically("", "data").ok());
}

TEST_CASE("WriteFileAtomically into a read-only directory fails cleanly", "[atomic_file]") {
  if (::geteuid() == 0) {
    WARN("skipped: permission bits do not bind root");
    return;
  }
  TempDir dir;
  const std::string path = (dir.path() / "out").string();
  REQUIRE(WriteFileAtomically(path, "old").ok());
  fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
  const Status s = WriteFileAtomically(path, "new");
  CHECK_FALSE(s.ok());
  CHECK_FALSE(CheckWritable(path).ok());
  fs::permissions(dir.path(), fs::perms::owner_all);
  CHECK(ReadFile(path) == "old");
  CHECK(ListDir(dir.path()) == std::vector<std::string>{"out"});
}

TEST_CASE("CheckWritable", "[atomic_file]") {
  TempDir dir;
  SECTION("existing writable directory, target absent or present") {
    const std::string path = (dir.path() / "out.json").string();
    CHECK(CheckWritable(path).ok());
    CHECK_FALSE(fs::exists(path));
    REQUIRE(WriteFileAtomically(path, "x").ok());
    CHECK(CheckWritable(path).ok());
  }
  SECTION("missing parent directory fails and creates nothing") {
    const fs::path missing = dir.path() / "a" / "b";
    const Status s = CheckWritable((missing / "out.json").string());
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Matchers::Contains((missing / "out.json").string()));
    CHECK(ListDir(dir.path()).empty());
  }
  SECTION("parent is a regular file") {
    const fs::path file = dir.path() / "file";
    REQUIRE(WriteFileAtomically(file.string(), "x").ok());
    CHECK_FALSE(CheckWritable((file / "out.json").string()).ok());
  }
  SECTION("target is a directory") {
    fs::create_directory(dir.path() / "sub");
    CHECK_FALSE(CheckWritable((dir.path() / "sub").string()).ok());
    CHECK_FALSE(CheckWritable((dir.path() / "sub").string() + "/").ok());
  }
  SECTION("bare file name refers to the working directory") {
    const bool cwd_writable = ::access(".", W_OK | X_OK) == 0;
    CHECK(CheckWritable("fleetsim_check_writable_probe").ok() == cwd_writable);
    CHECK_FALSE(fs::exists("fleetsim_check_writable_probe"));
  }
  CHECK_FALSE(CheckWritable("").ok());
}

}  // namespace
}  // namespace fleetsim
