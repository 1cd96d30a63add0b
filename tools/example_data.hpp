// The embedded example that `lies fit` runs when no data file is given.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "lies/lies.hpp"

namespace lies::cli {

struct Example {
  std::string description;  // one line for the user
  Table data;
};

// Kepler's third law for planets around a star: the orbital period T in years of a planet
// whose semi-major axis is a astronomical units, around a star of M solar masses, is
// T = a^1.5 / sqrt(M). Generated deterministically, a in [0.3, 40] and M in [0.5, 3].
absl::StatusOr<Example> kepler_example(std::size_t rows = 2000);

}  // namespace lies::cli
