// Generation of benchmark data from a formula: uniform random inputs in given ranges, the
// formula's value as the target, optional Gaussian noise.
//
//   verify::GenerateOptions options;
//   options.rows = 10000;
//   options.test_rows = 1000;
//   absl::StatusOr<verify::GeneratedData> data =
//       verify::generate_data(graph, root, ranges, "F", options);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "engine/dataset.hpp"
#include "engine/graph.hpp"
#include "verify/solution.hpp"

namespace lies::verify {

struct GenerateOptions {
  std::size_t rows = 10000;      // training rows
  std::size_t test_rows = 1000;  // held-out rows, drawn after the training rows
  std::uint64_t seed = 0;
  // Standard deviation of the Gaussian noise added to the training target, as a multiple
  // of the root mean square of the noise-free training target. The held-out target stays
  // noise-free, so that held-out accuracy measures the formula that was recovered.
  double noise = 0.0;
};

struct GeneratedData {
  engine::Dataset train;  // columns: the variables of the ranges in order, then the target
  engine::Dataset test;
};

// Draws every row's inputs independently and uniformly from `ranges` (Input j of the
// formula is ranges[j]) and evaluates the formula at `root` in double with the engine's
// evaluator. The same seed and options give the same rows on every platform.
//
// Returns InvalidArgument when
//   - the ranges are invalid, or `target` is empty or the name of a variable,
//   - the formula reads an input beyond the ranges or contains a Param,
//   - rows is 0, or noise is negative or not finite,
//   - the formula is NaN or infinite at a drawn row; the message shows the row's values.
absl::StatusOr<GeneratedData> generate_data(const engine::Graph& graph, engine::NodeId root,
                                            std::span<const VariableRange> ranges,
                                            std::string_view target,
                                            const GenerateOptions& options);

}  // namespace lies::verify
