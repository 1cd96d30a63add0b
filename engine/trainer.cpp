#include "engine/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "autodiff/kernels.hpp"
#include "engine/check.hpp"
#include "engine/random.hpp"

namespace lies::engine {
namespace {

constexpr double kRmspropDecay = 0.99;
constexpr double kAdamBeta1 = 0.9;
constexpr double kAdamBeta2 = 0.999;
constexpr double kEpsilon = 1e-8;
// A phase gives up after this many undone steps in a row; the weights are then the last
// finite ones.
constexpr int kMaxUndoneInARow = 30;
constexpr std::size_t kMinEpochRows = 2048;

// Seed of the data term: writes d(loss)/d(prediction) for each row, returns the loss sum.
struct DataTermSeed {
  const double* target;
  LossKind loss;
  double weight;  // 1 / number of rows, so the loss is a mean

  double operator()(const double* prediction, std::size_t first, std::size_t rows,
                    double* adjoint) const {
    double sum = 0.0;
    if (loss == LossKind::kExpAbs) {
      // exp(|e|) of the whole chunk through the vector kernel, in place in `adjoint`.
      for (std::size_t r = 0; r < rows; ++r) {
        adjoint[r] = std::abs(prediction[r] - target[first + r]);
      }
      autodiff::kernels::active().exp(adjoint, adjoint, rows);
      for (std::size_t r = 0; r < rows; ++r) {
        const double e = prediction[r] - target[first + r];
        const double value = adjoint[r];
        sum += value;
        adjoint[r] = weight * (e > 0.0 ? value : (e < 0.0 ? -value : 0.0));
      }
      return weight * sum;
    }
    for (std::size_t r = 0; r < rows; ++r) {
      const double e = prediction[r] - target[first + r];
      sum += e * e;
      adjoint[r] = weight * 2.0 * e;
    }
    return weight * sum;
  }
};

bool all_finite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

}  // namespace

double soft_threshold(double v, double threshold) {
  if (v > threshold) return v - threshold;
  if (v < -threshold) return v + threshold;
  return 0.0;
}

Trainer::Trainer(const autodiff::Program& program, std::span<const double* const> inputs,
                 const double* target, std::size_t rows, const TrainerOptions& options)
    : evaluator_(program, options.threads),
      inputs_(inputs.begin(), inputs.end()),
      target_(target),
      rows_(rows),
      options_(options) {
  LIES_CHECK(rows_ > 0);
  LIES_CHECK(inputs_.size() == program.num_inputs);
  const std::size_t batch = std::min(options_.batch_size, rows_);
  batch_inputs_.assign(inputs_.size(), std::vector<double>(batch));
  batch_target_.assign(batch, 0.0);
  for (const std::vector<double>& column : batch_inputs_) batch_view_.data.push_back(column.data());
  batch_view_.rows = batch;
  set_rows({});
}

void Trainer::set_rows(std::vector<std::uint32_t> rows) {
  if (rows.empty()) {
    rows.resize(rows_);
    std::iota(rows.begin(), rows.end(), 0u);
  }
  for (std::uint32_t r : rows) LIES_CHECK(r < rows_);
  LIES_CHECK(rows.size() >= batch_target_.size());
  rows_used_ = std::move(rows);
}

void Trainer::gather_batch(std::span<const std::uint32_t> rows) {
  for (std::size_t j = 0; j < inputs_.size(); ++j) {
    const double* source = inputs_[j];
    double* destination = batch_inputs_[j].data();
    for (std::size_t r = 0; r < rows.size(); ++r) destination[r] = source[rows[r]];
  }
  for (std::size_t r = 0; r < rows.size(); ++r) batch_target_[r] = target_[rows[r]];
}

double Trainer::full_loss(std::span<const double> params, LossKind loss,
                          std::span<double> gradient) {
  const autodiff::Columns columns{inputs_, rows_};
  const DataTermSeed seed{target_, loss, 1.0 / static_cast<double>(rows_)};
  std::vector<double> scratch;
  if (gradient.empty()) {
    scratch.resize(evaluator_.program().num_params);
    gradient = scratch;
  }
  return evaluator_.gradient(columns, params, seed, 0.0, gradient).loss;
}

int Trainer::run(std::vector<double>& params, const std::vector<bool>& frozen,
                 const PhaseOptions& phase, std::uint64_t seed) {
  const std::size_t num_params = params.size();
  LIES_CHECK(num_params == evaluator_.program().num_params);
  LIES_CHECK(frozen.size() == num_params);

  Rng rng(seed);
  const std::size_t batch_size = batch_target_.size();
  std::vector<std::uint32_t> order = rows_used_;
  const std::size_t rows = order.size();

  std::vector<double> gradient(num_params), first_moment(num_params, 0.0),
      second_moment(num_params, 0.0);
  std::vector<double> admm_z = params, admm_u(num_params, 0.0);
  std::vector<double> last_finite = params;
  double learning_rate = phase.learning_rate;
  int undone = 0;
  int undone_in_a_row = 0;
  long step = 0;

  // An epoch is one pass over the rows in shuffled order, or kMinEpochRows rows drawn by
  // repeated shuffles when the table is smaller, so that small tables still get enough
  // optimizer steps per epoch.
  const std::size_t batches_per_epoch = std::max(rows, kMinEpochRows) / batch_size;
  std::size_t cursor = rows;  // forces a shuffle before the first batch

  for (int epoch = 1; epoch <= phase.epochs; ++epoch) {
    if (std::chrono::steady_clock::now() > options_.deadline) break;
    const auto start = std::chrono::steady_clock::now();
    double epoch_loss = 0.0;
    std::size_t batches = 0;
    for (std::size_t b = 0; b < batches_per_epoch; ++b) {
      if (cursor + batch_size > rows) {
        for (std::size_t k = rows; k > 1; --k) std::swap(order[k - 1], order[rng.below(k)]);
        cursor = 0;
      }
      gather_batch(std::span(order).subspan(cursor, batch_size));
      cursor += batch_size;
      const double weight = 1.0 / static_cast<double>(batch_size);
      const DataTermSeed seed_fn{batch_target_.data(), phase.loss, weight};
      const autodiff::GradientSums sums =
          evaluator_.gradient(batch_view_, params, seed_fn,
                              options_.violation_weight * weight, gradient);

      if (!std::isfinite(sums.loss) || !all_finite(gradient)) {
        params = last_finite;
        learning_rate *= 0.5;
        ++undone;
        if (++undone_in_a_row >= kMaxUndoneInARow) return undone;
        continue;
      }
      undone_in_a_row = 0;
      last_finite = params;
      epoch_loss += sums.loss;
      ++batches;
      ++step;

      // Adam's bias corrections, the same for every parameter.
      const double first_correction = 1.0 - std::pow(kAdamBeta1, step);
      const double second_correction = 1.0 - std::pow(kAdamBeta2, step);
      for (std::size_t p = 0; p < num_params; ++p) {
        if (frozen[p]) continue;
        const double w = params[p];
        double g = gradient[p];
        g += phase.l1 * (w > 0.0 ? 1.0 : (w < 0.0 ? -1.0 : 0.0));
        if (phase.rho > 0.0) g += phase.rho * (w - admm_z[p] + admm_u[p]);

        if (options_.optimizer == OptimizerKind::kRmsprop) {
          second_moment[p] = kRmspropDecay * second_moment[p] + (1.0 - kRmspropDecay) * g * g;
          params[p] = w - learning_rate * g / (std::sqrt(second_moment[p]) + kEpsilon);
        } else {
          first_moment[p] = kAdamBeta1 * first_moment[p] + (1.0 - kAdamBeta1) * g;
          second_moment[p] = kAdamBeta2 * second_moment[p] + (1.0 - kAdamBeta2) * g * g;
          const double m = first_moment[p] / first_correction;
          const double v = second_moment[p] / second_correction;
          params[p] = w - learning_rate * m / (std::sqrt(v) + kEpsilon);
        }
      }
    }

    if (phase.rho > 0.0) {
      for (std::size_t p = 0; p < num_params; ++p) {
        if (frozen[p]) continue;
        admm_z[p] = soft_threshold(params[p] + admm_u[p], phase.alpha / phase.rho);
        admm_u[p] += params[p] - admm_z[p];
      }
    }
    learning_rate *= phase.decay;

    if (options_.on_epoch) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      EpochReport report;
      report.epoch = epoch;
      report.epochs = phase.epochs;
      report.loss = batches > 0 ? epoch_loss / static_cast<double>(batches) : 0.0;
      report.rows_per_second =
          seconds > 0.0 ? static_cast<double>(batches * batch_size) / seconds : 0.0;
      options_.on_epoch(report);
    }
  }
  return undone;
}

}  // namespace lies::engine
