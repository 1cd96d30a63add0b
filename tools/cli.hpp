// Command-line plumbing shared by the lies tools: exit codes, flag parsing, help text,
// terminal detection and atomic output files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace lies::cli {

// Exit codes of every lies tool.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;  // a bug or an unexpected failure
inline constexpr int kExitBadInput = 2;  // bad flags, files or data

// Parses the command line with Abseil flags and returns the positional arguments
// (without the program name). Flags may be spelled with '-' or '_' (--log-space or
// --log_space). `--help` and `-h` print `usage` and the flags defined in the tool's own
// source file `flags_file` (pass __FILE__), then exit 0; `--version` prints the version
// and exits 0. A malformed or unknown flag prints one line on stderr and exits
// kExitBadInput.
std::vector<std::string> parse_command_line(int argc, char** argv, std::string_view usage,
                                            std::string_view flags_file);

// Prints "<tool>: <message>" on stderr and returns the exit code for the status:
// kExitBadInput for user errors (InvalidArgument, NotFound, OutOfRange,
// FailedPrecondition, ResourceExhausted), kExitInternal otherwise.
int report(std::string_view tool, const absl::Status& status);

// Whether stderr is a terminal, so that progress lines may be redrawn in place.
bool stderr_is_terminal();

}  // namespace lies::cli
