// The workload that the lies benchmarks share: a LIES network compiled to a Program, a
// table of rows for it, and the loops that time forward, forward + reverse, a training
// epoch, and the transcendental calls alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/dataset.hpp"
#include "engine/network.hpp"

namespace lies::bench {

// The cases in the task statement: 5 inputs, 5 hidden layers, 100 000 rows, batch 128.
inline constexpr std::uint32_t kDefaultInputs = 5;
inline constexpr std::uint32_t kDefaultLayers = 5;
inline constexpr std::size_t kDefaultRows = 100'000;
inline constexpr std::size_t kDefaultBatch = 128;

struct Workload {
  engine::LiesNetwork net;
  autodiff::Program program;
  std::vector<std::vector<double>> inputs;  // one column per network input
  std::vector<double> target;
  std::vector<double> params;  // the network's initial weights for seed 1

  std::size_t rows() const { return target.size(); }
  autodiff::Columns columns() const;
  std::vector<const double*> input_pointers() const;
};

// A network over `inputs` columns of `rows` generated rows: inputs uniform in [−1, 1] and
// a smooth target of them, scaled to mean 0 and variance 1 as the fit pipeline does.
Workload make_workload(std::uint32_t inputs, std::uint32_t layers, std::size_t rows);

// A network over the columns of `data`: every column but the last is an input and the
// last is the target, used as they are (no transform).
Workload make_workload(const engine::Dataset& data, std::uint32_t layers);

// Seed of the forward + reverse cases: mean squared error over the rows.
struct SquaredErrorSeed {
  const double* target;
  double weight;  // 1 / rows

  double operator()(const double* prediction, std::size_t first, std::size_t rows,
                    double* adjoint) const {
    double sum = 0.0;
    for (std::size_t r = 0; r < rows; ++r) {
      const double e = prediction[r] - target[first + r];
      sum += e * e;
      adjoint[r] = weight * 2.0 * e;
    }
    return weight * sum;
  }
};

// Calls of each transcendental function per row of one forward + reverse pass of a
// program. The reverse pass of sin needs cos, and that of cos needs sin. A partial that
// reuses the forward value (exp) or is arithmetic (1/x of log) is not counted.
struct TranscendentalCount {
  int exp = 0;
  int log = 0;
  int sin = 0;
  int cos = 0;
  int other = 0;  // tan, tanh, asin, acos, atan, pow: not in a LIES network

  int total() const { return exp + log + sin + cos + other; }
};

TranscendentalCount count_transcendentals(const autodiff::Program& program);

// Times exactly the calls of `count` (exp, log, sin, cos) over `rows` rows, in chunks of
// autodiff::kChunkRows, through the vector kernels that forward and reverse use. The
// arguments lie in the ranges that the network's units take. run() returns the elapsed
// seconds of `repeats` passes over the rows.
class TranscendentalLoop {
 public:
  TranscendentalLoop(const TranscendentalCount& count, std::size_t rows);
  double run(int repeats);
  // Sum of every result, so that the compiler cannot drop the calls.
  double checksum() const { return checksum_; }

 private:
  TranscendentalCount count_;
  std::size_t rows_;
  std::vector<double> exp_args_, log_args_, sin_args_;
  std::vector<double> result_;
  double checksum_ = 0.0;
};

}  // namespace lies::bench
