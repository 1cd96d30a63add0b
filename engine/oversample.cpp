#include "engine/oversample.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lies::engine {

Cell worst_cell(const TrainingTable& table, std::span<const double> prediction, int bins,
                std::size_t min_rows) {
  Cell worst;
  worst.mean_squared_error = -1.0;
  for (std::size_t j = 0; j < table.inputs.size(); ++j) {
    const std::vector<double>& column = table.inputs[j];
    const auto [low, high] = std::minmax_element(column.begin(), column.end());
    const double width = (*high - *low) / bins;
    std::vector<std::vector<std::uint32_t>> members(static_cast<std::size_t>(bins));
    std::vector<double> squared(static_cast<std::size_t>(bins), 0.0);
    for (std::size_t r = 0; r < column.size(); ++r) {
      int b = width > 0.0 ? static_cast<int>((column[r] - *low) / width) : 0;
      b = std::clamp(b, 0, bins - 1);
      const double e = prediction[r] - table.target[r];
      members[static_cast<std::size_t>(b)].push_back(static_cast<std::uint32_t>(r));
      squared[static_cast<std::size_t>(b)] += std::isfinite(e) ? e * e : 0.0;
    }
    for (int b = 0; b < bins; ++b) {
      const auto& rows = members[static_cast<std::size_t>(b)];
      if (rows.size() < min_rows) continue;
      const double mse = squared[static_cast<std::size_t>(b)] / static_cast<double>(rows.size());
      if (mse > worst.mean_squared_error) {
        worst.input = j;
        worst.bin = b;
        worst.mean_squared_error = mse;
        worst.rows = rows;
      }
    }
  }
  if (worst.mean_squared_error < 0.0) worst.mean_squared_error = 0.0;
  return worst;
}

std::vector<std::uint32_t> oversampled_rows(std::size_t rows, const Cell& cell, double share,
                                            Rng& rng) {
  std::vector<std::uint32_t> result(rows);
  std::iota(result.begin(), result.end(), 0u);
  if (cell.rows.empty()) return result;
  const auto extra = static_cast<std::size_t>(std::llround(share * static_cast<double>(rows)));
  for (std::size_t k = 0; k < extra; ++k) result.push_back(cell.rows[rng.below(cell.rows.size())]);
  return result;
}

}  // namespace lies::engine
