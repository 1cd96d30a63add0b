// Benchmark support: equation tables in the AI Feynman format, generated data, and seeds
// for sub-tasks. lies-bench is built on these. Every function here may run in several
// threads at once.
//
//   absl::StatusOr<std::vector<lies::Equation>> equations =
//       lies::read_equation_table("FeynmanEquations.csv");
//   const lies::Equation& equation = (*equations)[0];
//   absl::StatusOr<lies::Formula> truth = lies::Formula::parse(equation.formula);
//   absl::StatusOr<lies::GeneratedData> data =
//       lies::generate_data(*truth, equation.variables, equation.output);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lies/formula.hpp"
#include "lies/table.hpp"
#include "lies/verify.hpp"

namespace lies {

// One row of an equation table.
struct Equation {
  std::string name;                      // the Filename column, such as I.12.1
  std::string output;                    // the name of the target, such as F
  std::string formula;                   // the target as an expression of the variables
  std::vector<VariableRange> variables;  // the filled vK_name, vK_low, vK_high triples
  std::size_t line = 0;                  // 1-based line of the row in the table
  // The reason the row cannot be used, such as a range that is not a number, with the
  // source and line. Empty for a usable row.
  std::string error;
};

// Reads an equation table in the AI Feynman format: CSV with a header row that names the
// columns Filename, Output and Formula and a triple vK_name, vK_low, vK_high for each
// K = 1, 2, .... Other columns are ignored, and rows with an empty Filename are skipped.
// Returns NotFound when the file does not exist, and InvalidArgument when it cannot be
// read or lacks a required column. Problems of single rows go to Equation::error.
absl::StatusOr<std::vector<Equation>> read_equation_table(const std::string& path);

// Parses an equation table that is already in memory; `source` names it in messages.
absl::StatusOr<std::vector<Equation>> parse_equation_table(std::string_view text,
                                                           std::string_view source);

struct GenerateOptions {
  std::size_t rows = 10000;      // training rows, 1 or more
  std::size_t test_rows = 1000;  // held-out rows, drawn after the training rows
  std::uint64_t seed = 0;
  // Standard deviation of Gaussian noise added to the training target, as a multiple of
  // the root mean square of the noise-free training target. Held-out rows stay noise-free,
  // so that held-out accuracy measures the formula that was recovered.
  double noise = 0.0;
};

struct GeneratedData {
  Table train;  // columns: the variables of the ranges in order, then the target
  Table test;
};

// Draws each row's inputs independently and uniformly from `ranges` and evaluates
// `formula`, whose variables are found among the ranges by name, in double as
// Formula::evaluate does. The same seed and options give the same rows on every platform.
//
// Returns InvalidArgument when the ranges are invalid, `target` is empty or names a
// variable, or a variable that the formula uses has no range. It also returns
// InvalidArgument when rows is 0, noise is negative or not finite, or the formula is not
// finite at a drawn row, whose values the message then shows.
absl::StatusOr<GeneratedData> generate_data(const Formula& formula,
                                            std::span<const VariableRange> ranges,
                                            std::string_view target,
                                            const GenerateOptions& options = {});

// Mixes `word` into `seed`, to derive seeds of independent sub-tasks, such as one per
// benchmark equation, from one seed. The same in every run and on every platform.
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t word);

}  // namespace lies
