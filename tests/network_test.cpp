#include "engine/network.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/random.hpp"
#include "tests/gradient_check.hpp"

namespace lies::engine {
namespace {

std::size_t count_ops(const Graph& g, NodeId root, Op op) {
  const NodeId roots[] = {root};
  const std::vector<bool> live = reachable(g, roots);
  std::size_t count = 0;
  for (NodeId id = 0; id < g.size(); ++id) count += live[id] && g.op(id) == op ? 1 : 0;
  return count;
}

TEST_SUITE("Network") {
  TEST_CASE("Network: parameter count of dense layers") {
    // n = 2, L = 2. Layer 1: 4 units × 3 values (2 inputs and 1). Layer 2: 4 × 7.
    // Output: 3 + 8. Bridges: 4 per layer.
    const LiesNetwork net = LiesNetwork::build(2, 2);
    CHECK(net.num_params() == 12 + 28 + 11 + 8);
    // n = 5, L = 5: Σ_i 4·(6 + 4(i − 1)) + (6 + 20) + 20 bridges.
    CHECK(LiesNetwork::build(5, 5).num_params() == 4 * (6 + 10 + 14 + 18 + 22) + 26 + 20);
  }

  TEST_CASE("Network: one unit of each kind per layer") {
    const LiesNetwork net = LiesNetwork::build(3, 4);
    CHECK(count_ops(net.graph(), net.output(), Op::ProtExp) == 4);
    CHECK(count_ops(net.graph(), net.output(), Op::Sin) == 4);
    CHECK(count_ops(net.graph(), net.output(), Op::ProtLog) == 4);
    CHECK(count_ops(net.graph(), net.output(), Op::Param) == net.num_params());
    CHECK(count_ops(net.graph(), net.output(), Op::Input) == 3);
  }

  TEST_CASE("Network: initial weights follow the fan-in bound") {
    const LiesNetwork net = LiesNetwork::build(2, 2);
    const std::vector<double> a = net.initial_params(7);
    const std::vector<double> b = net.initial_params(7);
    const std::vector<double> c = net.initial_params(8);
    CHECK(a == b);
    CHECK(a != c);
    for (std::size_t p = 0; p < a.size(); ++p) {
      const ParamInfo& info = net.params()[p];
      if (info.kind == ParamKind::Bridge) {
        CHECK(a[p] == 1.0);
      } else {
        CHECK(std::abs(a[p]) <= 1.0 / std::sqrt(static_cast<double>(info.fan_in)));
      }
    }
  }

  TEST_CASE("Network: one layer computes the published function") {
    // n = 1, L = 1, with every weight set by hand. Parameters in build order:
    // unit k (identity, exp, sin, log): weights on (x, 1), then its bridge; then the
    // output weights on (x, 1, four unit outputs).
    const LiesNetwork net = LiesNetwork::build(1, 1);
    REQUIRE(net.num_params() == 4 * 3 + 6);
    const std::vector<double> p = {0.5, 0.1, 2.0,   // identity: z = 0.5x + 0.1, bridge 2
                                   0.3, -0.2, 1.5,  // exp
                                   1.1, 0.4, -0.7,  // sin
                                   0.9, 0.05, 0.8,  // log
                                   0.25, -1.0, 0.6, 0.7, 0.8, 0.9};
    const NodeId roots[] = {net.output()};
    const auto program = autodiff::Program::compile(net.graph(), roots, 1, net.num_params());
    std::vector<double> x = {0.3, 1.7, -0.01};
    std::vector<double> y(3);
    autodiff::Evaluator(program, 1).evaluate({{x.data()}, 3}, p, y);
    for (std::size_t r = 0; r < 3; ++r) {
      const double v = x[r];
      const double identity = 2.0 * (0.5 * v + 0.1);
      const double ex = 1.5 * std::exp(std::min(0.3 * v - 0.2, kExpCeiling));
      const double sn = -0.7 * std::sin(1.1 * v + 0.4);
      const double lg = 0.8 * std::log(std::max(0.9 * v + 0.05, kLogFloor));
      const double expected =
          0.25 * v - 1.0 + 0.6 * identity + 0.7 * ex + 0.8 * sn + 0.9 * lg;
      CHECK(y[r] == doctest::Approx(expected).epsilon(1e-14));
    }
  }

  TEST_CASE("Network: whole-network gradient matches finite differences") {
    const LiesNetwork net = LiesNetwork::build(3, 3);
    Rng rng(3);
    std::vector<std::vector<double>> x(3);
    for (auto& column : x) {
      for (int r = 0; r < 200; ++r) column.push_back(rng.uniform(0.1, 1.0));
    }
    const autodiff::Columns columns{{x[0].data(), x[1].data(), x[2].data()}, 200};
    std::vector<double> params = net.initial_params(11);
    // Move the log units' arguments away from the clamp, where the function has a kink
    // that finite differences cannot resolve.
    for (std::size_t p = 0; p < params.size(); ++p) {
      const ParamInfo& info = net.params()[p];
      if (info.kind == ParamKind::Weight && info.unit == 3 && info.source == 3) params[p] = 1.5;
    }
    const NodeId roots[] = {net.output()};
    const auto program = autodiff::Program::compile(net.graph(), roots, 3, net.num_params());
    const auto cmp = testing::compare_gradient(program, columns, params);
    for (std::size_t p = 0; p < params.size(); ++p) {
      INFO("param " << p << ": reverse " << cmp.reverse[p] << ", central " << cmp.central[p]);
      CHECK(testing::gradients_agree(cmp.reverse[p], cmp.central[p], 1e-5));
    }
  }
}

}  // namespace
}  // namespace lies::engine
