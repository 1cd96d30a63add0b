#include "engine/trial.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "engine/check.hpp"
#include "engine/oversample.hpp"
#include "engine/random.hpp"
#include "engine/refine.hpp"
#include "engine/trainer.hpp"
#include "engine/network_formula.hpp"
#include "simplify/prune.hpp"
#include "simplify/simplify.hpp"

namespace lies::engine::detail {
namespace {

// Published LIES phase constants: λ (L1), ρ and α (ADMM), and the learning-rate decay
// over the published number of epochs of each phase.
constexpr double kWeakL1 = 0.05, kWeakRho = 0.9, kWeakAlpha = 5e-4;
constexpr double kOversampleL1 = 0.05, kOversampleRho = 0.1, kOversampleAlpha = 5e-4;
constexpr double kStrongL1 = 0.01, kStrongRho = 0.005;
constexpr double kOversampleShare = 0.3;
constexpr int kSparserStates = 6;
// Live weights at most when greedy elimination starts (see cap_live_params).
constexpr std::size_t kMaxEliminationParams = 64;
// A network fit whose squared residuals are below this share of the target's variance
// is exact up to rounding.
constexpr double kExactShare = 1e-20;

// Per-epoch decay that gives `total` over `epochs` epochs.
double decay_for(double total, int epochs) { return std::pow(total, 1.0 / std::max(epochs, 1)); }

// Output-layer weights on stage 0 set to the least-squares fit of the target on the
// inputs and the constant 1; output weights on hidden units set to 0. The network then
// starts at the best linear model of the transformed data (a power law in log space)
// and the hidden units only have to explain what that leaves.
void start_from_linear_fit(const LiesNetwork& net, const TrainingTable& table,
                           std::vector<double>& params) {
  const std::size_t n = table.inputs.size();
  const auto rows = static_cast<Eigen::Index>(table.rows());
  Eigen::MatrixXd a(rows, static_cast<Eigen::Index>(n + 1));
  Eigen::VectorXd b(rows);
  for (Eigen::Index r = 0; r < rows; ++r) {
    const auto row = static_cast<std::size_t>(r);
    for (std::size_t j = 0; j < n; ++j) a(r, static_cast<Eigen::Index>(j)) = table.inputs[j][row];
    a(r, static_cast<Eigen::Index>(n)) = 1.0;
    b[r] = table.target[row];
  }
  const Eigen::VectorXd w = a.colPivHouseholderQr().solve(b);
  for (std::size_t p = 0; p < params.size(); ++p) {
    const ParamInfo& info = net.params()[p];
    if (info.kind != ParamKind::Weight || info.layer != net.layers() + 1) continue;
    const double value = info.source <= n ? w[static_cast<Eigen::Index>(info.source)] : 0.0;
    params[p] = std::isfinite(value) ? value : 0.0;
  }
}

// Mean squared error of the network on a table.
double network_mse(const autodiff::Program& program, const TrainingTable& table,
                   std::span<const double> params) {
  std::vector<double> prediction(table.rows());
  autodiff::Evaluator(program, 1).evaluate(table.columns(), params, prediction);
  double sum = 0.0;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const double e = prediction[r] - table.target[r];
    sum += e * e;
  }
  return std::isfinite(sum) ? sum / static_cast<double>(table.rows())
                            : std::numeric_limits<double>::infinity();
}

// Reads the formula off the network with the given weights (parameters become
// constants, protected units that never clamp on the training rows become plain log and
// exp, the inputs and output go back to the user's units), simplifies it, refits and snaps
// its constants, and simplifies it again for presentation. Returns the formula in
// `candidate.graph`.
void extract_formula(const TrialSetup& setup, const Space& space, int threads,
                     Candidate& candidate) {
  candidate.protected_ranges = simplify::protected_argument_ranges(
      setup.net.graph(), setup.net.output(), space.train.columns(), candidate.params);
  Graph read;
  const NodeId read_root =
      network_formula(setup.net.graph(), setup.net.output(), candidate.params,
                      candidate.protected_ranges, space.transform, read);

  const autodiff::Columns guard_rows = setup.train_original.columns();
  simplify::SimplifyOptions simplify_options;
  simplify_options.facts.positive_inputs = setup.positive_inputs;
  simplify_options.data = &guard_rows;
  simplify_options.present = false;
  Graph formula;
  NodeId root = simplify::simplify(read, read_root, formula, simplify_options).root;

  if (setup.options.refine && std::chrono::steady_clock::now() < setup.deadline) {
    FitData fit_data;
    fit_data.inputs = setup.refine_sample.columns();
    fit_data.target = setup.refine_sample.target.data();
    // Constants are refitted to y itself, also for a log-space trial: additive noise
    // on y weighs the small targets most in log|y|, which biases exponents enough that
    // the snap to the true value fails (x1^2.016 for x1^2 at 1 % noise).
    fit_data.log_residual = false;
    RefineOptions refine_options;
    refine_options.threads = threads;
    refine_options.deadline = setup.deadline;
    root = refine_formula(formula, root, fit_data, setup.positive_inputs, refine_options).root;
  }
  simplify_options.present = true;
  candidate.formula = simplify::simplify(formula, root, candidate.graph, simplify_options).root;
}

}  // namespace

TrainingTable evenly_spaced(const TrainingTable& table, std::size_t count) {
  const std::size_t rows = table.rows();
  const std::size_t n = std::min(count, rows);
  TrainingTable sample;
  sample.inputs.assign(table.inputs.size(), {});
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = k * rows / n;
    for (std::size_t j = 0; j < table.inputs.size(); ++j) {
      sample.inputs[j].push_back(table.inputs[j][r]);
    }
    sample.target.push_back(table.target[r]);
  }
  return sample;
}

std::vector<Candidate> run_trial(const TrialSetup& setup, int index, int threads,
                                 const StageReport& report) {
  const FitOptions& options = setup.options;
  const Space& space = setup.spaces[static_cast<std::size_t>(index) % setup.spaces.size()];
  const std::uint64_t seed = hash_mix(options.seed, static_cast<std::uint64_t>(index));
  const std::uint32_t n = setup.net.inputs();

  std::vector<const double*> input_columns;
  for (const auto& column : space.train.inputs) input_columns.push_back(column.data());
  TrainerOptions trainer_options;
  trainer_options.optimizer = options.optimizer;
  trainer_options.batch_size = options.batch_size;
  trainer_options.threads = threads;
  trainer_options.deadline = setup.deadline;
  std::string stage;
  if (report) {
    trainer_options.on_epoch = [&](const EpochReport& epoch) { report(stage, epoch); };
  }
  Trainer trainer(setup.program, input_columns, space.train.target.data(), space.train.rows(),
                  trainer_options);

  // Epoch budget: weak sparsity 30 %, oversampling 15 %, strong sparsity 35 %,
  // fine-tuning the rest (without oversampling its share goes to the weak phase).
  const int oversample_epochs = options.oversample ? std::max(1, options.epochs * 15 / 100) : 0;
  const int weak_epochs = std::max(1, options.epochs * 30 / 100) +
                          (options.oversample ? 0 : options.epochs * 15 / 100);
  const int strong_epochs = std::max(1, options.epochs * 35 / 100);
  const int tune_epochs =
      std::max(1, options.epochs - weak_epochs - oversample_epochs - strong_epochs);

  std::vector<double> params = setup.net.initial_params(seed);
  if (static_cast<std::size_t>(index) < setup.spaces.size()) {
    start_from_linear_fit(setup.net, space.train, params);
  }
  std::vector<bool> frozen(params.size(), false);

  PhaseOptions weak;
  weak.epochs = weak_epochs;
  weak.l1 = kWeakL1;
  weak.rho = kWeakRho;
  weak.alpha = kWeakAlpha;
  weak.decay = decay_for(std::pow(0.9, 20), weak_epochs);
  weak.learning_rate = options.learning_rate;
  weak.loss = options.loss;
  stage = "weak sparsity";
  trainer.run(params, frozen, weak, seed + 1);

  if (options.oversample) {
    // Retrain with extra rows from the worst-fitted cell; keep the new weights only if
    // the error on the validation rows went down.
    std::vector<double> prediction(space.train.rows());
    autodiff::Evaluator(setup.program, threads)
        .evaluate(space.train.columns(), params, prediction);
    const Cell cell = worst_cell(space.train, prediction);
    Rng rng(seed + 4);
    trainer.set_rows(oversampled_rows(space.train.rows(), cell, kOversampleShare, rng));
    std::vector<double> retrained = params;
    PhaseOptions phase = weak;
    phase.epochs = oversample_epochs;
    phase.l1 = kOversampleL1;
    phase.rho = kOversampleRho;
    phase.alpha = kOversampleAlpha;
    phase.decay = decay_for(std::pow(0.9, 20), oversample_epochs);
    stage = "oversampling";
    trainer.run(retrained, frozen, phase, seed + 5);
    trainer.set_rows({});
    if (network_mse(setup.program, space.validation, retrained) <
        network_mse(setup.program, space.validation, params)) {
      params = std::move(retrained);
    }
  }

  PhaseOptions strong = weak;
  strong.epochs = strong_epochs;
  strong.l1 = kStrongL1;
  strong.rho = kStrongRho;
  strong.alpha = 5.0 * std::pow(10.0, 1.0 - static_cast<double>(n));
  strong.decay = decay_for(std::pow(0.95, 30), strong_epochs);
  stage = "strong sparsity";
  trainer.run(params, frozen, strong, seed + 2);

  // Prune: the published sensitivity rule per weight matrix, then every weight that is
  // still below the threshold.
  std::vector<std::uint32_t> group(params.size());
  for (std::size_t p = 0; p < params.size(); ++p) {
    const ParamInfo& info = setup.net.params()[p];
    group[p] = info.layer * 2 + (info.kind == ParamKind::Bridge ? 1 : 0);
  }
  simplify::prune_by_sensitivity(setup.program, space.train.columns(), params, group,
                                 options.prune_threshold, frozen);
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (std::abs(params[p]) < options.prune_threshold) {
      params[p] = 0.0;
      frozen[p] = true;
    }
  }

  // Greedy elimination refits every live weight at each step; on a large network cut the
  // live weights down to the most sensitive ones first, and let fine-tuning make up for
  // the rest.
  if (options.eliminate) {
    FitData network_data;
    network_data.inputs = space.refit.columns();
    network_data.target = space.refit.target.data();
    cap_live_params(setup.net.graph(), setup.net.output(), params, frozen, network_data,
                    kMaxEliminationParams, threads);
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

  // Greedy backward elimination with Levenberg–Marquardt refits: the weights that
  // survive are the ones the fit needs. Sparser variants go on the Pareto front too.
  std::vector<std::vector<double>> states;
  const bool in_time = std::chrono::steady_clock::now() < setup.deadline;
  if (options.eliminate && in_time) {
    stage = "elimination";
    if (report) report(stage, {});
    FitData network_data;
    network_data.inputs = space.refit.columns();
    network_data.target = space.refit.target.data();
    EliminationOptions elimination;
    elimination.threads = threads;
    elimination.deadline = setup.deadline;
    const EliminationResult eliminated = eliminate_params(
        setup.net.graph(), setup.net.output(), params, frozen, network_data, elimination);
    states.push_back(params);
    // Sparser variants of an exact fit can only be worse, and they cost refits.
    const bool exact = eliminated.sse <= kExactShare * eliminated.total;
    if (!exact && std::chrono::steady_clock::now() < setup.deadline) {
      for (auto& state : sparser_states(setup.net.graph(), setup.net.output(), params, frozen,
                                        network_data, elimination, kSparserStates)) {
        states.push_back(std::move(state));
      }
    }
  } else {
    states.push_back(params);
  }

  stage = "refine";
  if (report) report(stage, {});
  std::vector<Candidate> candidates;
  for (std::vector<double>& state : states) {
    Candidate candidate;
    candidate.log_space = space.transform.log_space;
    candidate.trial = index;
    candidate.space = static_cast<std::size_t>(index) % setup.spaces.size();
    candidate.params = std::move(state);
    extract_formula(setup, space, threads, candidate);
    candidates.push_back(std::move(candidate));
    if (std::chrono::steady_clock::now() > setup.deadline) break;
  }
  return candidates;
}

}  // namespace lies::engine::detail
