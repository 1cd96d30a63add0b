#include "engine/transform.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"

namespace lies::engine {
namespace {

Dataset table(std::vector<double> x, std::vector<double> y) {
  Dataset d;
  d.source = "t.csv";
  d.names = {"x", "y"};
  d.columns = {std::move(x), std::move(y)};
  return d;
}

const Problem kProblem{{0}, 1};

TEST_SUITE("Transform") {
  TEST_CASE("Transform: log space only for positive data") {
    auto positive = choose_transform(table({1, 2, 4}, {3, 5, 9}), kProblem, LogSpace::kAuto);
    REQUIRE(positive.ok());
    CHECK(positive->log_space);
    CHECK(positive->target_sign == 1.0);

    auto with_zero = choose_transform(table({0, 2, 4}, {3, 5, 9}), kProblem, LogSpace::kAuto);
    REQUIRE(with_zero.ok());
    CHECK_FALSE(with_zero->log_space);

    auto off = choose_transform(table({1, 2, 4}, {3, 5, 9}), kProblem, LogSpace::kOff);
    REQUIRE(off.ok());
    CHECK_FALSE(off->log_space);
  }

  TEST_CASE("Transform: negative target keeps log space") {
    auto t = choose_transform(table({1, 2, 4}, {-3, -5, -9}), kProblem, LogSpace::kAuto);
    REQUIRE(t.ok());
    CHECK(t->log_space);
    CHECK(t->target_sign == -1.0);
    auto mixed = choose_transform(table({1, 2, 4}, {-3, 5, -9}), kProblem, LogSpace::kAuto);
    REQUIRE(mixed.ok());
    CHECK_FALSE(mixed->log_space);
  }

  TEST_CASE("Transform: forced log space names the bad value") {
    auto t = choose_transform(table({1, -2, 4}, {3, 5, 9}), kProblem, LogSpace::kOn);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == absl::StatusCode::kInvalidArgument);
    const std::string message(t.status().message());
    CHECK(message.find("t.csv") != std::string::npos);
    CHECK(message.find("'x'") != std::string::npos);
    CHECK(message.find("-2") != std::string::npos);
    CHECK(message.find("row 2") != std::string::npos);
    CHECK(message.find("--log-space off") != std::string::npos);
  }

  TEST_CASE("Transform: scaled target has mean 0 and deviation 1") {
    const Dataset d = table({1, 2, 4, 8}, {3, 5, 9, 20});
    auto t = choose_transform(d, kProblem, LogSpace::kOff);
    REQUIRE(t.ok());
    const TrainingTable tt = apply_transform(*t, d, kProblem);
    double mean = 0.0, square = 0.0, largest = 0.0;
    for (double v : tt.target) mean += v / 4.0;
    for (double v : tt.target) square += v * v / 4.0;
    for (double v : tt.inputs[0]) largest = std::max(largest, std::abs(v));
    CHECK(mean == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(square == doctest::Approx(1.0));
    CHECK(largest == doctest::Approx(1.0));
  }

  TEST_CASE("Transform: formula in original units equals the network") {
    for (LogSpace mode : {LogSpace::kOn, LogSpace::kOff}) {
      for (double sign : {1.0, -1.0}) {
        if (mode == LogSpace::kOff && sign < 0.0) continue;
        const Dataset d = table({0.5, 1.5, 3.0, 7.0}, {sign * 2.0, sign * 3.0, sign * 7.0, sign * 8.0});
        auto t = choose_transform(d, kProblem, mode);
        REQUIRE(t.ok());
        const TrainingTable tt = apply_transform(*t, d, kProblem);
        // net(u) = sin(u) + 0.3: any function of the transformed input will do.
        Graph g;
        const NodeId net = g.add(g.sin(g.input(0)), g.constant(0.3));
        const NodeId formula = to_original_units(*t, g, net);

        const NodeId roots[] = {net, formula};
        const auto program = autodiff::Program::compile(g, roots, 1, 0);
        autodiff::Evaluator evaluator(program, 1);
        std::vector<double> on_network(4), on_formula(4);
        evaluator.evaluate({{tt.inputs[0].data()}, 4}, {}, on_network, 0);
        evaluator.evaluate({{d.columns[0].data()}, 4}, {}, on_formula, 1);
        for (std::size_t r = 0; r < 4; ++r) {
          // y = inverse target transform of net(u).
          double y = t->target_offset + t->target_scale * on_network[r];
          if (t->log_space) y = t->target_sign * std::exp(y);
          CHECK(on_formula[r] == doctest::Approx(y).epsilon(1e-13));
        }
      }
    }
  }
}

}  // namespace
}  // namespace lies::engine
