#include "bench/workload.hpp"

#include <chrono>
#include <cmath>

#include "autodiff/kernels.hpp"
#include "engine/check.hpp"
#include "engine/random.hpp"

namespace lies::bench {

autodiff::Columns Workload::columns() const { return {input_pointers(), rows()}; }

std::vector<const double*> Workload::input_pointers() const {
  std::vector<const double*> pointers;
  for (const std::vector<double>& column : inputs) pointers.push_back(column.data());
  return pointers;
}

namespace {

void finish(Workload& w, std::uint32_t layers) {
  const auto inputs = static_cast<std::uint32_t>(w.inputs.size());
  w.net = engine::LiesNetwork::build(inputs, layers);
  const engine::NodeId outputs[] = {w.net.output()};
  w.program = autodiff::Program::compile(w.net.graph(), outputs, inputs, w.net.num_params());
  w.params = w.net.initial_params(1);
}

}  // namespace

Workload make_workload(std::uint32_t inputs, std::uint32_t layers, std::size_t rows) {
  LIES_CHECK(inputs >= 1);
  Workload w;
  engine::Rng rng(20240611);
  w.inputs.assign(inputs, std::vector<double>(rows));
  w.target.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::uint32_t j = 0; j < inputs; ++j) w.inputs[j][r] = rng.uniform(-1.0, 1.0);
    // A smooth function of every input, so that every input matters.
    double t = 0.0;
    for (std::uint32_t j = 0; j < inputs; ++j) {
      const double u = w.inputs[j][r];
      t += (j % 2 == 0 ? std::sin(2.0 * u) : u * u) * (1.0 + 0.1 * j);
    }
    w.target[r] = t;
  }
  double mean = 0.0;
  for (double t : w.target) mean += t;
  mean /= static_cast<double>(rows);
  double variance = 0.0;
  for (double t : w.target) variance += (t - mean) * (t - mean);
  const double scale = std::sqrt(variance / static_cast<double>(rows));
  for (double& t : w.target) t = (t - mean) / (scale > 0.0 ? scale : 1.0);
  finish(w, layers);
  return w;
}

Workload make_workload(const engine::Dataset& data, std::uint32_t layers) {
  LIES_CHECK(data.cols() >= 2);
  Workload w;
  w.inputs.assign(data.columns.begin(), data.columns.end() - 1);
  w.target = data.columns.back();
  finish(w, layers);
  return w;
}

TranscendentalCount count_transcendentals(const autodiff::Program& program) {
  using autodiff::Code;
  TranscendentalCount count;
  for (std::size_t i = 0; i < program.size(); ++i) {
    const bool reversed = program.active[i] != 0;
    switch (program.code[i]) {
      case Code::Exp:
      case Code::ProtExp:
        ++count.exp;  // the partial is the value itself
        break;
      case Code::Log:
      case Code::ProtLog:
        ++count.log;  // the partial is 1/x
        break;
      case Code::Sin:
        ++count.sin;
        if (reversed) ++count.cos;
        break;
      case Code::Cos:
        ++count.cos;
        if (reversed) ++count.sin;
        break;
      case Code::Pow:
        count.other += reversed ? 3 : 1;  // pow, then pow and log in the partials
        break;
      case Code::Tan:
      case Code::Tanh:
      case Code::Asin:
      case Code::Acos:
      case Code::Atan:
        ++count.other;
        break;
      default:
        break;
    }
  }
  return count;
}

TranscendentalLoop::TranscendentalLoop(const TranscendentalCount& count, std::size_t rows)
    : count_(count),
      rows_(rows),
      exp_args_(rows),
      log_args_(rows),
      sin_args_(rows),
      result_(autodiff::kChunkRows) {
  LIES_CHECK(count.other == 0);
  engine::Rng rng(7);
  for (std::size_t r = 0; r < rows; ++r) {
    exp_args_[r] = rng.uniform(-3.0, 4.0);   // up to the protected exp's ceiling
    log_args_[r] = rng.uniform(0.005, 3.0);  // from the protected log's floor
    sin_args_[r] = rng.uniform(-4.0, 4.0);
  }
}

double TranscendentalLoop::run(int repeats) {
  const autodiff::kernels::KernelTable& table = autodiff::kernels::active();
  const auto start = std::chrono::steady_clock::now();
  double checksum = 0.0;
  for (int k = 0; k < repeats; ++k) {
    for (std::size_t first = 0; first < rows_; first += autodiff::kChunkRows) {
      const std::size_t rows = std::min(autodiff::kChunkRows, rows_ - first);
      double* y = result_.data();
      for (int c = 0; c < count_.exp; ++c) table.exp(exp_args_.data() + first, y, rows);
      for (int c = 0; c < count_.log; ++c) table.log(log_args_.data() + first, y, rows);
      for (int c = 0; c < count_.sin; ++c) table.sin(sin_args_.data() + first, y, rows);
      for (int c = 0; c < count_.cos; ++c) table.cos(sin_args_.data() + first, y, rows);
      checksum += y[0];
    }
  }
  checksum_ = checksum;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace lies::bench
