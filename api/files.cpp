#include "lies/files.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace lies {

absl::Status write_file_atomically(const std::string& path, std::string_view contents) {
  const std::filesystem::path target(path);
  const std::filesystem::path temporary =
      target.parent_path() /
      absl::StrCat(".", target.filename().string(), ".tmp", static_cast<long>(getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": cannot be written, because its directory does not exist or is not "
                "writable; choose another path"));
    }
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      return absl::ResourceExhaustedError(
          absl::StrCat(path, ": writing failed (disk full?); nothing was written"));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": cannot be replaced: ", error.message()));
  }
  return absl::OkStatus();
}

}  // namespace lies
