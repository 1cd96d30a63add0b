#include "engine/refine.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <unsupported/Eigen/LevenbergMarquardt>

#include "autodiff/program.hpp"
#include "engine/check.hpp"
#include "simplify/canonical.hpp"
#include "simplify/prune.hpp"
#include "simplify/snap.hpp"

namespace lies::engine {
namespace {

// Residual value substituted where the formula is not finite, so Levenberg–Marquardt
// sees a step into such a region as a large increase of the error and rejects it.
constexpr double kPenaltyResidual = 1e6;

// Levenberg–Marquardt functor: residuals r_i = T(y_i) − T(f(x_i)) over the free
// parameters, with the Jacobian from the reverse sweep.
class ResidualFunctor : public Eigen::DenseFunctor<double> {
 public:
  ResidualFunctor(const autodiff::Program& program, const FitData& data,
                  std::vector<double> values, const std::vector<bool>& fixed, int threads)
      : Eigen::DenseFunctor<double>(count_free(fixed), static_cast<int>(data.inputs.rows)),
        evaluator_(program, threads),
        data_(data),
        values_(std::move(values)),
        fixed_(fixed),
        prediction_(data.inputs.rows),
        jacobian_(data.inputs.rows * values_.size()) {
    for (std::size_t p = 0; p < fixed_.size(); ++p) {
      if (!fixed_[p]) free_.push_back(p);
    }
    target_.resize(data.inputs.rows);
    for (std::size_t r = 0; r < target_.size(); ++r) {
      target_[r] = data.log_residual ? std::log(data.target[r]) : data.target[r];
    }
  }

  static int count_free(const std::vector<bool>& fixed) {
    return static_cast<int>(std::count(fixed.begin(), fixed.end(), false));
  }

  void unpack(const InputType& x) {
    for (std::size_t k = 0; k < free_.size(); ++k) values_[free_[k]] = x[static_cast<int>(k)];
  }

  const std::vector<double>& current_values() const { return values_; }

  int operator()(const InputType& x, ValueType& residual) {
    unpack(x);
    evaluator_.evaluate(data_.inputs, values_, prediction_);
    for (std::size_t r = 0; r < prediction_.size(); ++r) {
      const double e = target_[r] - prediction_[r];
      residual[static_cast<int>(r)] = std::isfinite(e) ? e : kPenaltyResidual;
    }
    return 0;
  }

  int df(const InputType& x, JacobianType& jacobian) {
    unpack(x);
    evaluator_.jacobian(data_.inputs, values_, prediction_, jacobian_);
    const std::size_t num_params = values_.size();
    for (std::size_t r = 0; r < prediction_.size(); ++r) {
      for (std::size_t k = 0; k < free_.size(); ++k) {
        const double d = -jacobian_[r * num_params + free_[k]];
        jacobian(static_cast<int>(r), static_cast<int>(k)) = std::isfinite(d) ? d : 0.0;
      }
    }
    return 0;
  }

 private:
  autodiff::Evaluator evaluator_;
  const FitData& data_;
  std::vector<double> values_;
  std::vector<bool> fixed_;
  std::vector<std::size_t> free_;
  std::vector<double> target_;
  std::vector<double> prediction_;
  std::vector<double> jacobian_;
};

double sum_of_squares(const Eigen::VectorXd& residual) { return residual.squaredNorm(); }

}  // namespace

ParametricFormula parametrize(const Graph& graph, NodeId root) {
  ParametricFormula formula;
  const NodeId roots[] = {root};
  formula.root = copy_into(graph, roots, formula.graph, [&](NodeId id) {
    const Node& node = graph.node(id);
    if (node.op != Op::Constant) return kNoNode;
    const auto index = static_cast<std::uint32_t>(formula.values.size());
    formula.values.push_back(node.value);
    return formula.graph.param(index);
  })[0];
  return formula;
}

double fit_constants(const ParametricFormula& formula, std::vector<double>& values,
                     const std::vector<bool>& fixed, const FitData& data,
                     const RefineOptions& options) {
  LIES_CHECK(values.size() == formula.values.size());
  LIES_CHECK(fixed.size() == values.size());
  Graph graph = formula.graph;
  const NodeId output = data.log_residual ? graph.log(formula.root) : formula.root;
  const NodeId outputs[] = {output};
  const auto program =
      autodiff::Program::compile(graph, outputs, static_cast<std::uint32_t>(data.inputs.data.size()),
                                 static_cast<std::uint32_t>(values.size()));

  ResidualFunctor functor(program, data, values, fixed, options.threads);
  const int free_count = functor.inputs();
  Eigen::VectorXd residual(functor.values());
  Eigen::VectorXd x(free_count);
  {
    int k = 0;
    for (std::size_t p = 0; p < values.size(); ++p) {
      if (!fixed[p]) x[k++] = values[p];
    }
  }
  functor(x, residual);
  const double before = sum_of_squares(residual);
  if (free_count == 0 || free_count > functor.values()) return before;

  Eigen::LevenbergMarquardt<ResidualFunctor> lm(functor);
  lm.setMaxfev(options.max_iterations);
  lm.setXtol(1e-15);
  lm.setFtol(1e-15);
  lm.minimize(x);

  functor(x, residual);
  const double after = sum_of_squares(residual);
  if (std::isfinite(after) && after < before) {
    values = functor.current_values();
    return after;
  }
  return before;
}

double formula_nmse(const Graph& graph, NodeId root, const autodiff::Columns& inputs,
                    const double* target, int threads) {
  const NodeId outputs[] = {root};
  const auto program = autodiff::Program::compile(
      graph, outputs, static_cast<std::uint32_t>(inputs.data.size()), 0);
  autodiff::Evaluator evaluator(program, threads);
  std::vector<double> prediction(inputs.rows);
  evaluator.evaluate(inputs, {}, prediction);

  double mean = 0.0;
  for (std::size_t r = 0; r < inputs.rows; ++r) mean += target[r];
  mean /= static_cast<double>(inputs.rows);
  double residual = 0.0, total = 0.0;
  for (std::size_t r = 0; r < inputs.rows; ++r) {
    residual += (target[r] - prediction[r]) * (target[r] - prediction[r]);
    total += (target[r] - mean) * (target[r] - mean);
  }
  if (!std::isfinite(residual)) return std::numeric_limits<double>::infinity();
  return total > 0.0 ? residual / total : residual;
}

RefineResult refine_formula(Graph& graph, NodeId root, const FitData& data,
                            const std::vector<bool>& positive_inputs,
                            const RefineOptions& options) {
  const ParametricFormula formula = parametrize(graph, root);
  std::vector<double> values = formula.values;
  std::vector<bool> fixed(values.size(), false);

  auto nmse_with = [&](const std::vector<double>& v) {
    Graph scratch;
    const NodeId r = simplify::freeze_params(formula.graph, formula.root, v, scratch);
    return formula_nmse(scratch, r, data.inputs, data.target, options.threads);
  };

  fit_constants(formula, values, fixed, data, options);
  const double best = nmse_with(values);
  const double threshold = best * (1.0 + options.relative_tolerance) + options.absolute_tolerance;

  RefineResult result;
  for (std::size_t k = 0; k < values.size(); ++k) {
    for (double candidate : simplify::simple_values_near(values[k])) {
      std::vector<double> trial = values;
      std::vector<bool> trial_fixed = fixed;
      trial[k] = candidate;
      trial_fixed[k] = true;
      fit_constants(formula, trial, trial_fixed, data, options);
      if (nmse_with(trial) <= threshold) {
        values = std::move(trial);
        fixed = std::move(trial_fixed);
        ++result.snapped;
        break;
      }
    }
  }

  Graph frozen;
  const NodeId constant_root = simplify::freeze_params(formula.graph, formula.root, values, frozen);
  simplify::Canonicalizer canonical(graph, {positive_inputs});
  result.root = canonical.copy(frozen, constant_root);
  result.nmse = formula_nmse(graph, result.root, data.inputs, data.target, options.threads);
  return result;
}

}  // namespace lies::engine
