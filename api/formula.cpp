#include "lies/formula.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "api/access.hpp"
#include "api/guard.hpp"
#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/check.hpp"
#include "engine/refine.hpp"
#include "io/formula_parser.hpp"
#include "io/formula_printer.hpp"

namespace lies {
namespace {

using detail::Access;
using detail::FormulaImpl;

io::FormulaFormat to_internal(FormulaFormat format) {
  switch (format) {
    case FormulaFormat::kInfix:
      return io::FormulaFormat::kInfix;
    case FormulaFormat::kSympy:
      return io::FormulaFormat::kSympy;
    case FormulaFormat::kLatex:
      return io::FormulaFormat::kLatex;
    case FormulaFormat::kC:
      return io::FormulaFormat::kC;
  }
  return io::FormulaFormat::kInfix;
}

// Whether each variable of the formula is read by a node reachable from its root.
std::vector<bool> used_variables(const FormulaImpl& formula) {
  const engine::NodeId roots[] = {formula.root};
  const std::vector<bool> live = engine::reachable(*formula.graph, roots);
  std::vector<bool> used(formula.variables.size(), false);
  for (engine::NodeId id = 0; id < formula.graph->size(); ++id) {
    const engine::Node& node = formula.graph->node(id);
    if (!live[id] || node.op != engine::Op::Input) continue;
    LIES_CHECK(node.index < used.size());
    used[node.index] = true;
  }
  return used;
}

// Column pointers of `table` in the formula's variable order. A variable the formula does
// not use points at the first column, which the evaluation never reads.
absl::StatusOr<autodiff::Columns> columns_of(const Formula& formula, const Table& table) {
  absl::StatusOr<std::vector<std::uint32_t>> indices = detail::match_variables(
      formula, table.names(),
      [&](const std::string& variable) { return detail::missing_column(table, variable); });
  if (!indices.ok()) return indices.status();
  autodiff::Columns columns;
  columns.rows = table.rows();
  for (const std::uint32_t j : *indices) columns.data.push_back(table.column(j).data());
  return columns;
}

std::vector<double> evaluate_columns(const FormulaImpl& formula, const autodiff::Columns& columns,
                                     int threads) {
  std::vector<double> values(columns.rows);
  if (columns.rows == 0) return values;
  const engine::NodeId outputs[] = {formula.root};
  const autodiff::Program program = autodiff::Program::compile(
      *formula.graph, outputs, static_cast<std::uint32_t>(formula.variables.size()), 0);
  autodiff::Evaluator evaluator(program, threads);
  evaluator.evaluate(columns, {}, values);
  return values;
}

}  // namespace

Formula::Formula() {
  static const std::shared_ptr<const FormulaImpl> zero = [] {
    auto graph = std::make_shared<engine::Graph>();
    auto impl = std::make_shared<FormulaImpl>();
    impl->root = graph->constant(0.0);
    impl->graph = std::move(graph);
    return impl;
  }();
  impl_ = zero;
}

absl::StatusOr<Formula> Formula::parse(std::string_view text, const ParseOptions& options) {
  return detail::guarded("parse formula", [&]() -> absl::StatusOr<Formula> {
    auto graph = std::make_shared<engine::Graph>();
    std::vector<std::string> variables = options.variables;
    io::ParseOptions parse;
    parse.variables = &variables;
    parse.add_unknown_variables = options.add_unknown_variables;
    parse.max_length = options.max_length;
    parse.max_depth = options.max_depth;
    const absl::StatusOr<engine::NodeId> root = io::parse_formula(text, *graph, parse);
    if (!root.ok()) return root.status();
    return Access::make_formula(std::move(graph), *root, std::move(variables));
  });
}

const std::vector<std::string>& Formula::variables() const { return impl_->variables; }

absl::StatusOr<std::string> Formula::print(const PrintOptions& options) const {
  return detail::guarded("print formula", [&]() -> absl::StatusOr<std::string> {
    io::PrintOptions print;
    print.format = to_internal(options.format);
    print.input_names = impl_->variables;
    print.significant_digits = options.significant_digits;
    print.faithful = options.faithful;
    print.max_nodes = options.max_nodes;
    return io::print_formula(*impl_->graph, impl_->root, print);
  });
}

std::string Formula::to_string() const {
  absl::StatusOr<std::string> text = print();
  if (text.ok()) return *std::move(text);
  return absl::StrCat("(not printable: ", text.status().message(), ")");
}

std::uint64_t Formula::complexity() const {
  return io::formula_complexity(*impl_->graph, impl_->root);
}

absl::StatusOr<std::vector<double>> Formula::evaluate(const Table& table, int threads) const {
  return detail::guarded("evaluate formula", [&]() -> absl::StatusOr<std::vector<double>> {
    absl::StatusOr<autodiff::Columns> columns = columns_of(*this, table);
    if (!columns.ok()) return columns.status();
    return evaluate_columns(*impl_, *columns, threads);
  });
}

absl::StatusOr<std::vector<double>> Formula::evaluate(
    std::span<const std::span<const double>> columns, int threads) const {
  return detail::guarded("evaluate formula", [&]() -> absl::StatusOr<std::vector<double>> {
    if (columns.size() != impl_->variables.size()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "evaluate: %d columns for a formula of %d variables (%s); give one column per "
          "variable, in the order of variables()",
          columns.size(), impl_->variables.size(), detail::list_names(impl_->variables)));
    }
    autodiff::Columns view;
    view.rows = columns.empty() ? 0 : columns.front().size();
    for (std::size_t j = 0; j < columns.size(); ++j) {
      if (columns[j].size() != view.rows) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "evaluate: the column of variable '%s' has %d rows but that of '%s' has %d; give "
            "columns of equal length",
            impl_->variables[j], columns[j].size(), impl_->variables[0], view.rows));
      }
      view.data.push_back(columns[j].data());
    }
    return evaluate_columns(*impl_, view, threads);
  });
}

absl::StatusOr<double> Formula::nmse(const Table& table, std::string_view target,
                                     int threads) const {
  return detail::guarded("measure NMSE", [&]() -> absl::StatusOr<double> {
    const std::optional<std::size_t> target_column = table.find_column(target);
    if (!target_column) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: target column '%s' not found; the columns are: %s", table.source(),
                          target, detail::list_names(table.names())));
    }
    if (table.rows() == 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: the table has no rows", table.source()));
    }
    absl::StatusOr<autodiff::Columns> columns = columns_of(*this, table);
    if (!columns.ok()) return columns.status();
    return engine::formula_nmse(*impl_->graph, impl_->root, *columns,
                                table.column(*target_column).data(), threads);
  });
}

namespace detail {

Formula Access::make_formula(std::shared_ptr<const engine::Graph> graph, engine::NodeId root,
                             std::vector<std::string> variables) {
  auto impl = std::make_shared<FormulaImpl>();
  impl->graph = std::move(graph);
  impl->root = root;
  impl->variables = std::move(variables);
  return Formula(std::move(impl));
}

engine::NodeId copy_formula(const Formula& formula, const std::vector<std::uint32_t>& indices,
                            engine::Graph& graph) {
  const FormulaImpl& impl = Access::impl(formula);
  const engine::NodeId roots[] = {impl.root};
  return engine::copy_into(*impl.graph, roots, graph, [&](engine::NodeId id) {
    const engine::Node& node = impl.graph->node(id);
    return node.op == engine::Op::Input ? graph.input(indices[node.index]) : engine::kNoNode;
  })[0];
}

absl::StatusOr<std::vector<std::uint32_t>> match_variables(
    const Formula& formula, const std::vector<std::string>& names,
    absl::FunctionRef<absl::Status(const std::string& variable)> missing) {
  const FormulaImpl& impl = Access::impl(formula);
  const std::vector<bool> used = used_variables(impl);
  std::vector<std::uint32_t> indices(impl.variables.size(), 0);
  for (std::size_t j = 0; j < impl.variables.size(); ++j) {
    if (!used[j]) continue;
    const auto it = std::find(names.begin(), names.end(), impl.variables[j]);
    if (it == names.end()) return missing(impl.variables[j]);
    indices[j] = static_cast<std::uint32_t>(it - names.begin());
  }
  return indices;
}

absl::Status missing_column(const Table& table, const std::string& variable) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: no column '%s' for the formula's variable of that name; the columns are: %s",
      table.source(), variable, list_names(table.names())));
}

std::string list_names(const std::vector<std::string>& names) {
  return names.empty() ? "none" : absl::StrJoin(names, ", ");
}

}  // namespace detail
}  // namespace lies
