// NamedData: finds fleetsim's ready-made data (scenarios/policies, outages, examples, baselines)
// by name, whatever the working directory, for a binary in a build tree or an installed one.
//
// Data roots, nearest first: for the directory holding the running executable and each of its
// ancestors (kDataRootLevels in all), D/share/fleetsim when it holds scenarios/ (an installed
// tree: P/bin/fleetsim next to P/share/fleetsim/scenarios, as `cmake --install` and the .deb
// lay it out), then D itself when it holds scenarios/ (a source tree, e.g. build/cli/fleetsim
// two levels below it). The executable is found through /proc/self/exe (Linux); where that
// cannot be read there are no roots and only the caller's own candidates remain.
// Reads the file system only; no state; safe from any thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace fleetsim {

inline constexpr int kDataRootLevels = 4;

// The data roots for an executable at `executable` (each holds scenarios/), nearest first.
std::vector<std::filesystem::path> DataRootsFor(const std::filesystem::path& executable);

// DataRootsFor the running executable.
std::vector<std::filesystem::path> DataRoots();

// ROOT/scenarios/FOLDER/NAME.yaml (".yaml" added unless NAME has it) for every data root, nearest
// first, whether or not they exist. FOLDER: "policies", "outages", "examples" or "baselines".
std::vector<std::filesystem::path> NamedDataCandidates(const std::string& folder,
                                                       const std::string& name);

// What a command-line argument that may be a NAME refers to: `argument` itself when it is an
// existing file or has a directory part; else the first existing NamedDataCandidates(folder,
// argument); else `argument` unchanged (its reader then reports it missing).
std::string ResolveNamedFile(const std::string& folder, const std::string& argument);

// The NAMEs found in ROOT/scenarios/FOLDER/ over every data root (file names without ".yaml"),
// sorted, without repeats.
std::vector<std::string> NamedDataNames(const std::string& folder);

// When `argument` (as given, before ResolveNamedFile) is a bare NAME that is neither an existing
// file nor found in FOLDER: a message saying so and listing the NAMEs that exist, for the
// command line to print instead of "cannot open file". Empty otherwise (an existing file, a path
// with a directory part, which its reader reports, or a NAME that was found).
std::string MissingNameMessage(const std::string& folder, const std::string& argument);

}  // namespace fleetsim
