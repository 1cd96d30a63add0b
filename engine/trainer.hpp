// Training of a compiled network: minibatch gradient descent with the LIES sparsity terms.
//
// The objective of one minibatch B is
//   data term    mean over B of exp(|ŷ − t|)   (or of (ŷ − t)² with LossKind::kSquared)
//   violation    w_v · mean over B of the domain violations of protected units
//   L1           λ · Σ |w|
//   ADMM         ρ/2 · ‖w − z + u‖²
// where z and u are the ADMM state: once per epoch z = soft_threshold(w + u, α/ρ) and
// u = u + w − z, which pulls the weights towards an exactly sparse copy. (The published
// LIES code uses the norm instead of its square; the square is the augmented Lagrangian
// that ADMM is defined with, and its gradient stays bounded near the optimum.)
//
// A step whose loss or gradient is not finite is undone: the weights go back to the last
// finite state and the learning rate is halved.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"

namespace lies::engine {

enum class LossKind { kExpAbs, kSquared };
enum class OptimizerKind { kRmsprop, kAdam };

struct PhaseOptions {
  int epochs = 20;
  double l1 = 0.05;      // λ
  double rho = 0.9;      // ρ; 0 turns ADMM off
  double alpha = 5e-4;   // α, so the soft threshold is α/ρ
  double decay = 0.9;    // learning rate factor applied after each epoch
  double learning_rate = 1.5e-2;
  LossKind loss = LossKind::kExpAbs;
};

struct EpochReport {
  int epoch = 0;          // 1-based within the phase
  int epochs = 0;
  double loss = 0.0;      // mean data term over the epoch's batches
  double rows_per_second = 0.0;
};

struct TrainerOptions {
  OptimizerKind optimizer = OptimizerKind::kRmsprop;
  std::size_t batch_size = 128;
  double violation_weight = 1.0;
  int threads = 1;
  std::function<void(const EpochReport&)> on_epoch;
  // No epoch starts after this time.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

class Trainer {
 public:
  // `inputs` and `target` must outlive the trainer; inputs[j] has `rows` values.
  Trainer(const autodiff::Program& program, std::span<const double* const> inputs,
          const double* target, std::size_t rows, const TrainerOptions& options);

  // Trains `params` for one phase. Parameters with frozen[p] true keep their value.
  // Returns the number of steps that were undone because they were not finite.
  int run(std::vector<double>& params, const std::vector<bool>& frozen,
          const PhaseOptions& phase, std::uint64_t seed);

  // Draws minibatches from these rows (indices into the table, repeats allowed) instead of
  // from every row once per epoch. An empty list restores every row.
  void set_rows(std::vector<std::uint32_t> rows);

  // Mean data term (and its gradient, when `gradient` is not empty) over all rows.
  double full_loss(std::span<const double> params, LossKind loss, std::span<double> gradient);

 private:
  void gather_batch(std::span<const std::uint32_t> rows);

  autodiff::Evaluator evaluator_;
  std::vector<const double*> inputs_;
  const double* target_;
  std::size_t rows_;
  std::vector<std::uint32_t> rows_used_;  // the rows minibatches are drawn from
  TrainerOptions options_;

  // Minibatch buffers, column-major.
  std::vector<std::vector<double>> batch_inputs_;
  std::vector<double> batch_target_;
  autodiff::Columns batch_view_;  // points into batch_inputs_
};

// Soft-thresholding operator: sign(v) · max(|v| − threshold, 0).
double soft_threshold(double v, double threshold);

}  // namespace lies::engine
