#include "tools/example_data.hpp"

#include <cmath>

#include "absl/strings/str_format.h"
#include "engine/random.hpp"

namespace lies::cli {

Example kepler_example(std::size_t rows) {
  Example example;
  example.description = absl::StrFormat(
      "Kepler's third law, T = a^1.5/sqrt(M) (period in years, semi-major axis in AU, star "
      "mass in solar masses), %d generated rows",
      rows);
  engine::Dataset& d = example.data;
  d.source = "embedded example";
  d.names = {"a", "M", "T"};
  d.columns.assign(3, {});
  engine::Rng rng(1619);  // the year Kepler published the law
  for (std::size_t r = 0; r < rows; ++r) {
    const double a = rng.uniform(0.3, 40.0);
    const double m = rng.uniform(0.5, 3.0);
    d.columns[0].push_back(a);
    d.columns[1].push_back(m);
    d.columns[2].push_back(std::pow(a, 1.5) / std::sqrt(m));
  }
  return example;
}

}  // namespace lies::cli
