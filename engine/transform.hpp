// The change of variables between the user's table and what the network trains on.
//
// In log space (the default when every input is positive and the target is positive, or
// negative everywhere) the network sees u_j = log(x_j) / s_j and fits
// t = (log(σ·y) − m) / d with σ = ±1 the sign of the target, so that a product of powers
// c·Π x_j^e_j becomes the linear function log|c| + Σ e_j log x_j. Otherwise
// u_j = x_j / s_j and t = (y − m) / d. The scale s_j is the largest |value| of the
// transformed column (1 for an all-zero column); inputs are scaled but not shifted, so that
// zero stays zero. m and d are the mean and standard deviation of the transformed target,
// so that training errors are of order one whatever the target's units.
#pragma once

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "autodiff/evaluator.hpp"
#include "engine/dataset.hpp"
#include "engine/graph.hpp"

namespace lies::engine {

enum class LogSpace { kAuto, kOn, kOff };

// Which columns of a Dataset are inputs and which is the target.
struct Problem {
  std::vector<std::size_t> inputs;
  std::size_t target = 0;
};

struct Transform {
  bool log_space = false;
  double target_sign = 1.0;  // σ: −1 when log space fits a negative target
  std::vector<double> input_scale;
  double target_offset = 0.0;
  double target_scale = 1.0;
};

// Chooses the transform for `mode`. kOn on data that does not allow log space (an input
// <= 0, or a target that is zero somewhere or changes sign) is an InvalidArgument that
// names the column, row and value.
absl::StatusOr<Transform> choose_transform(const Dataset& data, const Problem& problem,
                                           LogSpace mode);

// The transformed inputs (one column per problem input) and target.
struct TrainingTable {
  std::vector<std::vector<double>> inputs;
  std::vector<double> target;
  std::size_t rows() const { return target.size(); }

  // Column pointers of the inputs, for evaluation.
  autodiff::Columns columns() const {
    autodiff::Columns view;
    for (const auto& column : inputs) view.data.push_back(column.data());
    view.rows = rows();
    return view;
  }
};

// Transforms every row of `data`, or, when `max_rows` > 0 and the data have more rows,
// `max_rows` evenly spaced rows (row k of the table is row k · rows / max_rows).
TrainingTable apply_transform(const Transform& transform, const Dataset& data,
                              const Problem& problem, std::size_t max_rows = 0);

// Rewrites a function of the transformed inputs, net(u), into a function of the original
// inputs that predicts y: Input j of the result is problem input j in original units.
NodeId to_original_units(const Transform& transform, Graph& graph, NodeId net);

}  // namespace lies::engine
