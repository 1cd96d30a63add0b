// Google Benchmark cases for the LIES network of the default fit: 5 inputs, 5 hidden
// layers, over 100 000 rows. Every case reports rows per second as items per second;
// /threads:N is the evaluator's thread count. Time is wall-clock (UseRealTime), because
// the evaluator's own threads do the work.
//
//   build/bench/lies_bench --benchmark_repetitions=3
//   LIES_SIMD=scalar build/bench/lies_bench   # the scalar reference kernels
#include <benchmark/benchmark.h>

#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/kernels.hpp"
#include "bench/workload.hpp"
#include "engine/trainer.hpp"

namespace lies::bench {
namespace {

const Workload& workload() {
  static const Workload w = make_workload(kDefaultInputs, kDefaultLayers, kDefaultRows);
  return w;
}

void BM_Forward(benchmark::State& state) {
  const Workload& w = workload();
  autodiff::Evaluator evaluator(w.program, static_cast<int>(state.range(0)));
  std::vector<double> out(w.rows());
  const autodiff::Columns columns = w.columns();
  for (auto _ : state) {
    evaluator.evaluate(columns, w.params, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.rows()));
  state.SetLabel(autodiff::kernels::isa_name(autodiff::kernels::active().isa));
}
BENCHMARK(BM_Forward)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ForwardReverse(benchmark::State& state) {
  const Workload& w = workload();
  autodiff::Evaluator evaluator(w.program, static_cast<int>(state.range(0)));
  std::vector<double> gradient(w.params.size());
  const autodiff::Columns columns = w.columns();
  const SquaredErrorSeed seed{w.target.data(), 1.0 / static_cast<double>(w.rows())};
  for (auto _ : state) {
    const autodiff::GradientSums sums = evaluator.gradient(columns, w.params, seed, 0.0, gradient);
    benchmark::DoNotOptimize(sums);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.rows()));
  state.SetLabel(autodiff::kernels::isa_name(autodiff::kernels::active().isa));
}
BENCHMARK(BM_ForwardReverse)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// One epoch of the fit's first phase (RMSprop, L1 and ADMM) at batch 128 over all rows,
// from the same initial weights in every iteration.
void BM_TrainEpoch(benchmark::State& state) {
  const Workload& w = workload();
  engine::TrainerOptions options;
  options.batch_size = kDefaultBatch;
  options.threads = static_cast<int>(state.range(0));
  const std::vector<const double*> inputs = w.input_pointers();
  engine::Trainer trainer(w.program, inputs, w.target.data(), w.rows(), options);
  engine::PhaseOptions phase;
  phase.epochs = 1;
  const std::vector<bool> frozen(w.params.size(), false);
  for (auto _ : state) {
    std::vector<double> params = w.params;
    benchmark::DoNotOptimize(trainer.run(params, frozen, phase, 3));
  }
  const auto rows_per_epoch = static_cast<std::int64_t>(w.rows() / kDefaultBatch * kDefaultBatch);
  state.SetItemsProcessed(state.iterations() * rows_per_epoch);
  state.SetLabel(autodiff::kernels::isa_name(autodiff::kernels::active().isa));
}
BENCHMARK(BM_TrainEpoch)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// The transcendental calls of one forward + reverse pass and nothing else: the
// throughput that lies would reach if all other work took no time.
void BM_TranscendentalLimit(benchmark::State& state) {
  const Workload& w = workload();
  const TranscendentalCount count = count_transcendentals(w.program);
  TranscendentalLoop loop(count, w.rows());
  for (auto _ : state) {
    benchmark::DoNotOptimize(loop.run(1));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.rows()));
  state.counters["calls_per_row"] = count.total();
  state.SetLabel(autodiff::kernels::isa_name(autodiff::kernels::active().isa));
}
BENCHMARK(BM_TranscendentalLimit)->UseRealTime()->Unit(benchmark::kMillisecond);

// Forward + reverse over all rows on one thread, in chunks of state.range(0) rows whose
// tape rows are state.range(1) doubles apart: the measurement behind autodiff::kChunkRows.
void BM_ChunkRows(benchmark::State& state) {
  const Workload& w = workload();
  const auto chunk = static_cast<std::size_t>(state.range(0));
  const std::size_t stride = chunk + static_cast<std::size_t>(state.range(1));
  const autodiff::Program& program = w.program;
  std::vector<double> values(program.size() * stride), adjoints(program.size() * stride);
  std::vector<double> seed_adjoint(chunk), gradient(w.params.size());
  std::vector<const double*> inputs(w.inputs.size());
  const SquaredErrorSeed seed{w.target.data(), 1.0 / static_cast<double>(w.rows())};
  for (auto _ : state) {
    autodiff::ReverseOutputs out;
    out.param_adjoint = gradient.data();
    for (std::size_t first = 0; first < w.rows(); first += chunk) {
      const std::size_t rows = std::min(chunk, w.rows() - first);
      for (std::size_t j = 0; j < inputs.size(); ++j) inputs[j] = w.inputs[j].data() + first;
      autodiff::forward<double>(program, inputs, rows, w.params, values.data(), stride);
      const double* prediction = values.data() + program.outputs[0] * stride;
      seed(prediction, first, rows, seed_adjoint.data());
      autodiff::reverse(program, rows, w.params, values.data(), stride, seed_adjoint.data(), 0.0,
                        adjoints.data(), out);
    }
    benchmark::DoNotOptimize(gradient.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.rows()));
}
BENCHMARK(BM_ChunkRows)
    ->ArgNames({"rows", "padding"})
    ->ArgsProduct({{32, 64, 128, 256, 512, 1024}, {0, 8}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lies::bench

BENCHMARK_MAIN();
