// EscapeMarkup (analysis/markup_escape.h): the five markup characters become character
// references, everything else (UTF-8 included) passes through, and escaped text holds no tag.
#include <catch2/catch.hpp>

#include <string>

#include "analysis/markup_escape.h"

namespace fleetsim {
namespace {

TEST_CASE("markup escaping leaves no tag, quote or entity of the input active", "[report]") {
  CHECK(EscapeMarkup("") == "");
  CHECK(EscapeMarkup("eu-west 1→5%") == "eu-west 1→5%");
  CHECK(EscapeMarkup("<script>alert('x')</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  CHECK(EscapeMarkup("a\" onload=\"x") == "a&quot; onload=&quot;x");
  CHECK(EscapeMarkup("&amp;") == "&amp;amp;");
  const std::string escaped = EscapeMarkup("<<'\">&>");
  CHECK(escaped.find_first_of("<>\"'") == std::string::npos);
}

}  // namespace
}  // namespace fleetsim
