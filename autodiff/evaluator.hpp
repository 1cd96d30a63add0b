// Evaluation of a Program over whole tables, in parallel and deterministically.
//
// Rows are processed in chunks of kChunkRows so that a chunk's tape stays in cache. For
// gradients, consecutive chunks are grouped into at most kMaxBlocks blocks; each block is
// summed by one thread in row order and the block sums are added in block order. The
// partition depends only on the row count, so a gradient is bit-for-bit the same for any
// number of threads.
//
//   autodiff::Evaluator evaluator(program, /*threads=*/2);
//   evaluator.evaluate(columns, params, predictions);
//   double loss = evaluator.gradient(columns, params, seed, 0.0, gradient).loss;
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "autodiff/program.hpp"

namespace lies::autodiff {

// 256 rows per chunk. A forward + reverse pass of the 5-input LIES network runs at the
// same speed from 128 to 1024 rows per chunk (BM_ChunkRows in bench/network_bench.cpp).
// Below 128 rows it slows down, because the fixed work per instruction and chunk grows.
inline constexpr std::size_t kChunkRows = 256;
// Doubles between the rows of two instructions on a tape. The 8 doubles (64 bytes) past
// the chunk keep instructions from starting at multiples of 2 KiB, which on the AMD EPYC
// where BM_ChunkRows ran made tapes of 512 rows and more about 1.8 times slower.
inline constexpr std::size_t kTapeStride = kChunkRows + 8;
inline constexpr std::size_t kMaxBlocks = 64;

// Column pointers of a table slice: data[j][r] is row r of input column j.
template <typename T>
struct BasicColumns {
  std::vector<const T*> data;
  std::size_t rows = 0;
};
using Columns = BasicColumns<double>;

struct GradientSums {
  double loss = 0.0;       // sum of what the seed function returned
  double violation = 0.0;  // sum of domain violations over all rows
};

class Evaluator {
 public:
  // `threads` <= 0 uses OpenMP's default, or 1 when constructed inside a parallel region
  // (even a team of one): a nested team on cores that the outer team already keeps busy
  // only spins.
  Evaluator(const Program& program, int threads);

  const Program& program() const { return program_; }
  int threads() const { return threads_; }

  // Writes output `output` of the program for every row into `out`.
  void evaluate(const Columns& columns, std::span<const double> params, std::span<double> out,
                std::size_t output = 0);

  // Writes output k for every row into outs[k], in one pass over the rows; an empty span
  // skips that output.
  void evaluate_outputs(const Columns& columns, std::span<const double> params,
                        std::span<const std::span<double>> outs);

  // Accumulates into `gradient` (size num_params, assigned) the adjoint of every parameter
  // for the loss that `seed` defines. For each chunk, seed(prediction, first_row, rows,
  // adjoint) gets the predictions of rows [first_row, first_row + rows), writes the
  // derivative of the loss with respect to each prediction into `adjoint` and returns the
  // chunk's loss. Domain violations enter the loss with weight `violation_weight` per unit.
  template <typename Seed>
  GradientSums gradient(const Columns& columns, std::span<const double> params, Seed&& seed,
                        double violation_weight, std::span<double> gradient);

  // Per-row parameter Jacobian of output 0: jacobian[r * num_params + p] (assigned), and
  // the output values.
  void jacobian(const Columns& columns, std::span<const double> params,
                std::span<double> values, std::span<double> jacobian);

 private:
  struct Tape {
    std::vector<double> values;
    std::vector<double> adjoints;
    std::vector<double> seed;
    std::vector<const double*> inputs;
  };

  Tape& tape();
  std::size_t block_count(std::size_t chunks) const { return std::min(chunks, kMaxBlocks); }

  const Program& program_;
  int threads_;
  std::vector<Tape> tapes_;
  std::vector<double> block_gradient_;
  std::vector<GradientSums> block_sums_;
};

// Evaluates output 0 for every row in scalar type T, single-threaded. Used for
// high-precision checks, where speed matters less than the type.
template <typename T>
std::vector<T> evaluate_rows(const Program& program, const BasicColumns<T>& columns,
                             std::span<const T> params) {
  std::vector<T> result(columns.rows);
  std::vector<T> values(program.size() * kTapeStride);
  std::vector<const T*> inputs(columns.data.size());
  for (std::size_t first = 0; first < columns.rows; first += kChunkRows) {
    const std::size_t rows = std::min(kChunkRows, columns.rows - first);
    for (std::size_t j = 0; j < inputs.size(); ++j) inputs[j] = columns.data[j] + first;
    forward<T>(program, inputs, rows, params, values.data(), kTapeStride);
    const T* out = values.data() + program.outputs[0] * kTapeStride;
    std::copy(out, out + rows, result.begin() + static_cast<std::ptrdiff_t>(first));
  }
  return result;
}

template <typename Seed>
GradientSums Evaluator::gradient(const Columns& columns, std::span<const double> params,
                                 Seed&& seed, double violation_weight,
                                 std::span<double> gradient) {
  const std::size_t num_params = program_.num_params;
  LIES_CHECK(gradient.size() == num_params);
  const std::size_t chunks = (columns.rows + kChunkRows - 1) / kChunkRows;
  const std::size_t blocks = block_count(chunks);
  block_gradient_.assign(blocks * num_params, 0.0);
  block_sums_.assign(blocks, GradientSums{});
  const auto signed_blocks = static_cast<std::ptrdiff_t>(blocks);

#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_) if (blocks > 1)
  for (std::ptrdiff_t block = 0; block < signed_blocks; ++block) {
    Tape& t = tape();
    const auto b = static_cast<std::size_t>(block);
    const std::size_t chunk_begin = b * chunks / blocks;
    const std::size_t chunk_end = (b + 1) * chunks / blocks;
    ReverseOutputs out;
    out.param_adjoint = block_gradient_.data() + b * num_params;
    GradientSums& sums = block_sums_[b];

    for (std::size_t chunk = chunk_begin; chunk < chunk_end; ++chunk) {
      const std::size_t first = chunk * kChunkRows;
      const std::size_t rows = std::min(kChunkRows, columns.rows - first);
      for (std::size_t j = 0; j < t.inputs.size(); ++j) t.inputs[j] = columns.data[j] + first;
      forward<double>(program_, t.inputs, rows, params, t.values.data(), kTapeStride);

      const double* prediction = t.values.data() + program_.outputs[0] * kTapeStride;
      sums.loss += seed(prediction, first, rows, t.seed.data());
      sums.violation += domain_violation(program_, t.values.data(), rows, kTapeStride);
      reverse(program_, rows, params, t.values.data(), kTapeStride, t.seed.data(),
              violation_weight, t.adjoints.data(), out);
    }
  }

  std::fill(gradient.begin(), gradient.end(), 0.0);
  GradientSums total;
  for (std::size_t b = 0; b < blocks; ++b) {
    const double* g = block_gradient_.data() + b * num_params;
    for (std::size_t p = 0; p < num_params; ++p) gradient[p] += g[p];
    total.loss += block_sums_[b].loss;
    total.violation += block_sums_[b].violation;
  }
  return total;
}

}  // namespace lies::autodiff
