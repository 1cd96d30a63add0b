#include "engine/transform.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

namespace lies::engine {
namespace {

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
