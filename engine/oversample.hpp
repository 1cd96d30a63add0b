// Oversampling of the worst-fitted region of the input space.
//
// The published LIES method cuts each input's range into 8 bins, forms the 8^n grid
// cells, finds the cell where the network fits worst, and retrains on data with an extra
// 30 % drawn from that cell. A grid of 8^n cells is empty almost everywhere for more than
// a few inputs, so lies uses marginal cells instead: cell (j, b) holds the rows whose
// input j falls in bin b, 8·n cells in all, each with many rows whatever n is.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/random.hpp"
#include "engine/transform.hpp"

namespace lies::engine {

struct Cell {
  std::size_t input = 0;
  int bin = 0;
  double mean_squared_error = 0.0;
  std::vector<std::uint32_t> rows;  // the training rows in the cell
};

// The marginal cell with the largest mean squared error of `prediction` against the
// table's target. Cells with fewer than `min_rows` rows are ignored; returns a cell with
// no rows when every cell is ignored.
Cell worst_cell(const TrainingTable& table, std::span<const double> prediction, int bins = 8,
                std::size_t min_rows = 10);

// Every row once, plus share · rows extra rows drawn with replacement from the cell.
std::vector<std::uint32_t> oversampled_rows(std::size_t rows, const Cell& cell, double share,
                                            Rng& rng);

}  // namespace lies::engine
