// Writing result files so that no reader sees half of one.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace lies {

// Writes `contents` to `path` through a temporary file in the same directory, which is
// then renamed over `path`. A reader sees the old file or the whole new one, and a failed
// write leaves an existing file as it was and no temporary file behind.
//
// Returns InvalidArgument when the directory does not exist or is not writable, or when
// `path` cannot be replaced (a directory of that name, for example), and
// ResourceExhausted when writing fails, as on a full disk.
//
// Thread-safety: calls for different paths may run at once. Calls for the same path
// from one process race, and the last rename wins.
absl::Status write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace lies
