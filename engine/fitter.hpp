// The fit pipeline: from a table to a formula.
//
//   validate → transform (log space, scaling) → build the LIES network → train with weak
//   sparsity → train with strong sparsity → prune → fine-tune the survivors → read the
//   formula off the graph → simplify → refit and snap its constants → simplify → metrics.
//
//   engine::FitOptions options;
//   options.target = "F";
//   absl::StatusOr<engine::FitResult> result = engine::fit(data, options);
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

struct Progress {
  std::string stage;      // "weak sparsity", "strong sparsity", "fine-tune", "refine"
  EpochReport epoch;      // valid for training stages
};

struct FitOptions {
  std::optional<std::string> target;  // default: the last column
  std::uint64_t seed = 0;
  int epochs = 120;                   // over all training stages, split 30 % / 45 % / 25 %
  int layers = 0;                     // 0: one hidden layer per input
  LogSpace log_space = LogSpace::kAuto;
  int threads = 0;                    // 0: OpenMP's default
  // Independent training runs; the best formula wins. Trial 0 starts from the linear
  // least-squares fit of the transformed data, the others from random weights.
  int trials = 4;
  LossKind loss = LossKind::kExpAbs;
  OptimizerKind optimizer = OptimizerKind::kRmsprop;
  double learning_rate = 1.5e-2;
  std::size_t batch_size = 128;
  // Weights with |w| below this after the sparsity phases are pruned.
  double prune_threshold = 0.01;
  // Rows used to refit the formula's constants (evenly spaced over the table).
  std::size_t refine_rows = 2000;
  std::function<void(const Progress&)> on_progress;
};

struct FitResult {
  Graph graph;
  NodeId formula = kNoNode;           // Input j is input_names[j], in original units
  std::vector<std::string> input_names;
  std::string target_name;
  bool log_space = false;
  double r2 = 0.0;                    // on all rows
  double nmse = 0.0;                  // on all rows: mean squared error / variance of y
  double seconds = 0.0;
  std::size_t rows = 0;
  std::uint32_t layers = 0;
  std::uint32_t num_params = 0;       // of the network
  std::uint32_t live_params = 0;      // non-zero after pruning, in the chosen trial
  int trials = 0;
  // The trained network of the chosen trial, from which `formula` was read and refined.
  TrainedNetwork network;
};

// Fits a formula for the target column of `data` from all other columns. Bad input
// (unknown target, too few rows, constant target, log space forced on non-positive
// data, no input column) is an InvalidArgument that names the problem and the fix.
absl::StatusOr<FitResult> fit(const Dataset& data, const FitOptions& options);

}  // namespace lies::engine
