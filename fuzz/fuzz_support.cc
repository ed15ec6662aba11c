#include "fuzz/fuzz_support.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace fleetsim::fuzz {

std::string Text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

std::string ScenariosPath(const std::string& folder, const std::string& name) {
  return std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/" + folder + "/" + name;
}

bool Located(const std::string& message, const std::string& file) {
  for (size_t at = message.find(file + ":"); at != std::string::npos;
       at = message.find(file + ":", at + 1)) {
    size_t i = at + file.size() + 1;
    int fields = 0;
    while (fields < 2) {
      const size_t start = i;
      while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]))) ++i;
      if (i == start || i >= message.size() || message[i] != ':') break;
      ++i;
      ++fields;
    }
    if (fields == 2) return true;
  }
  return false;
}

void Finding(const std::string& what) {
  std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
  std::abort();
}

void Require(bool ok, const std::string& what) {
  if (!ok) Finding(what);
}

}  // namespace fleetsim::fuzz
