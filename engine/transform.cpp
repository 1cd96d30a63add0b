#include "engine/transform.hpp"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "engine/check.hpp"

namespace lies::engine {
namespace {

// Returns the first row whose value is not positive, or rows() when there is none.
std::size_t first_non_positive(const std::vector<double>& column) {
  for (std::size_t r = 0; r < column.size(); ++r) {
    if (!(column[r] > 0.0)) return r;
  }
  return column.size();
}

}  // namespace

absl::StatusOr<Transform> choose_transform(const Dataset& data, const Problem& problem,
                                           LogSpace mode) {
  Transform transform;
  bool eligible = true;
  auto reject = [&](std::size_t column, std::size_t row, std::string_view why) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: log space needs %s, but column '%s' has %g in data row %d; use --log-space "
        "off or auto",
        data.source, why, data.names[column], data.columns[column][row], row + 1));
  };
  for (std::size_t column : problem.inputs) {
    const std::size_t row = first_non_positive(data.columns[column]);
    if (row == data.rows()) continue;
    eligible = false;
    if (mode == LogSpace::kOn) return reject(column, row, "positive inputs");
  }

  // The target may be negative everywhere: then log(−y) is fitted.
  const std::vector<double>& y = data.columns[problem.target];
  transform.target_sign = !y.empty() && y.front() < 0.0 ? -1.0 : 1.0;
  for (std::size_t row = 0; row < y.size(); ++row) {
    if (transform.target_sign * y[row] > 0.0) continue;
    eligible = false;
    if (mode == LogSpace::kOn) {
      return reject(problem.target, row, "a target that is non-zero and of one sign");
    }
    break;
  }
  transform.log_space = mode == LogSpace::kOn || (mode == LogSpace::kAuto && eligible);
  if (!transform.log_space) transform.target_sign = 1.0;

  // The scales and the target's moments are computed column by column, without a
  // transformed copy of the table: the values and the order of the sums are those of
  // apply_transform with unit scales.
  auto forward = [&](double v) { return transform.log_space ? std::log(v) : v; };
  for (std::size_t column : problem.inputs) {
    double m = 0.0;
    for (double v : data.columns[column]) m = std::max(m, std::abs(forward(v)));
    transform.input_scale.push_back(m > 0.0 ? m : 1.0);
  }

  auto forward_target = [&](double v) {
    return transform.log_space ? std::log(transform.target_sign * v) : v;
  };
  double mean = 0.0;
  for (double v : y) mean += forward_target(v);
  mean /= static_cast<double>(y.size());
  double variance = 0.0;
  for (double v : y) variance += (forward_target(v) - mean) * (forward_target(v) - mean);
  variance /= static_cast<double>(y.size());
  transform.target_offset = mean;
  transform.target_scale = variance > 0.0 ? std::sqrt(variance) : 1.0;
  return transform;
}

TrainingTable apply_transform(const Transform& transform, const Dataset& data,
                              const Problem& problem, std::size_t max_rows) {
  LIES_CHECK(transform.input_scale.size() == problem.inputs.size());
  auto forward = [&](double v) { return transform.log_space ? std::log(v) : v; };
  auto forward_target = [&](double v) {
    return transform.log_space ? std::log(transform.target_sign * v) : v;
  };
  const std::size_t rows = data.rows();
  const std::size_t table_rows = max_rows > 0 ? std::min(rows, max_rows) : rows;
  // Row k of the table is row k · rows / table_rows of the data: every row when nothing
  // is left out, and evenly spaced rows otherwise.
  auto source_row = [&](std::size_t k) {
    return table_rows == rows ? k : k * rows / table_rows;
  };

  TrainingTable table;
  for (std::size_t j = 0; j < problem.inputs.size(); ++j) {
    const std::vector<double>& source = data.columns[problem.inputs[j]];
    std::vector<double> column(table_rows);
    const double scale = transform.input_scale[j];
    for (std::size_t k = 0; k < table_rows; ++k) column[k] = forward(source[source_row(k)]) / scale;
    table.inputs.push_back(std::move(column));
  }
  const std::vector<double>& y = data.columns[problem.target];
  table.target.resize(table_rows);
  for (std::size_t k = 0; k < table_rows; ++k) {
    table.target[k] =
        (forward_target(y[source_row(k)]) - transform.target_offset) / transform.target_scale;
  }
  return table;
}

NodeId to_original_units(const Transform& transform, Graph& graph, NodeId net) {
  Graph source = graph;
  const NodeId roots[] = {net};
  const NodeId substituted = copy_into(source, roots, graph, [&](NodeId id) {
    const Node& node = source.node(id);
    if (node.op != Op::Input) return kNoNode;
    NodeId x = graph.input(node.index);
    if (transform.log_space) x = graph.log(x);
    return graph.mul(graph.constant(1.0 / transform.input_scale[node.index]), x);
  })[0];
  const NodeId t = graph.add(graph.constant(transform.target_offset),
                             graph.mul(graph.constant(transform.target_scale), substituted));
  if (!transform.log_space) return t;
  const NodeId y = graph.exp(t);
  return transform.target_sign < 0.0 ? graph.neg(y) : y;
}

}  // namespace lies::engine
