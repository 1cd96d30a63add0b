#include "lies/version.hpp"

#ifndef LIES_VERSION
#error "LIES_VERSION must be defined by the build, as the project version"
#endif

namespace lies {

std::string_view version() { return LIES_VERSION; }

}  // namespace lies
