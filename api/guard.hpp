// The exception boundary of the public API.
#pragma once

#include <exception>
#include <new>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lies::detail {

// Runs `body`, which returns absl::Status or absl::StatusOr, and turns an exception that
// escapes it into a status, so that none crosses the public API: std::bad_alloc becomes
// ResourceExhausted, any other std::exception Internal. `operation` names the call in the
// message, such as "fit".
//
// NOTE: an exception thrown inside an OpenMP parallel region, such as a std::bad_alloc in
// a trial of fit(), cannot leave the region and terminates the program instead.
template <typename Body>
auto guarded(const char* operation, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        absl::StrCat(operation, ": not enough memory; use a smaller table or free memory"));
  } catch (const std::exception& error) {
    return absl::InternalError(absl::StrCat(operation, ": internal error: ", error.what()));
  }
}

}  // namespace lies::detail
