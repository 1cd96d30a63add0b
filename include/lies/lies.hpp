// The public API of lies: symbolic regression with LIES networks.
//
// Include this header and link lies::lies, which find_package(lies) defines.
// docs/embedding.md has a complete example.
//
// Every function that can fail returns absl::Status or absl::StatusOr instead of
// throwing, and reports running out of memory as ResourceExhausted, except inside the
// trials of fit (see lies/fit.hpp). Functions that return plain values, such as accessors
// and Formula::to_string, can throw only std::bad_alloc. The value types (Table, Formula,
// Network) are immutable and share their data between copies, so threads may use them at
// once.
//
//   lies/table.hpp      Table: columns from a file or from memory
//   lies/fit.hpp        fit(), FitOptions, FitResult and its Pareto front
//   lies/formula.hpp    Formula: parse, print, complexity, evaluate, simplify
//   lies/network.hpp    Network: save and load trained networks, read their formula
//   lies/files.hpp      write_file_atomically: result files that are whole or absent
//   lies/verify.hpp     accuracy in double and 50 digits, the symbolic-solution check
//   lies/benchmark.hpp  equation tables, generated data, seeds for sub-tasks
//   lies/version.hpp    version()
#pragma once

#include "lies/benchmark.hpp"
#include "lies/files.hpp"
#include "lies/fit.hpp"
#include "lies/formula.hpp"
#include "lies/network.hpp"
#include "lies/table.hpp"
#include "lies/verify.hpp"
#include "lies/version.hpp"
