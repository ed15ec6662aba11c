// Helpers shared by the libFuzzer targets of fuzz/ (one target per file, each with its own
// LLVMFuzzerTestOneInput).
//
// A target reports a finding by aborting (Finding/Require): libFuzzer then saves the input as a
// crash artifact. Returned errors (a failed Status) are the normal answer to bad input and are
// never findings; a message must still say where and what, which Require can hold a target to.
// No state; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace fleetsim::fuzz {

// The input bytes as the text a loader reads from a file.
std::string Text(const uint8_t* data, size_t size);

// SOURCE/scenarios/FOLDER/NAME: where an input is taken to live, so that its relative references
// resolve as for a file in that folder (nothing is written there).
std::string ScenariosPath(const std::string& folder, const std::string& name);

// Whether `message` names `file:LINE:COL:` (the form every error about a file's content takes).
bool Located(const std::string& message, const std::string& file);

// Prints "fuzz finding: WHAT" and aborts.
[[noreturn]] void Finding(const std::string& what);

// Finding(what) unless `ok`.
void Require(bool ok, const std::string& what);

}  // namespace fleetsim::fuzz
