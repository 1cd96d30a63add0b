#include "lies/verify.hpp"

#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/access.hpp"
#include "api/guard.hpp"
#include "verify/accuracy.hpp"
#include "verify/solution.hpp"

namespace lies {
namespace {

static_assert(kMinValidPoints == verify::kMinValidPoints);
static_assert(kMaxPoints == verify::kMaxPoints);

using detail::Access;

Accuracy from_internal(const verify::Accuracy<double>& accuracy) {
  Accuracy out;
  out.r2 = accuracy.r2;
  out.nmse = accuracy.nmse;
  out.max_relative_error = accuracy.max_relative_error;
  out.rows = accuracy.rows;
  out.non_finite_rows = accuracy.non_finite_rows;
  return out;
}

MultiprecisionAccuracy from_internal(const verify::Accuracy<verify::Float50>& accuracy) {
  MultiprecisionAccuracy out;
  out.r2 = Access::make_multiprecision(accuracy.r2);
  out.nmse = Access::make_multiprecision(accuracy.nmse);
  out.max_relative_error = Access::make_multiprecision(accuracy.max_relative_error);
  out.rows = accuracy.rows;
  out.non_finite_rows = accuracy.non_finite_rows;
  return out;
}

AccuracyReport from_internal(const verify::AccuracyReport& report) {
  AccuracyReport out;
  out.target = report.target;
  out.variables = report.variables;
  out.in_double = from_internal(report.in_double);
  out.in_50_digits = from_internal(report.in_50_digits);
  return out;
}

std::vector<verify::VariableRange> to_internal(std::span<const VariableRange> ranges) {
  std::vector<verify::VariableRange> internal;
  internal.reserve(ranges.size());
  for (const VariableRange& range : ranges) internal.push_back({range.name, range.low, range.high});
  return internal;
}

verify::SolutionOptions to_internal(const SolutionOptions& options) {
  verify::SolutionOptions internal;
  internal.points = options.points;
  internal.seed = options.seed;
  internal.tolerance = options.tolerance;
  internal.min_valid_fraction = options.min_valid_fraction;
  return internal;
}

SolutionCheck from_internal(const verify::SolutionCheck& check) {
  SolutionCheck out;
  switch (check.verdict) {
    case verify::Verdict::kSolution:
      out.verdict = Verdict::kSolution;
      break;
    case verify::Verdict::kNotSolution:
      out.verdict = Verdict::kNotSolution;
      break;
    case verify::Verdict::kUndecided:
      out.verdict = Verdict::kUndecided;
      break;
  }
  out.relation =
      check.relation == verify::Relation::kDifference ? Relation::kDifference : Relation::kRatio;
  out.constant = Access::make_multiprecision(check.constant);
  out.difference_spread = check.difference_spread;
  out.ratio_spread = check.ratio_spread;
  out.tolerance = check.tolerance;
  out.points = check.points;
  out.valid_points = check.valid_points;
  out.truth_not_finite = check.truth_not_finite;
  out.formula_not_finite = check.formula_not_finite;
  return out;
}

// The column of `target`, or the last column when it is empty.
absl::StatusOr<std::size_t> target_column(const Table& table, std::string_view target) {
  if (table.cols() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(table.source(), ": the table has no columns"));
  }
  if (target.empty()) return table.cols() - 1;
  const std::optional<std::size_t> found = table.find_column(target);
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: target column '%s' not found; the columns are: %s", table.source(),
                        target, detail::list_names(table.names())));
  }
  return *found;
}

// The columns from which measure_accuracy reads the formula's variables and the target.
struct Columns {
  std::vector<std::size_t> inputs;  // column of variable j
  std::size_t target = 0;
};

absl::StatusOr<Columns> find_columns(const Formula& formula, const Table& table,
                                     std::string_view target) {
  absl::StatusOr<std::size_t> target_index = target_column(table, target);
  if (!target_index.ok()) return target_index.status();
  absl::StatusOr<std::vector<std::uint32_t>> indices = detail::match_variables(
      formula, table.names(),
      [&](const std::string& variable) { return detail::missing_column(table, variable); });
  if (!indices.ok()) return indices.status();
  Columns columns;
  columns.inputs.assign(indices->begin(), indices->end());
  columns.target = *target_index;
  return columns;
}

// Copies `formula` into `graph` with its variables read from the inputs of `ranges`, found
// by name. `what` names the formula in the message of a variable without a range.
absl::StatusOr<engine::NodeId> copy_onto_ranges(const Formula& formula,
                                                std::span<const VariableRange> ranges,
                                                std::string_view what, engine::Graph& graph) {
  std::vector<std::string> names;
  for (const VariableRange& range : ranges) names.push_back(range.name);
  absl::StatusOr<std::vector<std::uint32_t>> indices =
      detail::match_variables(formula, names, [&](const std::string& variable) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s: variable '%s' has no range (ranges: %s); give every variable "
                            "a range",
                            what, variable, detail::list_names(names)));
      });
  if (!indices.ok()) return indices.status();
  return detail::copy_formula(formula, *indices, graph);
}

}  // namespace

MultiprecisionFloat::MultiprecisionFloat() {
  static const MultiprecisionFloat zero = Access::make_multiprecision(verify::Float50(0));
  impl_ = zero.impl_;
}

double MultiprecisionFloat::to_double() const {
  return std::visit([](const auto& value) { return value.template convert_to<double>(); },
                    impl_->value);
}

std::string MultiprecisionFloat::to_string(int significant_digits) const {
  const int digits = significant_digits < 0 ? 0 : significant_digits;
  return std::visit([&](const auto& value) { return verify::format_significant(value, digits); },
                    impl_->value);
}

int MultiprecisionFloat::digits() const {
  return std::holds_alternative<verify::Float50>(impl_->value) ? 50 : 100;
}

absl::StatusOr<AccuracyReport> measure_accuracy(std::string_view formula, const Table& table,
                                                std::string_view target) {
  return detail::guarded("measure accuracy", [&]() -> absl::StatusOr<AccuracyReport> {
    const absl::StatusOr<verify::AccuracyReport> report =
        verify::measure_formula(formula, Access::dataset(table), target);
    if (!report.ok()) return report.status();
    return from_internal(*report);
  });
}

absl::StatusOr<AccuracyReport> measure_accuracy(const Formula& formula, const Table& table,
                                                std::string_view target) {
  return detail::guarded("measure accuracy", [&]() -> absl::StatusOr<AccuracyReport> {
    absl::StatusOr<Columns> columns = find_columns(formula, table, target);
    if (!columns.ok()) return columns.status();
    const detail::FormulaImpl& impl = Access::impl(formula);
    const engine::Dataset& data = Access::dataset(table);

    const absl::StatusOr<verify::Accuracy<double>> in_double = verify::measure_accuracy<double>(
        *impl.graph, impl.root, data, columns->inputs, columns->target);
    if (!in_double.ok()) return in_double.status();
    const absl::StatusOr<verify::Accuracy<verify::Float50>> in_50_digits =
        verify::measure_accuracy<verify::Float50>(*impl.graph, impl.root, data, columns->inputs,
                                                  columns->target);
    if (!in_50_digits.ok()) return in_50_digits.status();

    AccuracyReport report;
    report.target = table.names()[columns->target];
    report.variables = impl.variables;
    report.in_double = from_internal(*in_double);
    report.in_50_digits = from_internal(*in_50_digits);
    return report;
  });
}

absl::StatusOr<Accuracy> measure_accuracy_in_double(const Formula& formula, const Table& table,
                                                    std::string_view target) {
  return detail::guarded("measure accuracy", [&]() -> absl::StatusOr<Accuracy> {
    absl::StatusOr<Columns> columns = find_columns(formula, table, target);
    if (!columns.ok()) return columns.status();
    const detail::FormulaImpl& impl = Access::impl(formula);
    const absl::StatusOr<verify::Accuracy<double>> in_double = verify::measure_accuracy<double>(
        *impl.graph, impl.root, Access::dataset(table), columns->inputs, columns->target);
    if (!in_double.ok()) return in_double.status();
    return from_internal(*in_double);
  });
}

absl::Status validate_ranges(std::span<const VariableRange> ranges) {
  return detail::guarded("validate ranges",
                         [&]() { return verify::validate_ranges(to_internal(ranges)); });
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSolution:
      return verify::verdict_name(verify::Verdict::kSolution);
    case Verdict::kNotSolution:
      return verify::verdict_name(verify::Verdict::kNotSolution);
    case Verdict::kUndecided:
      return verify::verdict_name(verify::Verdict::kUndecided);
  }
  return verify::verdict_name(verify::Verdict::kUndecided);
}

absl::StatusOr<SolutionCheck> check_solution(std::string_view truth, std::string_view formula,
                                             std::span<const VariableRange> ranges,
                                             const SolutionOptions& options) {
  return detail::guarded("check solution", [&]() -> absl::StatusOr<SolutionCheck> {
    const absl::StatusOr<verify::SolutionCheck> check =
        verify::check_solution(truth, formula, to_internal(ranges), to_internal(options));
    if (!check.ok()) return check.status();
    return from_internal(*check);
  });
}

absl::StatusOr<SolutionCheck> check_solution(const Formula& truth, const Formula& formula,
                                             std::span<const VariableRange> ranges,
                                             const SolutionOptions& options) {
  return detail::guarded("check solution", [&]() -> absl::StatusOr<SolutionCheck> {
    engine::Graph truth_graph;
    const absl::StatusOr<engine::NodeId> truth_root =
        copy_onto_ranges(truth, ranges, "truth", truth_graph);
    if (!truth_root.ok()) return truth_root.status();
    engine::Graph formula_graph;
    const absl::StatusOr<engine::NodeId> formula_root =
        copy_onto_ranges(formula, ranges, "formula", formula_graph);
    if (!formula_root.ok()) return formula_root.status();
    const absl::StatusOr<verify::SolutionCheck> check =
        verify::check_solution(truth_graph, *truth_root, formula_graph, *formula_root,
                               to_internal(ranges), to_internal(options));
    if (!check.ok()) return check.status();
    return from_internal(*check);
  });
}

}  // namespace lies
