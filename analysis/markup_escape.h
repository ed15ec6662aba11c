// EscapeMarkup: text made inert inside HTML and XML element content and quoted attribute values
// (&, <, >, " and ' as character references; &#39; rather than &apos;, which HTML 4 lacks).
// Used by the HTML report and the JUnit XML of `fleetsim check` for every name that comes from a
// user's file. Pure function; no state.
#pragma once

#include <string>
#include <string_view>

namespace fleetsim {

std::string EscapeMarkup(std::string_view text);

}  // namespace fleetsim
