// Accuracy of a formula on a table, measured in double and in 50 decimal digits.
//
// The same formula and rows give two sets of numbers: one with every step in double (the
// formula's evaluation and the sums), one with every step in Float50. Where they differ,
// rounding in double matters for that formula and data.
//
//   absl::StatusOr<verify::AccuracyReport> report =
//       verify::measure_formula("a^1.5/sqrt(M)", data, "T");
//   double r2 = report->in_double.r2;
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/dataset.hpp"
#include "engine/graph.hpp"
#include "verify/multiprecision.hpp"

namespace lies::verify {

// Accuracy measures of predictions f against a target y over n rows, in scalar type T.
template <typename T>
struct Accuracy {
  // 1 − nmse.
  T r2 = 0;
  // Σ (y − f)² / Σ (y − ȳ)². For a constant target, 0 when f = y in every row and +inf
  // otherwise.
  T nmse = 0;
  // max over rows of |f − y| / |y|. A row with y = 0 contributes 0 when f = 0 and +inf
  // otherwise.
  T max_relative_error = 0;
  std::size_t rows = 0;
  // Rows where f is NaN or infinite. When there is one, nmse and max_relative_error are
  // +inf and r2 is −inf.
  std::size_t non_finite_rows = 0;
};

// Measures the formula at `root` of `graph` on `data`: Input j of the formula reads column
// input_columns[j], and the target is column `target_column`. Inputs and target are read
// as doubles and converted exactly to T, and every step runs in T. Explicitly instantiated
// for double and Float50.
//
// Returns InvalidArgument when the table has no rows, a column index is out of range, the
// formula reads an input beyond input_columns or contains a Param.
template <typename T>
absl::StatusOr<Accuracy<T>> measure_accuracy(const engine::Graph& graph, engine::NodeId root,
                                             const engine::Dataset& data,
                                             std::span<const std::size_t> input_columns,
                                             std::size_t target_column);

struct AccuracyReport {
  std::string target;                  // name of the target column
  std::vector<std::string> variables;  // the columns a formula may use, Input j is variables[j]
  Accuracy<double> in_double;
  Accuracy<Float50> in_50_digits;
};

// Parses `formula` in the column names of `data` and measures it in double and in 50
// digits. The target is the column named `target`, or the last column when it is empty;
// every other column is a variable the formula may use.
//
// Returns InvalidArgument when the target is not a column, the formula does not parse
// (the message starts with "formula: " and names the column of the text), or names an
// unknown variable (the message lists the columns).
absl::StatusOr<AccuracyReport> measure_formula(std::string_view formula,
                                               const engine::Dataset& data,
                                               std::string_view target = {});

}  // namespace lies::verify
