#include "verify/generate.hpp"

#include <cmath>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/random.hpp"
#include "verify/leaves.hpp"

namespace lies::verify {
namespace {

// Fills `data` with `rows` rows drawn from `random` and the formula's values.
absl::Status fill_rows(const autodiff::Program& program, std::span<const VariableRange> ranges,
                       std::size_t rows, engine::Rng& random, engine::Dataset& data) {
  const std::size_t n = ranges.size();
  data.columns.assign(n + 1, std::vector<double>(rows));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j < n; ++j) {
      data.columns[j][r] = random.uniform(ranges[j].low, ranges[j].high);
    }
  }
  autodiff::Columns view;
  for (std::size_t j = 0; j < n; ++j) view.data.push_back(data.columns[j].data());
  view.rows = rows;
  data.columns[n] = autodiff::evaluate_rows<double>(program, view, {});

  for (std::size_t r = 0; r < rows; ++r) {
    const double y = data.columns[n][r];
    if (std::isfinite(y)) continue;
    std::string point;
    for (std::size_t j = 0; j < n; ++j) {
      absl::StrAppendFormat(&point, "%s%s = %.17g", j == 0 ? "" : ", ", ranges[j].name,
                            data.columns[j][r]);
    }
    const char* value = std::isnan(y) ? "NaN" : (y > 0 ? "+inf" : "-inf");
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: the formula is %s at %s; narrow the ranges to where it is defined",
                        data.source, value, point));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<GeneratedData> generate_data(const engine::Graph& graph, engine::NodeId root,
                                            std::span<const VariableRange> ranges,
                                            std::string_view target,
                                            const GenerateOptions& options) {
  if (absl::Status status = validate_ranges(ranges); !status.ok()) return status;
  if (absl::Status status = check_leaves(graph, root, ranges.size(), "formula"); !status.ok()) {
    return status;
  }
  if (target.empty()) {
    return absl::InvalidArgumentError("the target name is empty; give the target column a name");
  }
  for (const VariableRange& range : ranges) {
    if (range.name == target) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "the target name '%s' is also a variable; give the target another name", target));
    }
  }
  if (options.rows == 0) {
    return absl::InvalidArgumentError("rows is 0; generate at least one training row");
  }
  if (!(options.noise >= 0.0 && std::isfinite(options.noise))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "noise is %g; use 0 for none or a positive multiple of the target's RMS", options.noise));
  }

  const engine::NodeId outputs[] = {root};
  const autodiff::Program program =
      autodiff::Program::compile(graph, outputs, static_cast<std::uint32_t>(ranges.size()), 0);

  GeneratedData data;
  for (engine::Dataset* table : {&data.train, &data.test}) {
    for (const VariableRange& range : ranges) table->names.push_back(range.name);
    table->names.emplace_back(target);
  }
  data.train.source = "generated training rows";
  data.test.source = "generated held-out rows";

  engine::Rng random(options.seed);
  if (absl::Status status = fill_rows(program, ranges, options.rows, random, data.train);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = fill_rows(program, ranges, options.test_rows, random, data.test);
      !status.ok()) {
    return status;
  }

  if (options.noise > 0.0) {
    std::vector<double>& y = data.train.columns.back();
    double sum_of_squares = 0.0;
    for (const double value : y) sum_of_squares += value * value;
    const double rms = std::sqrt(sum_of_squares / static_cast<double>(y.size()));
    engine::Rng noise(engine::hash_mix(options.seed, 0x6e6f697365ULL));
    for (double& value : y) value += options.noise * rms * noise.normal();
  }
  return data;
}

}  // namespace lies::verify
