#include "engine/fitter.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "engine/random.hpp"

namespace lies::engine {
namespace {

// y = 2.5·x1^2/x2 on x1, x2 uniform in [1, 5].
Dataset power_law_table(std::size_t rows) {
  Rng rng(2024);
  Dataset d;
  d.source = "generated";
  d.names = {"x1", "x2", "y"};
  d.columns.assign(3, {});
  for (std::size_t r = 0; r < rows; ++r) {
    const double x1 = rng.uniform(1, 5);
    const double x2 = rng.uniform(1, 5);
    d.columns[0].push_back(x1);
    d.columns[1].push_back(x2);
    d.columns[2].push_back(2.5 * x1 * x1 / x2);
  }
  return d;
}

// Reads c·Π x_j^e_j off a canonical product: the coefficient and the exponent of each
// input. Returns false when the formula has another shape.
bool read_monomial(const Graph& g, NodeId root, double& coefficient,
                   std::map<std::uint32_t, double>& exponents) {
  coefficient = 1.0;
  std::vector<NodeId> stack = {root};
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    const Node& node = g.node(id);
    if (node.op == Op::Mul) {
      stack.push_back(node.child[0]);
      stack.push_back(node.child[1]);
    } else if (node.op == Op::Constant) {
      coefficient *= node.value;
    } else if (node.op == Op::Input) {
      exponents[node.index] += 1.0;
    } else if (node.op == Op::Pow && g.op(node.child[0]) == Op::Input &&
               g.is_constant(node.child[1])) {
      exponents[g.node(node.child[0]).index] += g.node(node.child[1]).value;
    } else {
      return false;
    }
  }
  return true;
}

std::string message_of(const absl::StatusOr<FitResult>& result) {
  return std::string(result.status().message());
}

TEST_SUITE("Fitter") {
  TEST_CASE("Fitter: recovers 2.5*x1^2/x2") {
    const Dataset d = power_law_table(2000);
    FitOptions options;
    options.threads = 2;
    const auto result = fit(d, options);
    REQUIRE(result.ok());
    CHECK(result->log_space);
    double coefficient = 0.0;
    std::map<std::uint32_t, double> exponents;
    REQUIRE(read_monomial(result->graph, result->formula, coefficient, exponents));
    CHECK(exponents.size() == 2);
    CHECK(exponents[0] == 2.0);
    CHECK(exponents[1] == -1.0);
    CHECK(coefficient == doctest::Approx(2.5).epsilon(1e-3));
    CHECK(result->r2 > 1.0 - 1e-12);
    CHECK(result->input_names == std::vector<std::string>{"x1", "x2"});
    CHECK(result->target_name == "y");
  }

  TEST_CASE("Fitter: exact exponents under additive noise") {
    // Gaussian noise of 1 % of the target's root mean square, as a measurement adds it.
    // In log space it weighs the small targets most, so constants refitted to log|y|
    // come out with exponents a little off that no snap could restore.
    Dataset d = power_law_table(4000);
    std::vector<double>& y = d.columns[2];
    double square_sum = 0.0;
    for (const double v : y) square_sum += v * v;
    const double sigma = 0.01 * std::sqrt(square_sum / static_cast<double>(y.size()));
    Rng rng(7);
    for (double& v : y) v += sigma * rng.normal();
    FitOptions options;
    options.threads = 2;
    options.trials = 4;
    const auto result = fit(d, options);
    REQUIRE(result.ok());
    double coefficient = 0.0;
    std::map<std::uint32_t, double> exponents;
    REQUIRE(read_monomial(result->graph, result->formula, coefficient, exponents));
    CHECK(exponents.size() == 2);
    CHECK(exponents[0] == 2.0);
    CHECK(exponents[1] == -1.0);
    CHECK(coefficient == doctest::Approx(2.5).epsilon(1e-2));
  }

  TEST_CASE("Fitter: same seed gives the same formula") {
    const Dataset d = power_law_table(300);
    FitOptions options;
    options.epochs = 20;
    options.seed = 3;
    options.threads = 1;
    const auto a = fit(d, options);
    options.threads = 2;
    const auto b = fit(d, options);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->graph.hash(a->formula) == b->graph.hash(b->formula));
    CHECK(a->nmse == b->nmse);
  }

  TEST_CASE("Fitter: stops after the round with an exact formula") {
    const Dataset d = power_law_table(1000);
    FitOptions options;
    options.trials = 32;
    const auto result = fit(d, options);
    REQUIRE(result.ok());
    CHECK(result->trials == 4);
    CHECK_FALSE(result->budget_exhausted);
  }

  TEST_CASE("Fitter: front is ordered and holds the choice") {
    // Noisy data, so no formula is exact and the front has several members.
    Dataset d = power_law_table(1000);
    Rng rng(6);
    for (double& y : d.columns[2]) y += 0.3 * rng.normal();
    FitOptions options;
    options.trials = 4;
    options.epochs = 40;
    const auto result = fit(d, options);
    REQUIRE(result.ok());
    REQUIRE_FALSE(result->front.empty());
    REQUIRE(result->chosen < result->front.size());
    CHECK(result->front[result->chosen].formula == result->formula);
    for (std::size_t k = 1; k < result->front.size(); ++k) {
      CHECK(result->front[k].complexity > result->front[k - 1].complexity);
      CHECK(result->front[k].validation_error < result->front[k - 1].validation_error);
    }
    CHECK(result->training_rows + result->validation_rows == 1000);
  }

  TEST_CASE("Fitter: complexity limit keeps the front small") {
    // 2.5*x1^2/x2 has complexity 7; every more complex candidate stays off the front.
    const Dataset d = power_law_table(500);
    FitOptions options;
    options.trials = 4;
    options.max_complexity = 7;
    const auto result = fit(d, options);
    REQUIRE(result.ok());
    REQUIRE_FALSE(result->front.empty());
    for (const FrontEntry& entry : result->front) CHECK(entry.complexity <= 7);
    CHECK(result->front[result->chosen].complexity == 7);
  }

  TEST_CASE("Fitter: time limit is honoured") {
    // A target no formula fits exactly, so only the limit stops the run.
    Dataset d = power_law_table(2000);
    Rng rng(7);
    for (double& y : d.columns[2]) y *= 1.0 + 0.05 * rng.normal();
    FitOptions options;
    options.trials = 1000;
    options.time_limit_seconds = 1.0;
    const auto result = fit(d, options);
    REQUIRE(result.ok());
    CHECK(result->budget_exhausted);
    CHECK(result->trials < 1000);
    // A trial that is running when the limit passes finishes its current epoch and reads
    // one formula off the network; that takes well under two seconds here.
    CHECK(result->seconds < 3.0);
  }

  TEST_CASE("Fitter: epoch budget limits the trials") {
    Dataset d = power_law_table(500);
    Rng rng(8);
    for (double& y : d.columns[2]) y *= 1.0 + 0.05 * rng.normal();
    FitOptions options;
    options.epochs = 10;
    options.max_epochs = 30;
    const auto result = fit(d, options);
    REQUIRE(result.ok());
    CHECK(result->trials == 3);
    CHECK(result->budget_exhausted);
  }

  TEST_CASE("Fitter: unknown target lists the columns") {
    FitOptions options;
    options.target = "z";
    const auto r = fit(power_law_table(50), options);
    REQUIRE_FALSE(r.ok());
    CHECK(message_of(r).find("'z' not found") != std::string::npos);
    CHECK(message_of(r).find("x1, x2, y") != std::string::npos);
  }

  TEST_CASE("Fitter: too few rows") {
    const auto r = fit(power_law_table(9), {});
    REQUIRE_FALSE(r.ok());
    CHECK(message_of(r).find("9 data rows") != std::string::npos);
    CHECK(message_of(r).find("at least 10") != std::string::npos);
  }

  TEST_CASE("Fitter: constant target") {
    Dataset d = power_law_table(20);
    for (double& v : d.columns[2]) v = 4.0;
    const auto r = fit(d, {});
    REQUIRE_FALSE(r.ok());
    CHECK(message_of(r).find("constant") != std::string::npos);
    CHECK(message_of(r).find("'y'") != std::string::npos);
  }

  TEST_CASE("Fitter: forced log space on non-positive data") {
    Dataset d = power_law_table(20);
    d.columns[1][4] = -1.0;
    FitOptions options;
    options.log_space = LogSpace::kOn;
    const auto r = fit(d, options);
    REQUIRE_FALSE(r.ok());
    CHECK(message_of(r).find("'x2'") != std::string::npos);
    CHECK(message_of(r).find("row 5") != std::string::npos);
  }

  TEST_CASE("Fitter: no input column") {
    Dataset d = power_law_table(20);
    d.names = {"y"};
    d.columns.resize(1);
    const auto r = fit(d, {});
    REQUIRE_FALSE(r.ok());
    CHECK(message_of(r).find("at least one input") != std::string::npos);
  }

  TEST_CASE("Fitter: non-finite cell") {
    Dataset d = power_law_table(20);
    d.columns[0][7] = std::nan("");
    const auto r = fit(d, {});
    REQUIRE_FALSE(r.ok());
    CHECK(message_of(r).find("row 8") != std::string::npos);
    CHECK(message_of(r).find("'x1'") != std::string::npos);
  }
}

}  // namespace
}  // namespace lies::engine
