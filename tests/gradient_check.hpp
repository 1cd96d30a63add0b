// Shared helper: the gradient of the reverse sweep against central finite differences.
#pragma once

#include <cmath>
#include <span>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"

namespace lies::testing {

struct GradientComparison {
  std::vector<double> reverse;  // from the tape
  std::vector<double> central;  // from central differences
};

// Loss = sum over rows of output 0. Step h = 1e-6 · max(1, |p|).
inline GradientComparison compare_gradient(const autodiff::Program& program,
                                           const autodiff::Columns& columns,
                                           std::vector<double> params) {
  autodiff::Evaluator evaluator(program, 1);
  GradientComparison result;
  result.reverse.assign(params.size(), 0.0);
  auto seed = [](const double*, std::size_t, std::size_t rows, double* adjoint) {
    for (std::size_t r = 0; r < rows; ++r) adjoint[r] = 1.0;
    return 0.0;
  };
  evaluator.gradient(columns, params, seed, 0.0, result.reverse);

  std::vector<double> out(columns.rows);
  auto total = [&](const std::vector<double>& p) {
    evaluator.evaluate(columns, p, out);
    double sum = 0.0;
    for (double v : out) sum += v;
    return sum;
  };
  for (std::size_t k = 0; k < params.size(); ++k) {
    const double h = 1e-6 * std::max(1.0, std::abs(params[k]));
    const double saved = params[k];
    params[k] = saved + h;
    const double up = total(params);
    params[k] = saved - h;
    const double down = total(params);
    params[k] = saved;
    result.central.push_back((up - down) / (2.0 * h));
  }
  return result;
}

// Whether two gradient entries agree to `tolerance`, relative to max(1, |a|, |b|).
inline bool gradients_agree(double a, double b, double tolerance = 1e-6) {
  return std::abs(a - b) <= tolerance * std::max({1.0, std::abs(a), std::abs(b)});
}

}  // namespace lies::testing
