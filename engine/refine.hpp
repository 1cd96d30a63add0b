// Coefficient refinement: the constants of a formula fitted to data, then snapped to
// simple values where the data allow it.
//
// refine_formula turns every constant of the formula into a parameter, fits all of them by
// Levenberg–Marquardt (Eigen's implementation of the MINPACK algorithm), and then tries
// each constant at the simple values near it (simplify::simple_values_near). A snap is
// kept when, with the other constants fitted again, the sum of squared residuals (SSE)
// stays within the tolerance of the best fit. The data decide, not a fixed rounding rule.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "engine/graph.hpp"

namespace lies::engine {

// Rows to fit on: inputs in the formula's (original) units and the target.
struct FitData {
  autodiff::Columns inputs;
  const double* target = nullptr;
  // Fit log(σ·f) to log(σ·y) instead of f to y: relative errors count, as in log space.
  bool log_residual = false;
  double target_sign = 1.0;  // σ
};

struct RefineOptions {
  // A snap is kept when SSE_snapped <= SSE_best · N^(1/N) · (1 + relative_tolerance) +
  // absolute_tolerance · Σ (T(y) − mean)², with N rows and T the residual transform. The
  // factor N^(1/N) is the Bayesian information criterion's price of one free constant:
  // N·log(SSE) + k·log(N) does not grow when a snap removes one. The absolute term
  // admits snaps on noiseless data, where SSE_best is rounding noise.
  double relative_tolerance = 0.0;
  double absolute_tolerance = 1e-20;
  int max_iterations = 200;  // Levenberg–Marquardt function evaluations per fit
  int threads = 1;
  // Past this time no further snap is tried.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct RefineResult {
  NodeId root = kNoNode;   // the refined formula, in the graph passed in
  double nmse = 0.0;       // on the fitted rows, original units
  int snapped = 0;         // constants replaced by simple values
};

// A formula whose constants are parameters: Param k has value values[k].
struct ParametricFormula {
  Graph graph;
  NodeId root = kNoNode;
  std::vector<double> values;
};

ParametricFormula parametrize(const Graph& graph, NodeId root);

// Fits the parameters that are not fixed by Levenberg–Marquardt, in place. Returns the
// sum of squared residuals after the fit; `values` changes only if the fit improved it.
double fit_constants(const ParametricFormula& formula, std::vector<double>& values,
                     const std::vector<bool>& fixed, const FitData& data,
                     const RefineOptions& options);

// Normalised mean squared error of `root` on the rows: mean((y − f)²) / variance(y).
// Non-finite predictions give +inf.
double formula_nmse(const Graph& graph, NodeId root, const autodiff::Columns& inputs,
                    const double* target, int threads);

struct EliminationOptions {
  // Eliminating m parameters in all is kept while the refitted sum of squared residuals
  // stays below SSE_best · N^(m/N) · (1 + relative_tolerance) + absolute_tolerance ·
  // Σ (t − mean t)², with N rows: the Bayesian information criterion N·log(SSE) +
  // k·log(N) must not grow. The absolute term admits exact representations of noiseless
  // data, where SSE is rounding noise.
  double relative_tolerance = 0.0;
  double absolute_tolerance = 1e-10;
  // Stop after this many rejected candidates in a row; candidates are tried from the
  // least sensitive up, so the later ones are unlikely to go.
  int max_rejections = 4;
  int max_iterations = 60;
  int threads = 1;
  // Past this time no further parameter is tried.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct EliminationResult {
  int eliminated = 0;
  double sse = 0.0;    // sum of squared residuals of the final fit
  double total = 0.0;  // Σ (t − mean t)², for comparison
};

// Greedy backward elimination. Fits the live (not frozen) parameters of `root` by
// Levenberg–Marquardt, then repeatedly sets the least sensitive live parameter to zero,
// refits the others and keeps the change if the fit stays within tolerance. The
// sensitivity of p is |w_p| times the root mean square of ∂f/∂w_p over the rows.
// `params` holds the final fit.
EliminationResult eliminate_params(const Graph& graph, NodeId root,
                                   std::vector<double>& params, std::vector<bool>& frozen,
                                   const FitData& data, const EliminationOptions& options);

// Keeps at most `max_live` live (not frozen, non-zero) parameters: the rest, the least
// sensitive by |w_p| times the root mean square of ∂f/∂w_p over the rows, are set to zero
// and frozen. Greedy elimination refits all live parameters at each step, at a cost that
// grows with their number squared times the rows, so a large network is cut down first.
// Returns how many parameters were cut.
std::size_t cap_live_params(const Graph& graph, NodeId root, std::vector<double>& params,
                            std::vector<bool>& frozen, const FitData& data,
                            std::size_t max_live, int threads);

// Sparser variants of an eliminated network, for the Pareto front. Starting from the
// state eliminate_params left, repeatedly sets to zero whichever of the `candidates`
// least sensitive live parameters costs the least after a refit, and records the state,
// until no live parameter is left, the fit is worse than the mean (SSE above Σ (t − mean)²)
// or `max_states` states are recorded. Returns the states, each sparser than the last.
std::vector<std::vector<double>> sparser_states(const Graph& graph, NodeId root,
                                                std::vector<double> params,
                                                std::vector<bool> frozen, const FitData& data,
                                                const EliminationOptions& options,
                                                int max_states, int candidates = 3);

// Refits and snaps the constants of `root`; the result is canonical and lives in `graph`.
RefineResult refine_formula(Graph& graph, NodeId root, const FitData& data,
                            const std::vector<bool>& positive_inputs,
                            const RefineOptions& options);

}  // namespace lies::engine
