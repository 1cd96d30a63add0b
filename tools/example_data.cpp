#include "example_data.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"

namespace lies::cli {

absl::StatusOr<Example> kepler_example(std::size_t rows) {
  Example example;
  example.description = absl::StrFormat(
      "Kepler's third law, T = a^1.5/sqrt(M) (period in years, semi-major axis in AU, star "
      "mass in solar masses), %d generated rows",
      rows);
  // std::mt19937_64 is specified bit for bit by the standard, and the doubles are drawn
  // from its raw output (53 bits each), so every platform gets the same rows.
  std::mt19937_64 generator(1619);  // the year Kepler published the law
  auto uniform = [&](double low, double high) {
    return low + (high - low) * (static_cast<double>(generator() >> 11) * 0x1.0p-53);
  };
  std::vector<std::vector<double>> columns(3);
  for (std::size_t r = 0; r < rows; ++r) {
    const double a = uniform(0.3, 40.0);
    const double m = uniform(0.5, 3.0);
    columns[0].push_back(a);
    columns[1].push_back(m);
    columns[2].push_back(std::pow(a, 1.5) / std::sqrt(m));
  }
  absl::StatusOr<Table> table =
      Table::from_columns({"a", "M", "T"}, std::move(columns), "embedded example");
  if (!table.ok()) return table.status();
  example.data = *std::move(table);
  return example;
}

}  // namespace lies::cli
