// Trained networks of monomial laws, saved and loaded: the simplified formula is the compact
// law and agrees with the network on the training rows.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/fitter.hpp"
#include "engine/network_formula.hpp"
#include "engine/random.hpp"
#include "io/formula_printer.hpp"
#include "io/saved_graph.hpp"
#include "simplify/simplify.hpp"

namespace lies {
namespace {

struct Law {
  const char* expected;
  std::vector<std::string> names;  // inputs, then the target
  std::function<double(const std::vector<double>&)> value;
};

engine::Dataset table_of(const Law& law, std::size_t rows) {
  engine::Rng rng(11);
  engine::Dataset data;
  data.source = law.expected;
  data.names = law.names;
  data.columns.assign(law.names.size(), {});
  const std::size_t inputs = law.names.size() - 1;
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<double> x;
    for (std::size_t j = 0; j < inputs; ++j) x.push_back(rng.uniform(1, 5));
    for (std::size_t j = 0; j < inputs; ++j) data.columns[j].push_back(x[j]);
    data.columns[inputs].push_back(law.value(x));
  }
  return data;
}

std::vector<double> evaluate(const engine::Graph& graph, engine::NodeId root,
                             const autodiff::Columns& columns) {
  const engine::NodeId roots[] = {root};
  const auto program = autodiff::Program::compile(
      graph, roots, static_cast<std::uint32_t>(columns.data.size()), 0);
  autodiff::Evaluator evaluator(program, 1);
  std::vector<double> values(columns.rows);
  evaluator.evaluate(columns, {}, values);
  return values;
}

TEST_SUITE("Trained graph") {
  TEST_CASE("Trained graph: monomial laws simplify exactly") {
    const Law laws[] = {
        {"2.5*x1^2/x2", {"x1", "x2", "y"},
         [](const std::vector<double>& x) { return 2.5 * x[0] * x[0] / x[1]; }},
        {"x1*x2/(4*pi*x3^2)", {"x1", "x2", "x3", "y"},
         [](const std::vector<double>& x) {
           return x[0] * x[1] / (4 * std::numbers::pi * x[2] * x[2]);
         }},
        {"0.5*m*v^2", {"m", "v", "E"},
         [](const std::vector<double>& x) { return 0.5 * x[0] * x[1] * x[1]; }},
    };
    for (const Law& law : laws) {
      INFO(law.expected);
      const engine::Dataset data = table_of(law, 1000);
      engine::FitOptions options;
      options.threads = 2;
      const auto fit = engine::fit(data, options);
      REQUIRE(fit.ok());

      // Through the file format, as lies-simplify reads it.
      const std::string text =
          io::format_saved_graph(io::saved_graph_from_fit(*fit, data, {"test", "0", 0, {}}));
      const auto saved = io::parse_saved_graph(text, law.expected);
      REQUIRE(saved.ok());

      engine::TrainedNetwork exact = saved->network;
      exact.protected_ranges.clear();
      engine::Graph network;
      const engine::NodeId network_root = engine::network_formula(exact, network);
      engine::Graph released;
      const engine::NodeId released_root = engine::network_formula(saved->network, released);
      simplify::SimplifyOptions simplify_options;
      simplify_options.facts = io::domain_facts(*saved);
      engine::Graph simplified;
      const simplify::SimplifyResult result =
          simplify::simplify(released, released_root, simplified, simplify_options);
      CHECK(result.report.stop == simplify::StopReason::kSaturated);

      io::PrintOptions print;
      print.input_names.assign(law.names.begin(), law.names.end() - 1);
      CHECK(io::print_formula(simplified, result.root, print).value_or("") == law.expected);

      autodiff::Columns columns;
      for (std::size_t j = 0; j + 1 < data.cols(); ++j) columns.data.push_back(data.columns[j].data());
      columns.rows = data.rows();
      const std::vector<double> before = evaluate(network, network_root, columns);
      const std::vector<double> after = evaluate(simplified, result.root, columns);
      double worst = 0.0;
      for (std::size_t r = 0; r < before.size(); ++r) {
        worst = std::max(worst, std::abs(after[r] - before[r]) / std::abs(before[r]));
      }
      CHECK(worst <= 1e-9);
    }
  }
}

}  // namespace
}  // namespace lies
