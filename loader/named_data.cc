// NamedData (named_data.h): the data roots beside the running executable and NAME lookup in them.
#include "loader/named_data.h"

#include <algorithm>
#include <string>
#include <system_error>
#include <vector>

namespace fleetsim {

namespace fs = std::filesystem;

std::vector<fs::path> DataRootsFor(const fs::path& executable) {
  std::vector<fs::path> roots;
  std::error_code ec;
  fs::path dir = executable.parent_path();
  for (int level = 0; level < kDataRootLevels && !dir.empty(); ++level) {
    for (const fs::path& root : {dir / "share" / "fleetsim", dir}) {
      if (fs::is_directory(root / "scenarios", ec)) roots.push_back(root.lexically_normal());
    }
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return roots;
}

std::vector<fs::path> DataRoots() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec || self.empty()) return {};
  return DataRootsFor(self);
}

std::vector<fs::path> NamedDataCandidates(const std::string& folder, const std::string& name) {
  fs::path file(name);
  if (file.extension() != ".yaml") file += ".yaml";
  std::vector<fs::path> out;
  for (const fs::path& root : DataRoots()) out.push_back(root / "scenarios" / folder / file);
  return out;
}

std::string ResolveNamedFile(const std::string& folder, const std::string& argument) {
  std::error_code ec;
  if (argument.empty() || fs::is_regular_file(argument, ec)) return argument;
  if (fs::path(argument).has_parent_path()) return argument;
  for (const fs::path& candidate : NamedDataCandidates(folder, argument)) {
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return argument;
}

std::vector<std::string> NamedDataNames(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::path& root : DataRoots()) {
    for (fs::directory_iterator it(root / "scenarios" / folder, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (it->path().extension() == ".yaml") names.push_back(it->path().stem().string());
    }
    ec.clear();
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string MissingNameMessage(const std::string& folder, const std::string& argument) {
  std::error_code ec;
  if (argument.empty() || fs::exists(argument, ec) || fs::path(argument).has_parent_path()) {
    return "";
  }
  if (ResolveNamedFile(folder, argument) != argument) return "";
  std::string message = argument + ": neither a file nor the name of a ready-made " +
                        (folder == "examples" ? std::string("example") : folder) + " (";
  const std::vector<std::string> names = NamedDataNames(folder);
  if (names.empty()) {
    message += "no data directory found beside this binary)";
    return message;
  }
  message += "ready-made: ";
  for (size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
  return message + ")";
}

}  // namespace fleetsim
