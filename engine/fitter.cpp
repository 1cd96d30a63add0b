#include "engine/fitter.hpp"

#include <omp.h>

#include <Eigen/Dense>
#include <chrono>
#include <cmath>
#include <limits>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "autodiff/program.hpp"
#include "engine/check.hpp"
#include "engine/network.hpp"
#include "engine/refine.hpp"
#include "engine/network_formula.hpp"
#include "simplify/complexity.hpp"
#include "simplify/prune.hpp"
#include "simplify/simplify.hpp"

namespace lies::engine {
namespace {

absl::Status validate(const Dataset& data, const FitOptions& options, Problem& problem) {
  if (data.cols() == 0 || data.names.size() != data.cols()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: the table has no columns, or names and columns differ in number",
                        data.source));
  }
  for (std::size_t j = 0; j < data.cols(); ++j) {
    if (data.columns[j].size() != data.rows()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: column '%s' has %d rows but column '%s' has %d; all columns need the same "
          "length",
          data.source, data.names[j], data.columns[j].size(), data.names[0], data.rows()));
    }
    for (std::size_t r = 0; r < data.rows(); ++r) {
      if (!std::isfinite(data.columns[j][r])) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: column '%s' has the non-finite value %g in data row %d; remove or fix the row",
            data.source, data.names[j], data.columns[j][r], r + 1));
      }
    }
  }

  if (options.target) {
    const auto found = data.find_column(*options.target);
    if (!found) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: target column '%s' not found; the columns are: %s", data.source,
                          *options.target, absl::StrJoin(data.names, ", ")));
    }
    problem.target = *found;
  } else {
    problem.target = data.cols() - 1;
  }
  for (std::size_t j = 0; j < data.cols(); ++j) {
    if (j != problem.target) problem.inputs.push_back(j);
  }
  if (problem.inputs.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: the table has only the target column '%s'; a fit needs at least one input column",
        data.source, data.names[problem.target]));
  }
  if (data.rows() < kMinRows) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d data rows; a fit needs at least %d", data.source, data.rows(),
                        kMinRows));
  }
  const std::vector<double>& y = data.columns[problem.target];
  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y.front(); })) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: the target column '%s' is constant (%g in every row); there is nothing to fit",
        data.source, data.names[problem.target], y.front()));
  }
  if (options.epochs < 4) {
    return absl::InvalidArgumentError(
        absl::StrFormat("epochs is %d; use at least 4", options.epochs));
  }
  if (options.layers < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("layers is %d; use 0 (one per input) or a positive number",
                        options.layers));
  }
  return absl::OkStatus();
}

// Evenly spaced rows, at most `count`, as a sub-table of columns and target.
struct Sample {
  std::vector<std::vector<double>> inputs;
  std::vector<double> target;
  autodiff::Columns view() const {
    autodiff::Columns columns;
    for (const auto& c : inputs) columns.data.push_back(c.data());
    columns.rows = target.size();
    return columns;
  }
};

Sample sample_rows(const Dataset& data, const Problem& problem, std::size_t count) {
  const std::size_t rows = data.rows();
  const std::size_t n = std::min(count, rows);
  Sample sample;
  sample.inputs.assign(problem.inputs.size(), {});
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = k * rows / n;
    for (std::size_t j = 0; j < problem.inputs.size(); ++j) {
      sample.inputs[j].push_back(data.columns[problem.inputs[j]][r]);
    }
    sample.target.push_back(data.columns[problem.target][r]);
  }
  return sample;
}

// Per-epoch decay that gives `total` over `epochs` epochs.
double decay_for(double total, int epochs) { return std::pow(total, 1.0 / std::max(epochs, 1)); }

// One training run from one initialisation, up to the refined formula.
struct Trial {
  Graph graph;
  NodeId formula = kNoNode;
  double nmse = std::numeric_limits<double>::infinity();  // on the refine sample
  std::uint64_t complexity = 0;
  std::uint32_t live_params = 0;
  bool log_space = false;
  // The network the formula was read from: its trained values, its protected units' argument
  // ranges and the index of its space.
  std::vector<double> params;
  simplify::ArgumentRanges protected_ranges;
  std::size_t space = 0;
};

// The data in one space (log or linear) as the network sees it.
struct Space {
  Transform transform;
  TrainingTable table;
  Sample sample;  // evenly spaced rows of `table`, for refits
};

struct TrialContext {
  const Dataset& data;
  const Problem& problem;
  const std::vector<Space>& spaces;  // trial k trains in spaces[k % spaces.size()]
  const LiesNetwork& net;
  const autodiff::Program& program;
  const FitOptions& options;
  const Sample& refine_sample;  // original units
  const std::vector<bool>& positive_inputs;
  const autodiff::Columns& inputs;  // every row, original units
};

// Output-layer weights on stage 0 set to the least-squares fit of the target on the
// inputs and the constant 1; output weights on hidden units set to 0. The network then
// starts at the best linear model of the transformed data (a power law in log space)
// and the hidden units only have to explain what that leaves.
void start_from_linear_fit(const LiesNetwork& net, const TrainingTable& table,
                           std::vector<double>& params) {
  const std::size_t n = table.inputs.size();
  Eigen::MatrixXd a(table.rows(), n + 1);
  Eigen::VectorXd b(table.rows());
  for (std::size_t r = 0; r < table.rows(); ++r) {
    for (std::size_t j = 0; j < n; ++j) a(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) = table.inputs[j][r];
    a(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(n)) = 1.0;
    b[static_cast<Eigen::Index>(r)] = table.target[r];
  }
  const Eigen::VectorXd w = a.colPivHouseholderQr().solve(b);
  for (std::size_t p = 0; p < params.size(); ++p) {
    const ParamInfo& info = net.params()[p];
    if (info.kind != ParamKind::Weight || info.layer != net.layers() + 1) continue;
    params[p] = info.source <= n && std::isfinite(w[info.source]) ? w[info.source] : 0.0;
  }
}

Trial run_trial(const TrialContext& c, int index, int threads) {
  const FitOptions& options = c.options;
  const Space& space = c.spaces[static_cast<std::size_t>(index) % c.spaces.size()];
  const std::uint64_t seed = options.seed * 1000003ULL + static_cast<std::uint64_t>(index);
  const std::uint32_t n = c.net.inputs();

  std::vector<const double*> input_columns;
  for (const auto& column : space.table.inputs) input_columns.push_back(column.data());
  TrainerOptions trainer_options;
  trainer_options.optimizer = options.optimizer;
  trainer_options.batch_size = options.batch_size;
  trainer_options.threads = threads;
  std::string stage;
  if (options.on_progress && index == 0) {
    trainer_options.on_epoch = [&](const EpochReport& report) {
      options.on_progress({stage, report});
    };
  }
  Trainer trainer(c.program, input_columns, space.table.target.data(), space.table.rows(),
                  trainer_options);

  // Epoch budget: weak sparsity 40 %, strong sparsity 45 %, fine-tuning the rest. The
  // learning-rate decay per phase is the published one (0.9 over 20 epochs, 0.95 over 30)
  // spread over however many epochs the phase gets.
  const int weak_epochs = std::max(1, options.epochs * 40 / 100);
  const int strong_epochs = std::max(1, options.epochs * 45 / 100);
  const int tune_epochs = std::max(1, options.epochs - weak_epochs - strong_epochs);

  std::vector<double> params = c.net.initial_params(seed);
  if (static_cast<std::size_t>(index) < c.spaces.size()) start_from_linear_fit(c.net, space.table, params);
  std::vector<bool> frozen(params.size(), false);

  PhaseOptions weak;
  weak.epochs = weak_epochs;
  weak.l1 = 0.05;
  weak.rho = 0.9;
  weak.alpha = 5e-4;
  weak.decay = decay_for(std::pow(0.9, 20), weak_epochs);
  weak.learning_rate = options.learning_rate;
  weak.loss = options.loss;
  stage = "weak sparsity";
  trainer.run(params, frozen, weak, seed + 1);

  PhaseOptions strong = weak;
  strong.epochs = strong_epochs;
  strong.l1 = 0.01;
  strong.rho = 0.005;
  strong.alpha = 5.0 * std::pow(10.0, 1.0 - static_cast<double>(n));
  strong.decay = decay_for(std::pow(0.95, 30), strong_epochs);
  stage = "strong sparsity";
  trainer.run(params, frozen, strong, seed + 2);

  // Prune: the published sensitivity rule per weight matrix, then every weight that is
  // still below the threshold.
  std::vector<std::uint32_t> group(params.size());
  for (std::size_t p = 0; p < params.size(); ++p) {
    const ParamInfo& info = c.net.params()[p];
    group[p] = info.layer * 2 + (info.kind == ParamKind::Bridge ? 1 : 0);
  }
  const autodiff::Columns all_rows{input_columns, space.table.rows()};
  simplify::prune_by_sensitivity(c.program, all_rows, params, group, options.prune_threshold,
                                 frozen);
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (std::abs(params[p]) < options.prune_threshold) {
      params[p] = 0.0;
      frozen[p] = true;
    }
  }

  PhaseOptions tune;
  tune.epochs = tune_epochs;
  tune.l1 = 0.0;
  tune.rho = 0.0;
  tune.decay = decay_for(0.05, tune_epochs);
  tune.learning_rate = options.learning_rate * 0.3;
  tune.loss = LossKind::kSquared;
  stage = "fine-tune";
  trainer.run(params, frozen, tune, seed + 3);

  // Greedy backward elimination with Levenberg–Marquardt refits, on a sample of the
  // transformed rows: the weights that survive are the ones the fit needs.
  FitData network_data;
  network_data.inputs = space.sample.view();
  network_data.target = space.sample.target.data();
  EliminationOptions elimination;
  elimination.threads = threads;
  eliminate_params(c.net.graph(), c.net.output(), params, frozen, network_data, elimination);

  // Read the formula off the network: parameters become constants, protected units that
  // never clamp become plain log and exp, and the inputs and output go back to the user's
  // units. The simplifier then folds dead units away and writes the rest canonically.
  Trial trial;
  trial.log_space = space.transform.log_space;
  for (double p : params) trial.live_params += p != 0.0 ? 1 : 0;
  trial.space = static_cast<std::size_t>(index) % c.spaces.size();
  trial.protected_ranges =
      simplify::protected_argument_ranges(c.net.graph(), c.net.output(), all_rows, params);
  Graph read;
  const NodeId read_root = network_formula(c.net.graph(), c.net.output(), params,
                                           trial.protected_ranges, space.transform, read);
  simplify::SimplifyOptions simplify_options;
  simplify_options.facts.positive_inputs = c.positive_inputs;
  simplify_options.data = &c.inputs;
  simplify_options.present = false;
  Graph formula;
  const NodeId root = simplify::simplify(read, read_root, formula, simplify_options).root;
  trial.params = std::move(params);

  FitData fit_data;
  fit_data.inputs = c.refine_sample.view();
  fit_data.target = c.refine_sample.target.data();
  fit_data.log_residual = space.transform.log_space;
  fit_data.target_sign = space.transform.target_sign;
  RefineOptions refine_options;
  refine_options.threads = threads;
  const RefineResult refined =
      refine_formula(formula, root, fit_data, c.positive_inputs, refine_options);

  simplify_options.present = true;
  trial.formula = simplify::simplify(formula, refined.root, trial.graph, simplify_options).root;
  trial.nmse = std::isnan(refined.nmse) ? std::numeric_limits<double>::infinity() : refined.nmse;
  trial.complexity = simplify::formula_complexity(trial.graph, trial.formula);
  return trial;
}

// Whether trial a is a better formula than trial b: a clearly smaller error, or an error
// as small and a smaller complexity.
bool better(const Trial& a, const Trial& b) {
  const double scale = std::max(a.nmse, b.nmse);
  const bool same_error = std::abs(a.nmse - b.nmse) <= 1e-6 * scale + 1e-14;
  if (!same_error) return a.nmse < b.nmse;
  return a.complexity < b.complexity;
}

}  // namespace

absl::StatusOr<FitResult> fit(const Dataset& data, const FitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Problem problem;
  LIES_RETURN_IF_ERROR(validate(data, options, problem));
  // In automatic mode with data that allow log space, trials alternate between log
  // space and linear space: a power law is linear in the first, a sum of terms in the
  // second.
  std::vector<Space> spaces;
  LIES_ASSIGN_OR_RETURN(Transform first, choose_transform(data, problem, options.log_space));
  const bool both = options.log_space == LogSpace::kAuto && first.log_space;
  spaces.push_back({std::move(first), {}, {}});
  if (both) {
    LIES_ASSIGN_OR_RETURN(Transform linear, choose_transform(data, problem, LogSpace::kOff));
    spaces.push_back({std::move(linear), {}, {}});
  }
  for (Space& space : spaces) {
    space.table = apply_transform(space.transform, data, problem);
    const std::size_t count = std::min(options.refine_rows, space.table.rows());
    space.sample.inputs.assign(problem.inputs.size(), {});
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t r = k * space.table.rows() / count;
      for (std::size_t j = 0; j < problem.inputs.size(); ++j) {
        space.sample.inputs[j].push_back(space.table.inputs[j][r]);
      }
      space.sample.target.push_back(space.table.target[r]);
    }
  }

  const auto n = static_cast<std::uint32_t>(problem.inputs.size());
  const std::uint32_t layers = options.layers > 0 ? static_cast<std::uint32_t>(options.layers) : n;
  const LiesNetwork net = LiesNetwork::build(n, layers);
  const NodeId outputs[] = {net.output()};
  const auto program = autodiff::Program::compile(net.graph(), outputs, n, net.num_params());

  std::vector<bool> positive_inputs;
  for (std::size_t j : problem.inputs) {
    const auto& column = data.columns[j];
    positive_inputs.push_back(
        std::all_of(column.begin(), column.end(), [](double v) { return v > 0.0; }));
  }
  const Sample refine_sample = sample_rows(data, problem, options.refine_rows);
  autodiff::Columns full;
  for (std::size_t j : problem.inputs) full.data.push_back(data.columns[j].data());
  full.rows = data.rows();

  const TrialContext context{data,          problem,         spaces, net, program, options,
                             refine_sample, positive_inputs, full};
  const int trials = std::max(1, options.trials);
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  std::vector<Trial> results(static_cast<std::size_t>(trials));
  // Trials run in parallel, one thread each; each trial's result depends only on its
  // index, so the chosen formula does not depend on the thread count.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (trials > 1)
  for (int k = 0; k < trials; ++k) {
    results[static_cast<std::size_t>(k)] = run_trial(context, k, trials > 1 ? 1 : threads);
  }

  std::size_t best = 0;
  for (std::size_t k = 1; k < results.size(); ++k) {
    if (better(results[k], results[best])) best = k;
  }
  Trial& chosen = results[best];

  FitResult result;
  result.graph = std::move(chosen.graph);
  result.formula = chosen.formula;
  result.nmse = formula_nmse(result.graph, result.formula, full,
                             data.columns[problem.target].data(), threads);
  result.r2 = 1.0 - result.nmse;
  for (std::size_t j : problem.inputs) result.input_names.push_back(data.names[j]);
  result.target_name = data.names[problem.target];
  result.log_space = chosen.log_space;
  result.rows = data.rows();
  result.layers = layers;
  result.num_params = net.num_params();
  result.live_params = chosen.live_params;
  result.trials = trials;
  result.network.graph = net.graph();
  result.network.output = net.output();
  result.network.params = std::move(chosen.params);
  result.network.transform = spaces[chosen.space].transform;
  result.network.protected_ranges = std::move(chosen.protected_ranges);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace lies::engine
