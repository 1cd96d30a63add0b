// Simplification time on saved graphs of trained networks.
//
//   build/bench/lies_simplify_bench fit1.json fit2.json ... [--benchmark_format=json]
//
// For each saved graph (lies fit --save), two benchmarks:
//   NAME/simplify           simplify::simplify() on the formula the network computes, which
//                           is read off the network once, before timing;
//   NAME/read_and_simplify  reading the formula off the network and simplifying it, as
//                           lies-simplify does without file input and printing.
// bench/simplify_sympy.py makes such graphs and times sympy.simplify on the same formulas.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/network_formula.hpp"
#include "io/saved_graph.hpp"
#include "simplify/complexity.hpp"
#include "simplify/simplify.hpp"

namespace {

void simplify_formula(benchmark::State& state, const lies::io::SavedGraph& graph) {
  lies::simplify::SimplifyOptions options;
  options.facts = lies::io::domain_facts(graph);
  lies::engine::Graph read;
  const lies::engine::NodeId root = lies::engine::network_formula(graph.network, read);
  std::uint64_t complexity = 0;
  for (auto _ : state) {
    lies::engine::Graph out;
    const auto result = lies::simplify::simplify(read, root, out, options);
    complexity = lies::simplify::formula_complexity(out, result.root);
    benchmark::DoNotOptimize(complexity);
  }
  state.counters["nodes"] = static_cast<double>(graph.network.graph.size());
  state.counters["complexity"] = static_cast<double>(complexity);
}

void read_and_simplify(benchmark::State& state, const lies::io::SavedGraph& graph) {
  lies::simplify::SimplifyOptions options;
  options.facts = lies::io::domain_facts(graph);
  for (auto _ : state) {
    lies::engine::Graph read;
    const lies::engine::NodeId root = lies::engine::network_formula(graph.network, read);
    lies::engine::Graph out;
    benchmark::DoNotOptimize(lies::simplify::simplify(read, root, out, options).root);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s SAVED_GRAPH.json... [benchmark options]\n"
                 "Times reading and simplifying each saved graph (lies fit --save FILE).\n",
                 argv[0]);
    return 2;
  }
  // Registered benchmarks keep references to the graphs, so the vector must not reallocate.
  std::vector<lies::io::SavedGraph> graphs;
  graphs.reserve(static_cast<std::size_t>(argc - 1));
  for (int k = 1; k < argc; ++k) {
    auto graph = lies::io::read_saved_graph(argv[k]);
    if (!graph.ok()) {
      std::fprintf(stderr, "%s\n", std::string(graph.status().message()).c_str());
      return 2;
    }
    graphs.push_back(*std::move(graph));
    const std::string name = std::filesystem::path(argv[k]).stem().string();
    benchmark::RegisterBenchmark((name + "/simplify").c_str(), simplify_formula,
                                 std::cref(graphs.back()))
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((name + "/read_and_simplify").c_str(), read_and_simplify,
                                 std::cref(graphs.back()))
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
