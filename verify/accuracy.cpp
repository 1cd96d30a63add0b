#include "verify/accuracy.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "io/formula_parser.hpp"
#include "verify/leaves.hpp"

namespace lies::verify {
namespace {

using engine::Graph;
using engine::NodeId;
using engine::Op;

using boost::multiprecision::isfinite;
using std::isfinite;

template <typename T>
T abs_value(const T& x) {
  return x < T(0) ? T(-x) : x;
}

}  // namespace

template <typename T>
absl::StatusOr<Accuracy<T>> measure_accuracy(const Graph& graph, NodeId root,
                                             const engine::Dataset& data,
                                             std::span<const std::size_t> input_columns,
                                             std::size_t target_column) {
  const std::size_t rows = data.rows();
  if (rows == 0) {
    return absl::InvalidArgumentError(absl::StrCat(data.source, ": the table has no rows"));
  }
  for (const std::size_t column : input_columns) {
    if (column >= data.cols()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: input column %d does not exist; the table has %d columns",
                          data.source, column, data.cols()));
    }
  }
  if (target_column >= data.cols()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: target column %d does not exist; the table has %d columns",
                        data.source, target_column, data.cols()));
  }
  if (absl::Status status = check_leaves(graph, root, input_columns.size(), "formula");
      !status.ok()) {
    return status;
  }

  // Inputs in T: a double converts exactly to Float50.
  std::vector<std::vector<T>> columns;
  columns.reserve(input_columns.size());
  for (const std::size_t column : input_columns) {
    columns.emplace_back(data.columns[column].begin(), data.columns[column].end());
  }
  autodiff::BasicColumns<T> view;
  for (const std::vector<T>& column : columns) view.data.push_back(column.data());
  view.rows = rows;

  const NodeId outputs[] = {root};
  const autodiff::Program program = autodiff::Program::compile(
      graph, outputs, static_cast<std::uint32_t>(input_columns.size()), 0);
  const std::vector<T> prediction = autodiff::evaluate_rows<T>(program, view, {});

  const std::vector<double>& target = data.columns[target_column];
  T mean = 0;
  for (const double y : target) mean += T(y);
  mean /= T(rows);

  Accuracy<T> accuracy;
  accuracy.rows = rows;
  const T infinity = std::numeric_limits<T>::infinity();
  T residual = 0;
  T total = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const T y(target[r]);
    total += (y - mean) * (y - mean);
    const T& f = prediction[r];
    if (!isfinite(f)) {
      ++accuracy.non_finite_rows;
      continue;
    }
    const T error = f - y;
    residual += error * error;
    T relative = 0;
    if (y != T(0)) {
      relative = abs_value(error) / abs_value(y);
    } else if (f != T(0)) {
      relative = infinity;
    }
    if (relative > accuracy.max_relative_error) accuracy.max_relative_error = relative;
  }

  if (accuracy.non_finite_rows > 0) {
    accuracy.nmse = infinity;
    accuracy.max_relative_error = infinity;
  } else if (total > T(0)) {
    accuracy.nmse = residual / total;
  } else {
    accuracy.nmse = residual == T(0) ? T(0) : infinity;
  }
  accuracy.r2 = T(1) - accuracy.nmse;
  return accuracy;
}

template absl::StatusOr<Accuracy<double>> measure_accuracy<double>(const Graph&, NodeId,
                                                                   const engine::Dataset&,
                                                                   std::span<const std::size_t>,
                                                                   std::size_t);
template absl::StatusOr<Accuracy<Float50>> measure_accuracy<Float50>(const Graph&, NodeId,
                                                                     const engine::Dataset&,
                                                                     std::span<const std::size_t>,
                                                                     std::size_t);

absl::StatusOr<AccuracyReport> measure_formula(std::string_view formula,
                                               const engine::Dataset& data,
                                               std::string_view target) {
  std::size_t target_column = data.cols() == 0 ? 0 : data.cols() - 1;
  if (!target.empty()) {
    const std::optional<std::size_t> found = data.find_column(target);
    if (!found) {
      std::string names;
      for (const std::string& name : data.names)
        absl::StrAppend(&names, names.empty() ? "" : ", ", name);
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: target column '%s' not found; the columns are: %s", data.source, target, names));
    }
    target_column = *found;
  }
  if (data.cols() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(data.source, ": the table has no columns"));
  }

  AccuracyReport report;
  report.target = data.names[target_column];
  std::vector<std::size_t> input_columns;
  for (std::size_t j = 0; j < data.cols(); ++j) {
    if (j == target_column) continue;
    input_columns.push_back(j);
    report.variables.push_back(data.names[j]);
  }

  Graph graph;
  std::vector<std::string> variables = report.variables;
  io::ParseOptions options;
  options.variables = &variables;
  const absl::StatusOr<NodeId> root = io::parse_formula(formula, graph, options);
  if (!root.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("formula: ", root.status().message()));
  }

  absl::StatusOr<Accuracy<double>> in_double =
      measure_accuracy<double>(graph, *root, data, input_columns, target_column);
  if (!in_double.ok()) return in_double.status();
  absl::StatusOr<Accuracy<Float50>> in_50_digits =
      measure_accuracy<Float50>(graph, *root, data, input_columns, target_column);
  if (!in_50_digits.ok()) return in_50_digits.status();
  report.in_double = *in_double;
  report.in_50_digits = *std::move(in_50_digits);
  return report;
}

}  // namespace lies::verify
