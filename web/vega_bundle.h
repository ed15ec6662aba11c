// The charting libraries of the HTML report (vega, vega-lite and vega-embed), compiled in.
//
// web/CMakeLists.txt installs web/package-lock.json with `npm ci` into the build tree and
// web/embed_bundles.js turns each package's minified UMD bundle into a generated C++ source, so
// a report can inline them and open with no network and no file beside it. The data has static
// storage and is immutable: safe to read from any thread.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace fleetsim {

struct JsBundle {
  std::string_view name;                     // npm package: "vega"
  std::string_view version;                  // as installed: "6.4.0"
  std::string_view file;                     // inside the package: "build/vega.min.js"
  std::size_t size = 0;                      // bytes of the file
  std::span<const std::string_view> chunks;  // the file's exact bytes, in order
};

// In load order: vega, vega-lite, vega-embed.
std::span<const JsBundle> ReportJsBundles();

}  // namespace fleetsim
