// The version of the lies library.
#pragma once

#include <string_view>

namespace lies {

// The version of the linked library, such as "0.1.0". The CMake package version
// (find_package(lies 0.1)) is the same.
std::string_view version();

}  // namespace lies
