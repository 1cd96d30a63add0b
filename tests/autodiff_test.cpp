#include <doctest/doctest.h>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/graph.hpp"
#include "engine/network.hpp"
#include "tests/gradient_check.hpp"

namespace lies::autodiff {
namespace {

using engine::Graph;
using engine::NodeId;
using engine::Op;

// Two input columns with `rows` rows, uniform in [low, high].
struct Table {
  std::vector<double> x0, x1;
  Columns columns() const { return {{x0.data(), x1.data()}, x0.size()}; }
};

Table make_table(std::size_t rows, double low, double high, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(low, high);
  Table t;
  for (std::size_t r = 0; r < rows; ++r) {
    t.x0.push_back(u(rng));
    t.x1.push_back(u(rng));
  }
  return t;
}

void check_gradient(const Graph& g, NodeId root, const Table& table,
                    const std::vector<double>& params, const std::string& label) {
  const NodeId roots[] = {root};
  for (bool fuse : {true, false}) {
    const Program program = Program::compile(g, roots, 2, static_cast<std::uint32_t>(params.size()),
                                             {.fuse_linear = fuse});
    const auto cmp = testing::compare_gradient(program, table.columns(), params);
    for (std::size_t k = 0; k < params.size(); ++k) {
      INFO(label << " fuse=" << fuse << " param " << k << ": reverse " << cmp.reverse[k]
                 << ", central " << cmp.central[k]);
      CHECK(testing::gradients_agree(cmp.reverse[k], cmp.central[k]));
    }
  }
}

struct UnaryCase {
  Op op;
  double low, high;  // input range inside the primitive's domain
};

TEST_SUITE("Autodiff") {
  TEST_CASE("Autodiff: unary primitives match finite differences") {
    const UnaryCase cases[] = {
        {Op::Neg, -2, 2},      {Op::Log, 0.5, 3},   {Op::Exp, -2, 2},   {Op::Sin, -3, 3},
        {Op::Cos, -3, 3},      {Op::Tan, -1, 1},    {Op::Sqrt, 0.5, 3}, {Op::Tanh, -2, 2},
        {Op::Asin, -0.5, 0.5}, {Op::Acos, -0.5, 0.5}, {Op::Atan, -3, 3}};
    for (const UnaryCase& c : cases) {
      const Table table = make_table(300, c.low, c.high, 7);
      Graph g;
      // op(p0 · x0 + p1) · p2: parameters inside and outside the primitive. p0 = 0.9 and
      // p1 = 0.05 keep the argument inside the domain for every case above.
      const NodeId inner = g.add(g.mul(g.param(0), g.input(0)), g.param(1));
      const NodeId root = g.mul(g.unary(c.op, inner), g.param(2));
      check_gradient(g, root, table, {0.9, 0.05, 1.3}, std::string(engine::spelling(c.op)));
    }
  }

  TEST_CASE("Autodiff: binary primitives match finite differences") {
    for (Op op : {Op::Add, Op::Mul, Op::Div, Op::Pow}) {
      const Table table = make_table(300, 0.5, 2.0, 11);
      Graph g;
      const NodeId a = g.add(g.mul(g.param(0), g.input(0)), g.param(1));
      const NodeId b = g.add(g.mul(g.param(2), g.input(1)), g.param(3));
      check_gradient(g, g.binary(op, a, b), table, {1.1, 0.2, 0.7, 0.3},
                     std::string(engine::spelling(op)));
    }
  }

  TEST_CASE("Autodiff: protected primitives inside the domain") {
    const Table table = make_table(300, 0.5, 2.0, 13);
    Graph g;
    const NodeId z = g.add(g.mul(g.param(0), g.input(0)), g.param(1));
    check_gradient(g, g.prot_log(z, 0.005), table, {1.2, 0.1}, "plog");
    check_gradient(g, g.prot_exp(z, 4.0), table, {1.2, 0.1}, "pexp");
  }

  TEST_CASE("Autodiff: clamped region has zero gradient") {
    const Table table = make_table(100, 0.5, 2.0, 17);
    Graph g;
    const NodeId z = g.add(g.mul(g.param(0), g.input(0)), g.param(1));
    const NodeId roots[] = {g.prot_log(z, 0.005)};
    const Program program = Program::compile(g, roots, 2, 2);
    // p1 = -10 puts every argument below the floor.
    const auto cmp = testing::compare_gradient(program, table.columns(), {1.0, -10.0});
    CHECK(cmp.reverse[0] == 0.0);
    CHECK(cmp.reverse[1] == 0.0);
    CHECK(cmp.central[0] == 0.0);
  }

  TEST_CASE("Autodiff: domain violation and its gradient") {
    // z = p0 · x0 with x0 = 1 on every row; plog floor 0.005, pexp ceiling 4.
    std::vector<double> ones(10, 1.0);
    const Columns columns{{ones.data(), ones.data()}, ones.size()};
    Graph g;
    const NodeId z = g.mul(g.param(0), g.input(0));
    const NodeId root = g.add(g.prot_log(z, 0.005), g.prot_exp(z, 4.0));
    const NodeId roots[] = {root};
    const Program program = Program::compile(g, roots, 2, 1);
    Evaluator evaluator(program, 1);
    std::vector<double> grad(1);
    auto zero_seed = [](const double*, std::size_t, std::size_t rows, double* adjoint) {
      std::fill(adjoint, adjoint + rows, 0.0);
      return 0.0;
    };
    // p0 = -1: log side is 1.005 below its floor on each row, exp side is inside.
    std::vector<double> params = {-1.0};
    GradientSums sums = evaluator.gradient(columns, params, zero_seed, 2.0, grad);
    CHECK(sums.violation == doctest::Approx(10 * 1.005));
    CHECK(grad[0] == doctest::Approx(10 * 2.0 * -1.0));  // d(violation)/dz = -1, dz/dp0 = 1
    // p0 = 6: exp side is 2 above its ceiling.
    params = {6.0};
    sums = evaluator.gradient(columns, params, zero_seed, 2.0, grad);
    CHECK(sums.violation == doctest::Approx(10 * 2.0));
    CHECK(grad[0] == doctest::Approx(10 * 2.0 * 1.0));
  }

  TEST_CASE("Autodiff: fused weighted sums equal plain ones") {
    const Table table = make_table(1000, -1.0, 1.0, 19);
    Graph g;
    NodeId sum = g.param(0);
    for (std::uint32_t k = 1; k < 8; ++k) {
      const NodeId x = g.sin(g.mul(g.param(k), g.input(k % 2)));
      sum = g.add(sum, g.mul(g.param(k + 8), x));
    }
    const NodeId shared = g.exp(g.mul(g.param(16), sum));
    const NodeId root = g.add(g.mul(g.constant(0.5), shared), g.mul(shared, shared));
    const NodeId roots[] = {root};
    std::vector<double> params(17);
    for (std::size_t k = 0; k < params.size(); ++k) params[k] = 0.1 * static_cast<double>(k) - 0.7;

    const Program fused = Program::compile(g, roots, 2, 17);
    const Program plain = Program::compile(g, roots, 2, 17, {.fuse_linear = false});
    CHECK(fused.size() < plain.size());

    std::vector<double> a(table.x0.size()), b(table.x0.size());
    Evaluator(fused, 1).evaluate(table.columns(), params, a);
    Evaluator(plain, 1).evaluate(table.columns(), params, b);
    for (std::size_t r = 0; r < a.size(); ++r) CHECK(a[r] == doctest::Approx(b[r]).epsilon(1e-13));
    check_gradient(g, root, table, params, "fused network");
  }

  TEST_CASE("Autodiff: jacobian rows sum to the gradient") {
    const Table table = make_table(700, 0.5, 1.5, 23);
    Graph g;
    const NodeId root = g.mul(g.exp(g.mul(g.param(0), g.log(g.input(0)))), g.add(g.param(1), g.input(1)));
    const NodeId roots[] = {root};
    const Program program = Program::compile(g, roots, 2, 2);
    const std::vector<double> params = {1.5, -0.25};
    Evaluator evaluator(program, 2);
    std::vector<double> values(table.x0.size()), jac(table.x0.size() * 2);
    evaluator.jacobian(table.columns(), params, values, jac);
    const auto cmp = testing::compare_gradient(program, table.columns(), params);
    for (std::size_t p = 0; p < 2; ++p) {
      double sum = 0.0;
      for (std::size_t r = 0; r < values.size(); ++r) sum += jac[r * 2 + p];
      CHECK(sum == doctest::Approx(cmp.reverse[p]).epsilon(1e-12));
    }
  }

  TEST_CASE("Autodiff: jacobian without parameters") {
    const Table table = make_table(300, 0.5, 1.5, 31);
    Graph g;
    const NodeId roots[] = {g.mul(g.input(0), g.input(1))};
    const Program program = Program::compile(g, roots, 2, 0);
    std::vector<double> values(table.x0.size());
    std::vector<double> jac;
    Evaluator(program, 2).jacobian(table.columns(), {}, values, jac);
    for (std::size_t r = 0; r < values.size(); ++r) CHECK(values[r] == table.x0[r] * table.x1[r]);
  }

  TEST_CASE("Autodiff: gradient independent of thread count") {
    const Table table = make_table(kChunkRows * 100 + 17, -1.0, 1.0, 29);
    Graph g;
    const NodeId z = g.add(g.mul(g.param(0), g.input(0)), g.mul(g.param(1), g.input(1)));
    const NodeId roots[] = {g.mul(g.param(2), g.sin(z))};
    const Program program = Program::compile(g, roots, 2, 3);
    const std::vector<double> params = {0.3, -1.7, 2.1};
    auto seed = [](const double* y, std::size_t, std::size_t rows, double* adjoint) {
      double loss = 0.0;
      for (std::size_t r = 0; r < rows; ++r) {
        adjoint[r] = y[r];
        loss += 0.5 * y[r] * y[r];
      }
      return loss;
    };
    std::vector<double> one(3), two(3);
    const double loss_one = Evaluator(program, 1).gradient(table.columns(), params, seed, 0.0, one).loss;
    const double loss_two = Evaluator(program, 2).gradient(table.columns(), params, seed, 0.0, two).loss;
    CHECK(loss_one == loss_two);
    for (std::size_t p = 0; p < 3; ++p) CHECK(one[p] == two[p]);
  }

  TEST_CASE("Autodiff: multiprecision evaluation agrees with double") {
    using Float50 = boost::multiprecision::cpp_bin_float_50;
    Graph g;
    const NodeId x = g.input(0);
    const NodeId root = g.add(g.pow(g.exp(g.sin(x)), g.param(0)),
                              g.div(g.unary(Op::Atan, x), g.sqrt(g.add(g.mul(x, x), g.constant(1.0)))));
    const NodeId roots[] = {root};
    const Program program = Program::compile(g, roots, 1, 1);
    std::vector<Float50> column = {Float50("0.1"), Float50("1.7"), Float50("-2.3")};
    const BasicColumns<Float50> columns{{column.data()}, column.size()};
    const std::vector<Float50> params = {Float50("1.5")};
    const std::vector<Float50> values = evaluate_rows<Float50>(program, columns, params);
    REQUIRE(values.size() == 3);
    for (std::size_t r = 0; r < 3; ++r) {
      const double v = column[r].convert_to<double>();
      const double expected = std::pow(std::exp(std::sin(v)), 1.5) + std::atan(v) / std::sqrt(v * v + 1.0);
      CHECK(values[r].convert_to<double>() == doctest::Approx(expected).epsilon(1e-14));
    }
  }

  TEST_CASE("Autodiff: LIES network gradient matches finite differences") {
    // Inputs in [0.2, 1.5] and these weights keep every unit away from its clamp limit,
    // where the gradient has a kink that central differences straddle.
    const Table table = make_table(kChunkRows + 45, 0.2, 1.5, 31);
    const engine::LiesNetwork net = engine::LiesNetwork::build(2, 2);
    const NodeId roots[] = {net.output()};
    std::vector<double> params = net.initial_params(4);
    for (double& p : params) p *= 0.5;
    check_gradient(net.graph(), roots[0], table, params, "LIES network");
  }

  TEST_CASE("Autodiff: LIES network in double agrees with multiprecision") {
    using Float50 = boost::multiprecision::cpp_bin_float_50;
    const engine::LiesNetwork net = engine::LiesNetwork::build(2, 5);
    const NodeId roots[] = {net.output()};
    const Program program = Program::compile(net.graph(), roots, 2, net.num_params());
    const std::vector<double> params = net.initial_params(8);
    // Spans the protected log's floor and the protected exp's ceiling on some rows.
    const Table table = make_table(kChunkRows + 77, -3.0, 3.0, 37);

    std::vector<double> values(table.x0.size());
    Evaluator(program, 1).evaluate(table.columns(), params, values);

    std::vector<Float50> x0(table.x0.begin(), table.x0.end()), x1(table.x1.begin(), table.x1.end());
    const BasicColumns<Float50> columns{{x0.data(), x1.data()}, x0.size()};
    const std::vector<Float50> precise_params(params.begin(), params.end());
    const std::vector<Float50> precise = evaluate_rows<Float50>(program, columns, precise_params);
    for (std::size_t r = 0; r < values.size(); ++r) {
      const double expected = precise[r].convert_to<double>();
      INFO("row " << r);
      CHECK(values[r] == doctest::Approx(expected).epsilon(1e-11).scale(1.0));
    }
  }

  TEST_CASE("Autodiff: LIES network gradient repeats bit for bit") {
    const engine::LiesNetwork net = engine::LiesNetwork::build(2, 3);
    const NodeId roots[] = {net.output()};
    const Program program = Program::compile(net.graph(), roots, 2, net.num_params());
    const std::vector<double> params = net.initial_params(12);
    const Table table = make_table(kChunkRows * 9 + 101, -2.0, 2.0, 41);
    auto seed = [](const double* y, std::size_t, std::size_t rows, double* adjoint) {
      double loss = 0.0;
      for (std::size_t r = 0; r < rows; ++r) {
        adjoint[r] = y[r];
        loss += 0.5 * y[r] * y[r];
      }
      return loss;
    };
    std::vector<double> first(params.size()), again(params.size()), two_threads(params.size());
    Evaluator one(program, 1);
    const GradientSums sums = one.gradient(table.columns(), params, seed, 0.5, first);
    const GradientSums sums_again = one.gradient(table.columns(), params, seed, 0.5, again);
    const GradientSums sums_two =
        Evaluator(program, 2).gradient(table.columns(), params, seed, 0.5, two_threads);
    CHECK(sums.loss == sums_again.loss);
    CHECK(sums.loss == sums_two.loss);
    CHECK(sums.violation == sums_two.violation);
    for (std::size_t p = 0; p < params.size(); ++p) {
      INFO("param " << p);
      CHECK(first[p] == again[p]);
      CHECK(first[p] == two_threads[p]);
    }
  }
}

}  // namespace
}  // namespace lies::autodiff
