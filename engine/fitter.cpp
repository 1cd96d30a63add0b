#include "engine/fitter.hpp"

#include <chrono>
#include <cmath>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "autodiff/program.hpp"
#include "engine/check.hpp"
#include "engine/network.hpp"
#include "engine/refine.hpp"
#include "simplify/canonical.hpp"
#include "simplify/prune.hpp"

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

}  // namespace

absl::StatusOr<FitResult> fit(const Dataset& data, const FitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Problem problem;
  LIES_RETURN_IF_ERROR(validate(data, options, problem));
  LIES_ASSIGN_OR_RETURN(const Transform transform,
                        choose_transform(data, problem, options.log_space));
  const TrainingTable table = apply_transform(transform, data, problem);

  const auto n = static_cast<std::uint32_t>(problem.inputs.size());
  const std::uint32_t layers = options.layers > 0 ? static_cast<std::uint32_t>(options.layers) : n;
  const LiesNetwork net = LiesNetwork::build(n, layers);
  const NodeId outputs[] = {net.output()};
  const auto program = autodiff::Program::compile(net.graph(), outputs, n, net.num_params());

  std::vector<const double*> input_columns;
  for (const auto& column : table.inputs) input_columns.push_back(column.data());
  TrainerOptions trainer_options;
  trainer_options.optimizer = options.optimizer;
  trainer_options.batch_size = options.batch_size;
  trainer_options.threads = options.threads;
  std::string stage;
  if (options.on_progress) {
    trainer_options.on_epoch = [&](const EpochReport& report) {
      options.on_progress({stage, report});
    };
  }
  Trainer trainer(program, input_columns, table.target.data(), table.rows(), trainer_options);

  // Epoch budget: weak sparsity 30 %, strong sparsity 45 %, fine-tuning the rest. The
  // learning-rate decay per phase is the published one (0.9 over 20 epochs, 0.95 over 30)
  // spread over however many epochs the phase gets.
  const int weak_epochs = std::max(1, options.epochs * 30 / 100);
  const int strong_epochs = std::max(1, options.epochs * 45 / 100);
  const int tune_epochs = std::max(1, options.epochs - weak_epochs - strong_epochs);

  std::vector<double> params = net.initial_params(options.seed);
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
  trainer.run(params, frozen, weak, options.seed + 1);

  PhaseOptions strong = weak;
  strong.epochs = strong_epochs;
  strong.l1 = 0.01;
  strong.rho = 0.005;
  strong.alpha = 5.0 * std::pow(10.0, 1.0 - static_cast<double>(n));
  strong.decay = decay_for(std::pow(0.95, 30), strong_epochs);
  stage = "strong sparsity";
  trainer.run(params, frozen, strong, options.seed + 2);

  // Prune: the published sensitivity rule per weight matrix, then every weight that is
  // still below the threshold.
  std::vector<std::uint32_t> group(params.size());
  for (std::size_t p = 0; p < params.size(); ++p) {
    const ParamInfo& info = net.params()[p];
    group[p] = info.layer * 2 + (info.kind == ParamKind::Bridge ? 1 : 0);
  }
  const autodiff::Columns all_rows{input_columns, table.rows()};
  simplify::prune_by_sensitivity(program, all_rows, params, group, options.prune_threshold,
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
  trainer.run(params, frozen, tune, options.seed + 3);

  // Read the formula off the network: parameters become constants, dead units fold
  // away, protected units that never clamp become plain log and exp, and the inputs and
  // output go back to the user's units.
  FitResult result;
  Graph constants;
  const NodeId frozen_root = simplify::freeze_params(net.graph(), net.output(), params, constants);
  Graph folded;
  simplify::Canonicalizer fold(folded, {});
  const NodeId folded_root = fold.copy(constants, frozen_root);
  Graph released;
  NodeId root = simplify::release_protected(folded, folded_root, all_rows, released);
  root = to_original_units(transform, released, root);

  std::vector<bool> positive_inputs;
  for (std::size_t j : problem.inputs) {
    const auto& column = data.columns[j];
    positive_inputs.push_back(
        std::all_of(column.begin(), column.end(), [](double v) { return v > 0.0; }));
  }
  Graph formula;
  simplify::Canonicalizer canonical(formula, {positive_inputs});
  root = canonical.copy(released, root);

  if (options.on_progress) options.on_progress({"refine", {}});
  const Sample sample = sample_rows(data, problem, options.refine_rows);
  FitData fit_data;
  fit_data.inputs = sample.view();
  fit_data.target = sample.target.data();
  fit_data.log_residual = transform.log_space;
  RefineOptions refine_options;
  refine_options.threads = options.threads;
  const RefineResult refined = refine_formula(formula, root, fit_data, positive_inputs,
                                              refine_options);

  // Keep only the final formula in the result graph.
  const NodeId final_roots[] = {refined.root};
  result.formula = copy_into(formula, final_roots, result.graph,
                             [](NodeId) { return kNoNode; })[0];

  autodiff::Columns full;
  for (std::size_t j : problem.inputs) full.data.push_back(data.columns[j].data());
  full.rows = data.rows();
  result.nmse = formula_nmse(result.graph, result.formula, full,
                             data.columns[problem.target].data(), options.threads);
  result.r2 = 1.0 - result.nmse;
  for (std::size_t j : problem.inputs) result.input_names.push_back(data.names[j]);
  result.target_name = data.names[problem.target];
  result.log_space = transform.log_space;
  result.rows = data.rows();
  result.layers = layers;
  result.num_params = net.num_params();
  for (double p : params) result.live_params += p != 0.0 ? 1 : 0;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace lies::engine
