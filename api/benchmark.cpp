#include "lies/benchmark.hpp"

#include <utility>

#include "absl/strings/str_format.h"
#include "api/access.hpp"
#include "api/guard.hpp"
#include "engine/graph.hpp"
#include "verify/equation_table.hpp"
#include "verify/generate.hpp"

namespace lies {
namespace {

using detail::Access;

std::vector<Equation> from_internal(std::vector<verify::Equation>&& equations) {
  std::vector<Equation> out;
  out.reserve(equations.size());
  for (verify::Equation& equation : equations) {
    Equation row;
    row.name = std::move(equation.name);
    row.output = std::move(equation.output);
    row.formula = std::move(equation.formula);
    for (verify::VariableRange& range : equation.variables) {
      row.variables.push_back({std::move(range.name), range.low, range.high});
    }
    row.line = equation.line;
    row.error = std::move(equation.error);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Equation>> read_equation_table(const std::string& path) {
  return detail::guarded("read equation table", [&]() -> absl::StatusOr<std::vector<Equation>> {
    absl::StatusOr<std::vector<verify::Equation>> equations = verify::read_equation_table(path);
    if (!equations.ok()) return equations.status();
    return from_internal(*std::move(equations));
  });
}

absl::StatusOr<std::vector<Equation>> parse_equation_table(std::string_view text,
                                                           std::string_view source) {
  return detail::guarded("parse equation table", [&]() -> absl::StatusOr<std::vector<Equation>> {
    absl::StatusOr<std::vector<verify::Equation>> equations =
        verify::parse_equation_table(text, source);
    if (!equations.ok()) return equations.status();
    return from_internal(*std::move(equations));
  });
}

absl::StatusOr<GeneratedData> generate_data(const Formula& formula,
                                            std::span<const VariableRange> ranges,
                                            std::string_view target,
                                            const GenerateOptions& options) {
  return detail::guarded("generate data", [&]() -> absl::StatusOr<GeneratedData> {
    std::vector<verify::VariableRange> internal_ranges;
    std::vector<std::string> names;
    for (const VariableRange& range : ranges) {
      internal_ranges.push_back({range.name, range.low, range.high});
      names.push_back(range.name);
    }
    absl::StatusOr<std::vector<std::uint32_t>> indices =
        detail::match_variables(formula, names, [&](const std::string& variable) {
          return absl::InvalidArgumentError(
              absl::StrFormat("formula: variable '%s' has no range (ranges: %s); give every "
                              "variable a range",
                              variable, detail::list_names(names)));
        });
    if (!indices.ok()) return indices.status();
    engine::Graph graph;
    const engine::NodeId root = detail::copy_formula(formula, *indices, graph);

    verify::GenerateOptions internal;
    internal.rows = options.rows;
    internal.test_rows = options.test_rows;
    internal.seed = options.seed;
    internal.noise = options.noise;
    absl::StatusOr<verify::GeneratedData> data =
        verify::generate_data(graph, root, internal_ranges, target, internal);
    if (!data.ok()) return data.status();
    GeneratedData out;
    out.train = Access::make_table(std::move(data->train));
    out.test = Access::make_table(std::move(data->test));
    return out;
  });
}

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t word) {
  return engine::hash_mix(seed, word);
}

}  // namespace lies
