#include "engine/trainer.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "autodiff/program.hpp"
#include "engine/graph.hpp"
#include "engine/random.hpp"

namespace lies::engine {
namespace {

struct LinearData {
  std::vector<double> u0, u1, target;
};

// target = 2·u0 − 0.5 + 0.02·u1: u1 matters, but little.
LinearData linear_data(std::size_t rows) {
  Rng rng(5);
  LinearData d;
  for (std::size_t r = 0; r < rows; ++r) {
    d.u0.push_back(rng.uniform(-1, 1));
    d.u1.push_back(rng.uniform(-1, 1));
    d.target.push_back(2.0 * d.u0.back() - 0.5 + 0.02 * d.u1.back());
  }
  return d;
}

// p0·u0 + p1·u1 + p2
autodiff::Program linear_program(Graph& g) {
  const NodeId root = g.add(g.add(g.mul(g.param(0), g.input(0)), g.mul(g.param(1), g.input(1))),
                            g.param(2));
  const NodeId roots[] = {root};
  return autodiff::Program::compile(g, roots, 2, 3);
}

TEST_SUITE("Trainer") {
  TEST_CASE("Trainer: soft threshold") {
    CHECK(soft_threshold(0.3, 0.1) == doctest::Approx(0.2));
    CHECK(soft_threshold(-0.3, 0.1) == doctest::Approx(-0.2));
    CHECK(soft_threshold(0.05, 0.1) == 0.0);
    CHECK(soft_threshold(-0.1, 0.1) == 0.0);
  }

  TEST_CASE("Trainer: fits a linear target") {
    const LinearData d = linear_data(2000);
    Graph g;
    const autodiff::Program program = linear_program(g);
    const double* inputs[] = {d.u0.data(), d.u1.data()};
    for (OptimizerKind optimizer : {OptimizerKind::kRmsprop, OptimizerKind::kAdam}) {
      TrainerOptions options;
      options.optimizer = optimizer;
      Trainer trainer(program, inputs, d.target.data(), d.target.size(), options);
      std::vector<double> params = {0.1, 0.1, 0.1};
      const std::vector<bool> frozen(3, false);
      PhaseOptions phase;
      phase.epochs = 60;
      phase.l1 = 0.0;
      phase.rho = 0.0;
      phase.decay = 0.95;
      phase.loss = LossKind::kSquared;
      CHECK(trainer.run(params, frozen, phase, 1) == 0);
      CHECK(params[0] == doctest::Approx(2.0).epsilon(0.01));
      CHECK(params[1] == doctest::Approx(0.02).epsilon(0.2));
      CHECK(params[2] == doctest::Approx(-0.5).epsilon(0.02));
      CHECK(trainer.full_loss(params, LossKind::kSquared, {}) < 1e-3);
    }
  }

  TEST_CASE("Trainer: L1 and ADMM shrink weights the data do not need") {
    // With u0 = u1 = 0 and a zero target, the data term has no gradient for w0 and w1:
    // only the sparsity terms move them.
    const std::vector<double> zeros(512, 0.0);
    Graph g;
    const autodiff::Program program = linear_program(g);
    const double* inputs[] = {zeros.data(), zeros.data()};
    Trainer trainer(program, inputs, zeros.data(), zeros.size(), {});
    std::vector<double> sparse = {0.5, -0.5, 0.0};
    std::vector<double> dense = sparse;
    const std::vector<bool> frozen(3, false);
    PhaseOptions phase;  // published weak-sparsity constants
    phase.epochs = 30;
    trainer.run(sparse, frozen, phase, 2);
    phase.l1 = 0.0;
    phase.rho = 0.0;
    trainer.run(dense, frozen, phase, 2);
    CHECK(std::abs(sparse[0]) < 0.05);
    CHECK(std::abs(sparse[1]) < 0.05);
    CHECK(dense[0] == 0.5);
    CHECK(dense[1] == -0.5);
  }

  TEST_CASE("Trainer: frozen parameters keep their value") {
    const LinearData d = linear_data(500);
    Graph g;
    const autodiff::Program program = linear_program(g);
    const double* inputs[] = {d.u0.data(), d.u1.data()};
    Trainer trainer(program, inputs, d.target.data(), d.target.size(), {});
    std::vector<double> params = {0.5, 0.0, 0.5};
    trainer.run(params, {false, true, false}, PhaseOptions{}, 3);
    CHECK(params[1] == 0.0);
  }

  TEST_CASE("Trainer: non-finite steps are undone") {
    // exp(p0·u0) against a target of 20 with a learning rate far too large: a step throws
    // p0 so high that exp(|error|) overflows. Training must undo such steps, go on with a
    // smaller rate, and end with finite weights and a finite loss.
    Rng rng(9);
    std::vector<double> u, target;
    for (int r = 0; r < 256; ++r) {
      u.push_back(rng.uniform(0.5, 1.0));
      target.push_back(20.0);
    }
    Graph g;
    const NodeId roots[] = {g.exp(g.mul(g.param(0), g.input(0)))};
    const auto program = autodiff::Program::compile(g, roots, 1, 1);
    const double* inputs[] = {u.data()};
    Trainer trainer(program, inputs, target.data(), target.size(), {});
    std::vector<double> params = {1.0};
    PhaseOptions phase;
    phase.epochs = 5;
    phase.learning_rate = 200.0;
    const int undone = trainer.run(params, {false}, phase, 4);
    CHECK(undone > 0);
    CHECK(std::isfinite(params[0]));
    CHECK(std::isfinite(trainer.full_loss(params, LossKind::kExpAbs, {})));
  }
}

}  // namespace
}  // namespace lies::engine
