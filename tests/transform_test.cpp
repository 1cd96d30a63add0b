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

// Ten rows: x1 = 1..10, x2 = 2, y = 3·x1. Every value is positive, so log space applies.
Dataset make_dataset() {
  Dataset data;
  data.source = "test table";
  data.names = {"x1", "x2", "y"};
  data.columns.assign(3, {});
  for (int r = 1; r <= 10; ++r) {
    data.columns[0].push_back(r);
    data.columns[1].push_back(2.0);
    data.columns[2].push_back(3.0 * r);
  }
  return data;
}

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

  TEST_CASE("Transform: scales and target moments in log space") {
    const Dataset data = make_dataset();
    const Problem problem{{0, 1}, 2};
    const auto transform = choose_transform(data, problem, LogSpace::kAuto);
    REQUIRE(transform.ok());
    CHECK(transform->log_space);
    REQUIRE(transform->input_scale.size() == 2);
    CHECK(transform->input_scale[0] == std::log(10.0));
    CHECK(transform->input_scale[1] == std::log(2.0));

    double mean = 0.0;
    for (double y : data.columns[2]) mean += std::log(y);
    mean /= 10.0;
    double variance = 0.0;
    for (double y : data.columns[2]) variance += (std::log(y) - mean) * (std::log(y) - mean);
    variance /= 10.0;
    CHECK(transform->target_offset == mean);
    CHECK(transform->target_scale == std::sqrt(variance));
  }

  TEST_CASE("Transform: every row without a row limit") {
    const Dataset data = make_dataset();
    const Problem problem{{0, 1}, 2};
    const auto transform = choose_transform(data, problem, LogSpace::kAuto);
    REQUIRE(transform.ok());
    const TrainingTable table = apply_transform(*transform, data, problem);
    REQUIRE(table.rows() == 10);
    for (std::size_t r = 0; r < 10; ++r) {
      INFO("row " << r);
      CHECK(table.inputs[0][r] == std::log(data.columns[0][r]) / transform->input_scale[0]);
      CHECK(table.target[r] ==
            (std::log(data.columns[2][r]) - transform->target_offset) / transform->target_scale);
    }
  }

  TEST_CASE("Transform: row limit keeps evenly spaced rows") {
    const Dataset data = make_dataset();
    const Problem problem{{0, 1}, 2};
    const auto transform = choose_transform(data, problem, LogSpace::kAuto);
    REQUIRE(transform.ok());
    const TrainingTable all = apply_transform(*transform, data, problem);
    // Row k of the table is row k · 10 / 4 of the data: rows 0, 2, 5 and 7.
    const TrainingTable table = apply_transform(*transform, data, problem, 4);
    REQUIRE(table.rows() == 4);
    REQUIRE(table.inputs.size() == 2);
    const std::size_t expected_rows[] = {0, 2, 5, 7};
    for (std::size_t k = 0; k < 4; ++k) {
      INFO("table row " << k);
      CHECK(table.inputs[0][k] == all.inputs[0][expected_rows[k]]);
      CHECK(table.inputs[1][k] == all.inputs[1][expected_rows[k]]);
      CHECK(table.target[k] == all.target[expected_rows[k]]);
    }
    // A limit at or above the row count keeps every row.
    CHECK(apply_transform(*transform, data, problem, 10).rows() == 10);
    CHECK(apply_transform(*transform, data, problem, 11).rows() == 10);
  }
}

}  // namespace
}  // namespace lies::engine
