// Invariant checks and absl::Status propagation helpers.
//
// Three kinds of errors exist in lies:
//   - absl::Status / absl::StatusOr for bad user input and domain errors, at the API and
//     io boundaries. Use LIES_RETURN_IF_ERROR and LIES_ASSIGN_OR_RETURN to pass them up.
//   - LIES_CHECK for internal invariants that hold for every input; a failure is a bug and
//     aborts with the file, line and condition.
//   - LIES_DCHECK for invariants too costly to test in release builds.
// Nothing throws across the public API.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace lies::detail {

[[noreturn]] inline void check_failed(const char* file, int line, const char* condition) {
  std::fprintf(stderr, "lies: internal error at %s:%d: check failed: %s\n", file, line,
               condition);
  std::abort();
}

}  // namespace lies::detail

#define LIES_CHECK(condition)                                         \
  do {                                                                \
    if (!(condition)) {                                               \
      ::lies::detail::check_failed(__FILE__, __LINE__, #condition);   \
    }                                                                 \
  } while (false)

#ifdef NDEBUG
#define LIES_DCHECK(condition) \
  do {                         \
  } while (false)
#else
#define LIES_DCHECK(condition) LIES_CHECK(condition)
#endif

#define LIES_STATUS_CONCAT_INNER(a, b) a##b
#define LIES_STATUS_CONCAT(a, b) LIES_STATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` yields a non-OK absl::Status.
#define LIES_RETURN_IF_ERROR(expr)                  \
  do {                                              \
    ::absl::Status lies_status_ = (expr);           \
    if (!lies_status_.ok()) return lies_status_;    \
  } while (false)

// Declares or assigns `lhs` from the value of an absl::StatusOr expression, or returns its
// status from the enclosing function when it is not OK.
#define LIES_ASSIGN_OR_RETURN(lhs, expr) \
  LIES_ASSIGN_OR_RETURN_IMPL(LIES_STATUS_CONCAT(lies_statusor_, __LINE__), lhs, expr)

#define LIES_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
