#include "autodiff/evaluator.hpp"

namespace lies::autodiff {

Evaluator::Evaluator(const Program& program, int threads)
    : program_(program),
      threads_(threads > 0 ? threads : (omp_get_level() > 0 ? 1 : omp_get_max_threads())) {
  tapes_.resize(static_cast<std::size_t>(threads_));
  for (Tape& t : tapes_) {
    t.values.assign(program_.size() * kTapeStride, 0.0);
    t.adjoints.assign(program_.size() * kTapeStride, 0.0);
    t.seed.assign(kChunkRows, 0.0);
    t.inputs.assign(program_.num_inputs, nullptr);
  }
}

Evaluator::Tape& Evaluator::tape() {
  const auto thread = static_cast<std::size_t>(omp_get_thread_num());
  LIES_CHECK(thread < tapes_.size());
  return tapes_[thread];
}

void Evaluator::evaluate(const Columns& columns, std::span<const double> params,
                         std::span<double> out, std::size_t output) {
  LIES_CHECK(output < program_.outputs.size());
  std::vector<std::span<double>> outs(program_.outputs.size());
  outs[output] = out;
  evaluate_outputs(columns, params, outs);
}

void Evaluator::evaluate_outputs(const Columns& columns, std::span<const double> params,
                                 std::span<const std::span<double>> outs) {
  LIES_CHECK(outs.size() <= program_.outputs.size());
  for (std::span<double> out : outs) LIES_CHECK(out.empty() || out.size() == columns.rows);
  LIES_CHECK(columns.data.size() >= program_.num_inputs);
  const auto chunks = static_cast<std::ptrdiff_t>((columns.rows + kChunkRows - 1) / kChunkRows);

#pragma omp parallel for schedule(dynamic, 4) num_threads(threads_) if (chunks > 1)
  for (std::ptrdiff_t chunk = 0; chunk < chunks; ++chunk) {
    Tape& t = tape();
    const std::size_t first = static_cast<std::size_t>(chunk) * kChunkRows;
    const std::size_t rows = std::min(kChunkRows, columns.rows - first);
    for (std::size_t j = 0; j < t.inputs.size(); ++j) t.inputs[j] = columns.data[j] + first;
    forward<double>(program_, t.inputs, rows, params, t.values.data(), kTapeStride);
    for (std::size_t k = 0; k < outs.size(); ++k) {
      if (outs[k].empty()) continue;
      const double* y = t.values.data() + program_.outputs[k] * kTapeStride;
      std::copy(y, y + rows, outs[k].begin() + static_cast<std::ptrdiff_t>(first));
    }
  }
}

void Evaluator::jacobian(const Columns& columns, std::span<const double> params,
                         std::span<double> values, std::span<double> jacobian) {
  const std::size_t num_params = program_.num_params;
  LIES_CHECK(values.size() == columns.rows);
  LIES_CHECK(jacobian.size() == columns.rows * num_params);
  std::fill(jacobian.begin(), jacobian.end(), 0.0);
  if (num_params == 0) {
    evaluate(columns, params, values);
    return;
  }
  const auto chunks = static_cast<std::ptrdiff_t>((columns.rows + kChunkRows - 1) / kChunkRows);

#pragma omp parallel for schedule(dynamic, 4) num_threads(threads_) if (chunks > 1)
  for (std::ptrdiff_t chunk = 0; chunk < chunks; ++chunk) {
    Tape& t = tape();
    const std::size_t first = static_cast<std::size_t>(chunk) * kChunkRows;
    const std::size_t rows = std::min(kChunkRows, columns.rows - first);
    for (std::size_t j = 0; j < t.inputs.size(); ++j) t.inputs[j] = columns.data[j] + first;
    forward<double>(program_, t.inputs, rows, params, t.values.data(), kTapeStride);
    const double* y = t.values.data() + program_.outputs[0] * kTapeStride;
    std::copy(y, y + rows, values.begin() + static_cast<std::ptrdiff_t>(first));

    std::fill(t.seed.begin(), t.seed.begin() + static_cast<std::ptrdiff_t>(rows), 1.0);
    ReverseOutputs out;
    out.jacobian = jacobian.data() + first * num_params;
    reverse(program_, rows, params, t.values.data(), kTapeStride, t.seed.data(), 0.0,
            t.adjoints.data(), out);
  }
}

}  // namespace lies::autodiff
