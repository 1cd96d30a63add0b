#include "engine/refine.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "engine/random.hpp"
#include "simplify/snap.hpp"

namespace lies::engine {
namespace {

struct PowerData {
  std::vector<double> x, y;
  FitData fit_data(bool log_residual) const {
    FitData d;
    d.inputs = {{x.data()}, x.size()};
    d.target = y.data();
    d.log_residual = log_residual;
    return d;
  }
};

// y = 3·x^exponent on x in [1, 4].
PowerData power_data(double exponent) {
  Rng rng(21);
  PowerData d;
  for (int r = 0; r < 500; ++r) {
    d.x.push_back(rng.uniform(1, 4));
    d.y.push_back(3.0 * std::pow(d.x.back(), exponent));
  }
  return d;
}

// c·x^e as a graph with constants; the coefficient's node is created first.
NodeId power_law(Graph& g, double c, double e) {
  const NodeId coefficient = g.constant(c);
  const NodeId exponent = g.constant(e);
  return g.mul(coefficient, g.pow(g.input(0), exponent));
}

// Returns (coefficient, exponent) of c·x^e, or NaN when the shape is different.
std::pair<double, double> read_power_law(const Graph& g, NodeId root) {
  const double nan = std::nan("");
  const Node& top = g.node(root);
  if (top.op != Op::Mul) return {nan, nan};
  for (int k = 0; k < 2; ++k) {
    const NodeId c = top.child[k];
    const NodeId p = top.child[1 - k];
    if (g.is_constant(c) && g.op(p) == Op::Pow && g.is_constant(g.node(p).child[1])) {
      return {g.node(c).value, g.node(g.node(p).child[1]).value};
    }
  }
  return {nan, nan};
}

TEST_SUITE("Refine") {
  TEST_CASE("Refine: simple values near a constant") {
    const std::vector<double> near_two = simplify::simple_values_near(1.9999);
    REQUIRE_FALSE(near_two.empty());
    CHECK(near_two.front() == 2.0);
    const std::vector<double> near_third = simplify::simple_values_near(0.3334);
    CHECK(near_third.front() == 0.0);
    CHECK(std::find(near_third.begin(), near_third.end(), 1.0 / 3.0) != near_third.end());
    CHECK(simplify::simple_values_near(std::nan("")).empty());
    for (double c : simplify::simple_values_near(57.3)) CHECK(std::abs(c - 57.3) <= 0.5 + 0.05 * 57.3);
  }

  TEST_CASE("Refine: Levenberg-Marquardt recovers perturbed constants") {
    const PowerData d = power_data(2.0);
    for (bool log_residual : {false, true}) {
      Graph g;
      const ParametricFormula formula = parametrize(g, power_law(g, 2.7, 2.2));
      REQUIRE(formula.values.size() == 2);
      std::vector<double> values = formula.values;
      const double sse = fit_constants(formula, values, {false, false}, d.fit_data(log_residual), {});
      CHECK(sse < 1e-20);
      // parametrize numbers constants in node order: the coefficient is created first.
      CHECK(values[0] == doctest::Approx(3.0).epsilon(1e-10));
      CHECK(values[1] == doctest::Approx(2.0).epsilon(1e-10));
    }
  }

  TEST_CASE("Refine: fixed constants do not move") {
    const PowerData d = power_data(2.0);
    Graph g;
    const ParametricFormula formula = parametrize(g, power_law(g, 2.7, 2.2));
    std::vector<double> values = formula.values;
    fit_constants(formula, values, {false, true}, d.fit_data(false), {});
    CHECK(values[1] == 2.2);
    CHECK(values[0] != 2.7);
  }

  TEST_CASE("Refine: snaps what the data allow") {
    const PowerData d = power_data(2.0);
    Graph g;
    const NodeId root = power_law(g, 3.0001, 1.9998);
    const RefineResult r = refine_formula(g, root, d.fit_data(false), {true}, {});
    const auto [c, e] = read_power_law(g, r.root);
    CHECK(c == 3.0);
    CHECK(e == 2.0);
    CHECK(r.nmse < 1e-20);
  }

  TEST_CASE("Refine: snaps through noise") {
    // 1 % multiplicative noise: the fitted exponent and coefficient are off by about
    // 1e-3, and snapping them to 2 and 3 costs less than the tolerance.
    PowerData d = power_data(2.0);
    Rng rng(8);
    for (double& y : d.y) y *= 1.0 + 0.01 * rng.normal();
    Graph g;
    const NodeId root = power_law(g, 2.9, 2.1);
    const RefineResult r = refine_formula(g, root, d.fit_data(true), {true}, {});
    const auto [c, e] = read_power_law(g, r.root);
    CHECK(c == 3.0);
    CHECK(e == 2.0);
    CHECK(r.snapped == 2);
  }

  TEST_CASE("Refine: keeps what the data reject") {
    const PowerData d = power_data(2.37);
    Graph g;
    const NodeId root = power_law(g, 3.01, 2.36);
    const RefineResult r = refine_formula(g, root, d.fit_data(false), {true}, {});
    const auto [c, e] = read_power_law(g, r.root);
    CHECK(c == 3.0);  // the coefficient is simple, the exponent is not
    CHECK(e == doctest::Approx(2.37).epsilon(1e-9));
    CHECK(r.nmse < 1e-18);
  }

  TEST_CASE("Refine: elimination drops a useless weight") {
    // f = p0·x + p1·sin(x) + p2 fitted to y = 2x + 1: p1 must go.
    Rng rng(4);
    std::vector<double> x, y;
    for (int r = 0; r < 300; ++r) {
      x.push_back(rng.uniform(-2, 2));
      y.push_back(2.0 * x.back() + 1.0);
    }
    Graph g;
    const NodeId root = g.add(g.add(g.mul(g.param(0), g.input(0)), g.mul(g.param(1), g.sin(g.input(0)))),
                              g.param(2));
    std::vector<double> params = {1.5, 0.3, 0.7};
    std::vector<bool> frozen(3, false);
    FitData data;
    data.inputs = {{x.data()}, x.size()};
    data.target = y.data();
    const int eliminated = eliminate_params(g, root, params, frozen, data, {}).eliminated;
    CHECK(eliminated == 1);
    CHECK(params[1] == 0.0);
    CHECK(frozen[1]);
    CHECK(params[0] == doctest::Approx(2.0));
    CHECK(params[2] == doctest::Approx(1.0));
  }
}

}  // namespace
}  // namespace lies::engine
