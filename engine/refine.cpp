#include "engine/refine.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
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
      target_[r] =
          data.log_residual ? std::log(data.target_sign * data.target[r]) : data.target[r];
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

// Σ (t − mean t)² of the fitted target t, that is y or log(σ·y): the sum of squared
// residuals of the best constant model, against which fits are measured.
double total_sum_of_squares(const FitData& data) {
  const std::size_t rows = data.inputs.rows;
  std::vector<double> t(rows);
  double mean = 0.0;
  for (std::size_t r = 0; r < rows; ++r) {
    t[r] = data.log_residual ? std::log(data.target_sign * data.target[r]) : data.target[r];
    mean += t[r];
  }
  mean /= static_cast<double>(rows);
  double total = 0.0;
  for (double v : t) total += (v - mean) * (v - mean);
  return total;
}

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
  const NodeId output =
      data.log_residual
          ? graph.log(graph.mul(graph.constant(data.target_sign), formula.root))
          : formula.root;
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

namespace {

// |w_p| · rms over rows of ∂f/∂w_p, for each parameter.
std::vector<double> sensitivities(const ParametricFormula& formula, std::span<const double> values,
                                  const FitData& data, int threads) {
  const NodeId outputs[] = {formula.root};
  const auto program = autodiff::Program::compile(
      formula.graph, outputs, static_cast<std::uint32_t>(data.inputs.data.size()),
      static_cast<std::uint32_t>(values.size()));
  autodiff::Evaluator evaluator(program, threads);
  const std::size_t rows = data.inputs.rows;
  std::vector<double> prediction(rows), jacobian(rows * values.size());
  evaluator.jacobian(data.inputs, values, prediction, jacobian);
  std::vector<double> result(values.size(), 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t p = 0; p < values.size(); ++p) {
      const double d = jacobian[r * values.size() + p];
      if (std::isfinite(d)) result[p] += d * d;
    }
  }
  for (std::size_t p = 0; p < values.size(); ++p) {
    result[p] = std::abs(values[p]) * std::sqrt(result[p] / static_cast<double>(rows));
  }
  return result;
}

}  // namespace

namespace {

// The network with frozen parameters replaced by their values and folded away, and the
// live parameters renumbered 0..k−1; live[k] is the original index of parameter k.
struct Reduced {
  ParametricFormula formula;
  std::vector<std::size_t> live;
};

Reduced reduce(const Graph& graph, NodeId root, const std::vector<double>& params,
               const std::vector<bool>& frozen) {
  Reduced reduced;
  std::vector<std::uint32_t> renumber(params.size(), autodiff::kNone);
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (frozen[p]) continue;
    renumber[p] = static_cast<std::uint32_t>(reduced.live.size());
    reduced.live.push_back(p);
    reduced.formula.values.push_back(params[p]);
  }
  Graph substituted;
  const NodeId roots[] = {root};
  const NodeId r = copy_into(graph, roots, substituted, [&](NodeId id) {
    const Node& node = graph.node(id);
    if (node.op != Op::Param) return kNoNode;
    return frozen[node.index] ? substituted.constant(params[node.index])
                              : substituted.param(renumber[node.index]);
  })[0];
  simplify::Canonicalizer fold(reduced.formula.graph, {});
  reduced.formula.root = fold.copy(substituted, r);
  return reduced;
}

}  // namespace

std::size_t cap_live_params(const Graph& graph, NodeId root, std::vector<double>& params,
                            std::vector<bool>& frozen, const FitData& data,
                            std::size_t max_live, int threads) {
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (params[p] == 0.0) frozen[p] = true;
  }
  const Reduced reduced = reduce(graph, root, params, frozen);
  if (reduced.live.size() <= max_live) return 0;
  const std::vector<double> sensitivity =
      sensitivities(reduced.formula, reduced.formula.values, data, threads);
  std::vector<std::size_t> order(reduced.live.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return sensitivity[a] > sensitivity[b];
  });
  for (std::size_t i = max_live; i < order.size(); ++i) {
    const std::size_t p = reduced.live[order[i]];
    params[p] = 0.0;
    frozen[p] = true;
  }
  return order.size() - max_live;
}

EliminationResult eliminate_params(const Graph& graph, NodeId root,
                                   std::vector<double>& params, std::vector<bool>& frozen,
                                   const FitData& data, const EliminationOptions& options) {
  RefineOptions fit_options;
  fit_options.max_iterations = options.max_iterations;
  fit_options.threads = options.threads;

  const double total = total_sum_of_squares(data);

  // Parameters that are already zero contribute nothing; freezing them shrinks the fit.
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (params[p] == 0.0) frozen[p] = true;
  }
  Reduced reduced = reduce(graph, root, params, frozen);
  std::vector<double> values = reduced.formula.values;
  const double best = fit_constants(reduced.formula, values,
                                    std::vector<bool>(values.size(), false), data, fit_options);
  for (std::size_t k = 0; k < values.size(); ++k) params[reduced.live[k]] = values[k];
  const double n = static_cast<double>(data.inputs.rows);
  auto threshold = [&](int eliminated_in_all) {
    return best * std::pow(n, eliminated_in_all / n) * (1.0 + options.relative_tolerance) +
           options.absolute_tolerance * total;
  };

  // Remove groups first: the `group` least sensitive parameters at once, halving the
  // group after each rejection; single parameters last. A network fresh from sparse
  // training often has many weights that only together are worth nothing.
  int eliminated = 0;
  double current_sse = best;
  std::size_t group = reduced.live.size() / 2;
  while (!reduced.live.empty() && std::chrono::steady_clock::now() < options.deadline) {
    reduced = reduce(graph, root, params, frozen);
    const std::vector<double> current = reduced.formula.values;
    if (current.empty()) break;
    const std::vector<double> sensitivity =
        sensitivities(reduced.formula, current, data, options.threads);
    std::vector<std::size_t> order(current.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return sensitivity[a] < sensitivity[b];
    });

    // Zeroes the given reduced parameters, refits the rest, and keeps the result if the
    // fit stays within tolerance.
    auto try_remove = [&](std::span<const std::size_t> remove) {
      std::vector<double> trial = current;
      std::vector<bool> fixed(current.size(), false);
      for (std::size_t k : remove) {
        trial[k] = 0.0;
        fixed[k] = true;
      }
      const int after = eliminated + static_cast<int>(remove.size());
      const double sse = fit_constants(reduced.formula, trial, fixed, data, fit_options);
      if (sse > threshold(after)) return false;
      current_sse = sse;
      for (std::size_t i = 0; i < trial.size(); ++i) params[reduced.live[i]] = trial[i];
      for (std::size_t k : remove) frozen[reduced.live[k]] = true;
      eliminated += static_cast<int>(remove.size());
      return true;
    };

    group = std::min(group, current.size() / 2);
    if (group >= 2) {
      if (!try_remove(std::span(order).first(group))) group /= 2;
      continue;
    }
    bool removed = false;
    int rejections = 0;
    for (std::size_t k : order) {
      if (try_remove(std::span(&k, 1))) {
        removed = true;
        break;
      }
      if (++rejections >= options.max_rejections) break;
    }
    if (!removed) break;
  }
  return {eliminated, current_sse, total};
}

std::vector<std::vector<double>> sparser_states(const Graph& graph, NodeId root,
                                                std::vector<double> params,
                                                std::vector<bool> frozen, const FitData& data,
                                                const EliminationOptions& options,
                                                int max_states, int candidates) {
  RefineOptions fit_options;
  fit_options.max_iterations = options.max_iterations;
  fit_options.threads = options.threads;
  const double total = total_sum_of_squares(data);

  std::vector<std::vector<double>> states;
  while (static_cast<int>(states.size()) < max_states &&
         std::chrono::steady_clock::now() < options.deadline) {
    const Reduced reduced = reduce(graph, root, params, frozen);
    const std::vector<double>& current = reduced.formula.values;
    if (current.empty()) break;
    const std::vector<double> sensitivity =
        sensitivities(reduced.formula, current, data, options.threads);
    std::vector<std::size_t> order(current.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return sensitivity[a] < sensitivity[b];
    });

    double best_sse = std::numeric_limits<double>::infinity();
    std::vector<double> best_values;
    std::size_t best_k = 0;
    for (std::size_t i = 0; i < order.size() && i < static_cast<std::size_t>(candidates); ++i) {
      std::vector<double> trial = current;
      std::vector<bool> fixed(current.size(), false);
      trial[order[i]] = 0.0;
      fixed[order[i]] = true;
      const double sse = fit_constants(reduced.formula, trial, fixed, data, fit_options);
      if (sse < best_sse) {
        best_sse = sse;
        best_values = std::move(trial);
        best_k = order[i];
      }
    }
    if (!(best_sse <= total)) break;
    for (std::size_t i = 0; i < best_values.size(); ++i) params[reduced.live[i]] = best_values[i];
    params[reduced.live[best_k]] = 0.0;
    frozen[reduced.live[best_k]] = true;
    states.push_back(params);
  }
  return states;
}

namespace {

// For each free parameter k of a fitted formula, the Gauss–Newton estimate of how much the
// sum of squared residuals grows per unit² that p_k moves away from its fitted value while
// the other free parameters are refitted: 1 / [(JᵀJ)⁻¹]_kk, with J the residuals' Jacobian
// over the free parameters. Fixed parameters get 0. Returns an empty vector when the
// estimate is unavailable (a non-finite Jacobian).
std::vector<double> refit_curvatures(const ParametricFormula& formula,
                                     const std::vector<double>& values,
                                     const std::vector<bool>& fixed, const FitData& data,
                                     int threads) {
  if (std::find(fixed.begin(), fixed.end(), false) == fixed.end()) {
    return std::vector<double>(values.size(), 0.0);
  }
  Graph graph = formula.graph;
  const NodeId output =
      data.log_residual
          ? graph.log(graph.mul(graph.constant(data.target_sign), formula.root))
          : formula.root;
  const NodeId outputs[] = {output};
  const auto program = autodiff::Program::compile(
      graph, outputs, static_cast<std::uint32_t>(data.inputs.data.size()),
      static_cast<std::uint32_t>(values.size()));
  const std::size_t rows = data.inputs.rows;
  std::vector<double> prediction(rows), jacobian(rows * values.size());
  autodiff::Evaluator(program, threads).jacobian(data.inputs, values, prediction, jacobian);

  std::vector<std::size_t> free;
  for (std::size_t p = 0; p < values.size(); ++p) {
    if (!fixed[p]) free.push_back(p);
  }
  const auto m = static_cast<Eigen::Index>(free.size());
  Eigen::MatrixXd normal = Eigen::MatrixXd::Zero(m, m);
  Eigen::VectorXd row(m);
  for (std::size_t r = 0; r < rows; ++r) {
    for (Eigen::Index i = 0; i < m; ++i) {
      row[i] = jacobian[r * values.size() + free[static_cast<std::size_t>(i)]];
    }
    if (!row.allFinite()) return {};
    normal.selfadjointView<Eigen::Lower>().rankUpdate(row);
  }
  const Eigen::MatrixXd inverse =
      normal.selfadjointView<Eigen::Lower>().toDenseMatrix().completeOrthogonalDecomposition()
          .pseudoInverse();
  std::vector<double> curvature(values.size(), 0.0);
  for (Eigen::Index i = 0; i < m; ++i) {
    const double d = inverse(i, i);
    curvature[free[static_cast<std::size_t>(i)]] = d > 0.0 ? 1.0 / d : 0.0;
  }
  return curvature;
}

// A snap whose estimated rise of the sum of squared residuals exceeds the rise the
// threshold allows this many times is not tried: the estimate is exact for a model linear
// in its constants and close for a fitted one, so only snaps far beyond it are skipped.
constexpr double kScreeningMargin = 25.0;

}  // namespace

RefineResult refine_formula(Graph& graph, NodeId root, const FitData& data,
                            const std::vector<bool>& positive_inputs,
                            const RefineOptions& options) {
  const ParametricFormula formula = parametrize(graph, root);
  std::vector<double> values = formula.values;
  std::vector<bool> fixed(values.size(), false);

  const double n = static_cast<double>(data.inputs.rows);
  const double total = total_sum_of_squares(data);
  const double best = fit_constants(formula, values, fixed, data, options);
  const double threshold = best * std::pow(n, 1.0 / n) * (1.0 + options.relative_tolerance) +
                           options.absolute_tolerance * total;

  // Snaps are screened by their estimated cost before Levenberg–Marquardt tries them: a
  // formula of the wrong shape has many constants and no snap that fits, and refitting
  // each of them for every candidate would dominate the fit's time.
  std::vector<double> curvature = refit_curvatures(formula, values, fixed, data, options.threads);
  RefineResult result;
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (std::chrono::steady_clock::now() > options.deadline) break;
    for (double candidate : simplify::simple_values_near(values[k])) {
      const double shift = candidate - values[k];
      if (!curvature.empty() &&
          curvature[k] * shift * shift > kScreeningMargin * (threshold - best)) {
        continue;
      }
      std::vector<double> trial = values;
      std::vector<bool> trial_fixed = fixed;
      trial[k] = candidate;
      trial_fixed[k] = true;
      if (fit_constants(formula, trial, trial_fixed, data, options) <= threshold) {
        values = std::move(trial);
        fixed = std::move(trial_fixed);
        ++result.snapped;
        curvature = refit_curvatures(formula, values, fixed, data, options.threads);
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
