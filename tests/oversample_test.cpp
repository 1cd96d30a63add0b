#include "engine/oversample.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

namespace lies::engine {
namespace {

TEST_SUITE("Oversample") {
  TEST_CASE("Oversample: worst cell is where the error is") {
    // Two inputs on [0, 1); the prediction is perfect except where input 1 is in
    // [0.75, 0.875), its bin 6 of 8.
    TrainingTable table;
    table.inputs.assign(2, {});
    std::vector<double> prediction;
    Rng rng(3);
    for (int r = 0; r < 4000; ++r) {
      const double a = rng.uniform(), b = rng.uniform();
      table.inputs[0].push_back(a);
      table.inputs[1].push_back(b);
      table.target.push_back(a + b);
      prediction.push_back(a + b + (b >= 0.75 && b < 0.875 ? 0.5 : 0.0));
    }
    const Cell cell = worst_cell(table, prediction);
    CHECK(cell.input == 1);
    CHECK(cell.bin == 6);
    CHECK(cell.mean_squared_error > 0.2);
    REQUIRE_FALSE(cell.rows.empty());
    for (std::uint32_t r : cell.rows) {
      CHECK(table.inputs[1][r] >= 0.74);
      CHECK(table.inputs[1][r] < 0.876);
    }
  }

  TEST_CASE("Oversample: extra rows come from the cell") {
    Cell cell;
    cell.rows = {5, 7, 9};
    Rng rng(1);
    const std::vector<std::uint32_t> rows = oversampled_rows(100, cell, 0.3, rng);
    CHECK(rows.size() == 130);
    for (std::uint32_t r = 0; r < 100; ++r) CHECK(rows[r] == r);
    for (std::size_t k = 100; k < rows.size(); ++k) {
      CHECK(std::find(cell.rows.begin(), cell.rows.end(), rows[k]) != cell.rows.end());
    }
  }

  TEST_CASE("Oversample: small cells are ignored") {
    TrainingTable table;
    table.inputs = {{0.0, 1.0, 2.0, 3.0}};
    table.target = {0, 0, 0, 0};
    const std::vector<double> prediction = {0, 0, 0, 9};
    const Cell cell = worst_cell(table, prediction, 8, 10);
    CHECK(cell.rows.empty());
  }
}

}  // namespace
}  // namespace lies::engine
