#include "simplify/canonical.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/random.hpp"

namespace lies::simplify {
namespace {

using engine::Op;

// Builds raw expressions in `raw` and compares their canonical forms in `out`.
struct Fixture {
  Graph raw;
  Graph out;
  Canonicalizer canonical{out, {{true, false}}};  // x0 > 0, x1 of unknown sign
  NodeId x = raw.input(0);
  NodeId y = raw.input(1);

  NodeId c(double v) { return raw.constant(v); }
  NodeId canon(NodeId id) { return canonical.copy(raw, id); }
};

TEST_SUITE("Canonical") {
  TEST_CASE("Canonical: equal formulas become one node") {
    Fixture f;
    Graph& g = f.raw;
    struct Pair {
      const char* label;
      NodeId a, b;
    };
    const Pair pairs[] = {
        {"x + x = 2x", g.add(f.x, f.x), g.mul(f.c(2), f.x)},
        {"x·x = x^2", g.mul(f.x, f.x), g.pow(f.x, f.c(2))},
        {"2(x + 1) = 2x + 2", g.mul(f.c(2), g.add(f.x, f.c(1))),
         g.add(g.mul(f.c(2), f.x), f.c(2))},
        {"x^a·x^b = x^(a+b)", g.mul(g.pow(f.y, f.c(1.5)), g.pow(f.y, f.c(2))),
         g.pow(f.y, f.c(3.5))},
        {"x/x = 1", g.div(f.y, f.y), f.c(1)},
        {"x − x = 0", g.add(f.y, g.neg(f.y)), f.c(0)},
        {"exp(2 log x) = x^2", g.exp(g.mul(f.c(2), g.log(f.x))), g.pow(f.x, f.c(2))},
        {"exp(3 + log x) = e^3·x", g.exp(g.add(f.c(3), g.log(f.x))),
         g.mul(f.c(std::exp(3.0)), f.x)},
        {"log(exp y) = y", g.log(g.exp(f.y)), f.y},
        {"log(x^2) = 2 log x", g.log(g.pow(f.x, f.c(2))), g.mul(f.c(2), g.log(f.x))},
        {"log(3x) = log 3 + log x", g.log(g.mul(f.c(3), f.x)),
         g.add(f.c(std::log(3.0)), g.log(f.x))},
        {"sqrt(x^2) = x for x > 0", g.sqrt(g.pow(f.x, f.c(2))), f.x},
        {"(x·y)^2 = x^2·y^2", g.pow(g.mul(f.x, f.y), f.c(2)),
         g.mul(g.pow(f.x, f.c(2)), g.pow(f.y, f.c(2)))},
        {"constants fold", g.add(g.mul(f.c(2), f.c(3)), g.sin(f.c(0))), f.c(6)},
        {"x + 0 = x, x·1 = x, x^1 = x", g.mul(g.pow(g.add(f.y, f.c(0)), f.c(1)), f.c(1)), f.y},
        {"x·0 = 0", g.mul(g.sin(f.y), f.c(0)), f.c(0)},
        {"x^0 = 1", g.pow(f.y, f.c(0)), f.c(1)},
    };
    for (const Pair& p : pairs) {
      INFO(p.label);
      CHECK(f.canon(p.a) == f.canon(p.b));
    }
  }

  TEST_CASE("Canonical: domain guards keep unsafe forms") {
    Fixture f;
    Graph& g = f.raw;
    // y may be negative: sqrt(y^2) = |y| ≠ y, and log(y^2) ≠ 2 log y.
    CHECK(f.canon(g.sqrt(g.pow(f.y, f.c(2)))) != f.canon(f.y));
    CHECK(f.canon(g.log(g.pow(f.y, f.c(2)))) != f.canon(g.mul(f.c(2), g.log(f.y))));
    // A constant that does not fold to a finite value stays an expression.
    const NodeId huge = f.canon(g.exp(f.c(1000)));
    CHECK(f.out.op(huge) == Op::Exp);
  }

  TEST_CASE("Canonical: product shape is coefficient times powers") {
    Fixture f;
    Graph& g = f.raw;
    // 2.5·x^2/y in any spelling.
    const NodeId a = f.canon(g.div(g.mul(g.mul(f.c(2.5), f.x), f.x), f.y));
    const NodeId b = f.canon(g.mul(g.pow(f.y, f.c(-1)), g.mul(f.x, g.mul(f.x, f.c(2.5)))));
    CHECK(a == b);
    const engine::Node& top = f.out.node(a);
    REQUIRE(top.op == Op::Mul);
    const bool constant_first = f.out.is_constant(top.child[0]);
    const NodeId coefficient = constant_first ? top.child[0] : top.child[1];
    REQUIRE(f.out.is_constant(coefficient));
    CHECK(f.out.node(coefficient).value == 2.5);
  }

  TEST_CASE("Canonical: random expressions keep their value") {
    // Build random expressions over two positive inputs, canonicalize, and compare both on
    // random points. Every rewrite is an identity where the original is defined.
    engine::Rng rng(17);
    std::vector<double> x0, x1;
    for (int r = 0; r < 64; ++r) {
      x0.push_back(rng.uniform(0.2, 3.0));
      x1.push_back(rng.uniform(0.2, 3.0));
    }
    const autodiff::Columns columns{{x0.data(), x1.data()}, x0.size()};
    int compared = 0;
    for (int trial = 0; trial < 400; ++trial) {
      Graph raw;
      std::vector<NodeId> pool = {raw.input(0), raw.input(1), raw.constant(2.0),
                                  raw.constant(0.5), raw.constant(-1.5)};
      for (int step = 0; step < 8; ++step) {
        const NodeId a = pool[rng.below(pool.size())];
        const NodeId b = pool[rng.below(pool.size())];
        static const Op kOps[] = {Op::Add, Op::Mul, Op::Div, Op::Pow, Op::Neg,
                                  Op::Exp, Op::Log, Op::Sin, Op::Sqrt};
        const Op op = kOps[rng.below(std::size(kOps))];
        pool.push_back(engine::arity(op) == 2 ? raw.binary(op, a, b) : raw.unary(op, a));
      }
      const NodeId root = pool.back();
      Graph out;
      Canonicalizer canonical(out, {{true, true}});
      const NodeId simplified = canonical.copy(raw, root);

      std::vector<double> before(64), after(64);
      const NodeId raw_roots[] = {root};
      const NodeId out_roots[] = {simplified};
      autodiff::Evaluator(autodiff::Program::compile(raw, raw_roots, 2, 0), 1)
          .evaluate(columns, {}, before);
      autodiff::Evaluator(autodiff::Program::compile(out, out_roots, 2, 0), 1)
          .evaluate(columns, {}, after);
      for (std::size_t r = 0; r < 64; ++r) {
        if (!std::isfinite(before[r]) || std::abs(before[r]) > 1e12) continue;
        ++compared;
        INFO("trial " << trial << " row " << r);
        CHECK(after[r] == doctest::Approx(before[r]).epsilon(1e-9));
      }
    }
    CHECK(compared > 10000);
  }
}

}  // namespace
}  // namespace lies::simplify
