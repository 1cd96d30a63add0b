// The fit pipeline: from a table to a Pareto front of formulas and the chosen one.
//
//   split rows (training / validation) → transforms (log space, linear space) → trials in
//   rounds of four, in parallel: each trial trains a LIES network (weak sparsity,
//   oversampling of the worst-fitted region, strong sparsity), prunes it, eliminates
//   weights by refitting, reads formulas off the graph at several sparsity levels and
//   refits and snaps their constants, simplifying them with the rewrite rules before and
//   after → all formulas go onto a Pareto front of complexity
//   against validation error → one is chosen.
//
//   engine::FitOptions options;
//   options.target = "F";
//   absl::StatusOr<engine::FitResult> result = engine::fit(data, options);
//   // result->graph, result->formula: the chosen formula; result->front: the front.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/dataset.hpp"
#include "engine/graph.hpp"
#include "engine/network_formula.hpp"
#include "engine/trainer.hpp"
#include "engine/transform.hpp"

namespace lies::engine {

inline constexpr std::size_t kMinRows = 10;
// Smallest and largest magnitude of a non-zero value in the table that fit accepts.
inline constexpr double kMinMagnitude = 1e-100;
inline constexpr double kMaxMagnitude = 1e100;

struct Progress {
  std::string stage;       // "training", "weak sparsity", "refine", ...
  int trial = 0;           // 0-based index of the reporting trial
  int trials_done = 0;     // trials finished so far
  int trials = 0;          // the trial budget
  EpochReport epoch;       // valid when epoch.epochs > 0
  double best_error = 0.0; // smallest validation NMSE so far (+inf before the first)
};

struct FitOptions {
  std::optional<std::string> target;  // default: the last column
  std::uint64_t seed = 0;
  int epochs = 120;                   // training epochs of each trial, over all its phases
  int layers = 0;                     // 0: one hidden layer per input
  LogSpace log_space = LogSpace::kAuto;
  int threads = 0;                    // 0: OpenMP's default

  // Budget. Trials run in rounds of four and stop after the round in which a formula
  // reaches `exact_error` on the validation rows, after `trials` trials, or when a limit
  // below is reached. With a limit of 0 there is none. A run cut by the time limit
  // depends on the machine's speed; every other stop is deterministic.
  int trials = 32;
  double time_limit_seconds = 0.0;
  int max_epochs = 0;                 // over all trials
  double exact_error = 1e-20;         // validation NMSE that counts as an exact formula
  // Formulas more complex than this (node count of the printed formula) stay off the
  // front, unless no formula is simpler: a shared subexpression prints once per use, so a
  // formula read off a dense network can print to millions of nodes.
  std::uint64_t max_complexity = 1000;

  // Stages, each on by default; switching one off is for ablation studies.
  bool subsample = true;    // train on a subsample, validate on the other rows
  bool oversample = true;   // retrain with extra rows from the worst-fitted cell
  bool eliminate = true;    // greedy elimination of weights, and sparser variants
  bool refine = true;       // Levenberg–Marquardt refit and snapping of constants
  bool both_spaces = true;  // in automatic log-space mode, alternate log and linear space

  // Subsampling: a share of the rows (at most max_validation_rows) is held out for
  // validation and model selection; training uses at most train_rows of the others.
  // Tables with fewer than min_split_rows rows train and validate on every row.
  double validation_share = 0.2;
  std::size_t max_validation_rows = 10000;
  std::size_t train_rows = 10000;
  std::size_t min_split_rows = 100;

  LossKind loss = LossKind::kExpAbs;
  OptimizerKind optimizer = OptimizerKind::kRmsprop;
  double learning_rate = 1.5e-2;
  std::size_t batch_size = 128;
  // Weights with |w| below this after the sparsity phases are pruned.
  double prune_threshold = 0.01;
  // Rows used to refit constants and eliminate weights (evenly spaced training rows).
  std::size_t refine_rows = 2000;
  std::function<void(const Progress&)> on_progress;
};

// One formula of the Pareto front.
struct FrontEntry {
  NodeId formula = kNoNode;    // in FitResult::graph
  std::uint64_t complexity = 0;
  double validation_error = 0.0;  // NMSE on the validation rows
  bool log_space = false;      // the space of the trial that produced it
  int trial = 0;
};

struct FitResult {
  Graph graph;                 // holds every formula of the front
  NodeId formula = kNoNode;    // the chosen one; Input j is input_names[j], original units
  std::vector<FrontEntry> front;  // by increasing complexity
  std::size_t chosen = 0;      // index into front
  std::vector<std::string> input_names;
  std::string target_name;
  bool log_space = false;      // the chosen formula came from a log-space trial
  double r2 = 0.0;             // of the chosen formula on all rows
  double nmse = 0.0;           // on all rows: mean squared error / variance of y
  double seconds = 0.0;
  std::size_t rows = 0;
  std::size_t training_rows = 0;
  std::size_t validation_rows = 0;
  std::uint32_t layers = 0;
  std::uint32_t num_params = 0;  // of the network
  int trials = 0;              // trials run
  bool budget_exhausted = false;  // the time or epoch limit cut the run
  // The trained network of the trial that produced the chosen formula, in the state the
  // formula was read from (before its constants were refitted).
  TrainedNetwork network;
};

// Fits formulas for the target column of `data` from all other columns. Bad input
// (unknown target, too few rows, constant target, log space forced on data that do not
// allow it, no input column, a non-finite value) is an InvalidArgument that names the
// problem and the fix.
absl::StatusOr<FitResult> fit(const Dataset& data, const FitOptions& options);

}  // namespace lies::engine
